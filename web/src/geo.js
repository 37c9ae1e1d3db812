// The phone's location, with reasons for failing that the screens can explain.
export class LocationError extends Error {
  constructor(reason) {
    super(reason);
    this.name = 'LocationError';
    this.reason = reason; // denied | unavailable | timeout | unsupported
  }
}

const REASONS = { 1: 'denied', 2: 'unavailable', 3: 'timeout' };

export function currentPosition({ timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(new LocationError('unsupported'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => resolve({ lat: position.coords.latitude, lng: position.coords.longitude }),
      (error) => reject(new LocationError(REASONS[error.code] || 'unavailable')),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60000 },
    );
  });
}

/** Coordinates to 5 decimals (about a metre): enough, and short in a URL. */
export const round = (value) => Math.round(Number(value) * 1e5) / 1e5;
