// The rate card (GET /services), fetched once per page load: screens look services up by id.
import * as api from './api.js';

export const CATEGORIES = [
  'electrician', 'plumber', 'carpenter', 'mason', 'painter', 'tailor', 'beautician', 'cook',
  'aaya', 'driver', 'mobile_repair', 'laptop_repair', 'appliance_repair', 'ro_repair', 'tutor',
];

let all = null;

/** Every service on the rate card. */
export function allServices() {
  if (!all) {
    all = api.services().then((answer) => answer.services).catch((error) => {
      all = null;
      throw error;
    });
  }
  return all;
}

export async function serviceById(id) {
  return (await allServices()).find((service) => service.id === id) || null;
}
