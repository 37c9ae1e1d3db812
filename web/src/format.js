// Numbers, money, distances and times as people read and write them (₹250, 1.2 km, 10:30 बजे),
// and the inverse: what people type, turned into what the API takes.
import { language, t } from './i18n.js';

export { asciiDigits, digitsOf, mobileOf, paiseOf } from './digits.js';

const groups = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** ₹250, ₹1,250, ₹99.50 (Indian digit grouping in both languages). */
export function money(paise) {
  if (paise === null || paise === undefined) return '';
  const rupees = paise / 100;
  const text = Number.isInteger(rupees)
    ? groups.format(rupees)
    : new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(rupees);
  return `₹${text}`;
}

/** A distance as a band, never the exact metres: "500 मीटर से कम", "1–2 किमी". */
export function distanceBand(metres) {
  if (metres < 500) return t('distance.under_500m');
  if (metres < 1000) return t('distance.under_1km');
  const lower = Math.floor(metres / 1000);
  return t('distance.km_band', { from: lower, to: lower + 1 });
}

/** Whole metres as 850 मीटर / 1.2 किमी. */
export function distance(metres) {
  if (metres < 1000) return t('distance.metres', { n: Math.round(metres / 10) * 10 });
  return t('distance.km', { n: (Math.round(metres / 100) / 10).toLocaleString('en-IN') });
}

function localeOf() {
  return language.get() === 'hi' ? 'hi-IN-u-nu-latn' : 'en-IN';
}

const IST = 'Asia/Kolkata';

/** Hour (0-23) and minute of a moment in IST. */
function istClock(at) {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: IST, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const value = (type) => Number(parts.find((p) => p.type === type).value);
  return { hour: value('hour'), minute: value('minute') };
}

/** The time of day as people say it: "रात 9:23 बजे" / "9:23 pm". */
export function clock(at) {
  const { hour, minute } = istClock(at);
  const h12 = hour % 12 || 12;
  const mm = String(minute).padStart(2, '0');
  if (language.get() !== 'hi') return `${h12}:${mm} ${hour < 12 ? 'am' : 'pm'}`;
  const part = hour >= 4 && hour < 12 ? 'morning' : hour >= 12 && hour < 16 ? 'afternoon' : hour >= 16 && hour < 20 ? 'evening' : 'night';
  return t(`time.${part}`, { time: `${h12}:${mm}` });
}

/** A UTC ISO time in IST: "आज रात 9:23 बजे" today, "27 नवंबर, सुबह 10:30 बजे" another day. */
export function when(iso, now = new Date()) {
  if (!iso) return '';
  const at = new Date(iso);
  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: IST, dateStyle: 'short' }).format(d);
  if (day(at) === day(now)) return t('time.today', { time: clock(at) });
  const date = new Intl.DateTimeFormat(localeOf(), { timeZone: IST, day: 'numeric', month: 'long' }).format(at);
  return t('time.on_day', { date, time: clock(at) });
}

/** Minutes as "45 मिनट" / "4 घंटे". */
export function duration(minutes) {
  if (minutes < 60 || minutes % 60) return t('duration.minutes', { n: minutes });
  return t('duration.hours', { n: minutes / 60 });
}

/** Stars to one decimal ("4.5"), or null before any rating. */
export function rating(value) {
  return value === null || value === undefined ? null : (Math.round(value * 10) / 10).toFixed(1);
}
