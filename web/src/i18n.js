// Every string the portal shows comes from a message catalogue: Hindi (the default, in the first
// load) and English (loaded when chosen). The choice is remembered on the device.
import hi from './messages/hi.json';
import { createStore } from './store.js';

export const LANGUAGES = ['hi', 'en'];
const STORAGE_KEY = 'sevamitra.lang';
const catalogues = { hi };

export const language = createStore('hi');

function remembered() {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.includes(value) ? value : 'hi';
  } catch {
    return 'hi';
  }
}

async function load(lang) {
  if (!catalogues[lang]) {
    catalogues[lang] = (await import('./messages/en.json')).default;
  }
  return catalogues[lang];
}

export async function setLanguage(lang, { remember = true } = {}) {
  await load(lang);
  document.documentElement.lang = lang;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
  language.set(lang);
}

export function initLanguage() {
  return setLanguage(remembered(), { remember: false });
}

/** The message `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key, params) {
  const catalogue = catalogues[language.get()] || hi;
  let text = catalogue[key] ?? hi[key];
  if (text === undefined) {
    if (import.meta.env.DEV) console.warn(`missing message ${key}`);
    return key;
  }
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
  }
  return text;
}

/** Whether the catalogue has `key` (for messages chosen by an API code). */
export function has(key) {
  return key in (catalogues[language.get()] || hi);
}

/** A name the API gives in both languages ({en, hi}), in the current one. */
export function localName(name) {
  if (!name) return '';
  return name[language.get()] || name.en || name.hi || '';
}
