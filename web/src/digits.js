// What people type, turned into what the API takes: Devanagari or ASCII digits, spaces, commas,
// the rupee sign, +91. No imports: the Node unit tests load it as it is.

const DEVANAGARI_DIGITS = '०१२३४५६७८९';

/** Devanagari digits as ASCII digits: people type either. */
export function asciiDigits(text) {
  return String(text ?? '').replace(/[०-९]/g, (d) => String(DEVANAGARI_DIGITS.indexOf(d)));
}

/** Only the digits of what was typed ("98765 43210" -> "9876543210"). */
export function digitsOf(text) {
  return asciiDigits(text).replace(/\D/g, '');
}

/** A 10-digit Indian mobile number from what people type: spaces, dashes, +91 or a leading 0. */
export function mobileOf(text) {
  let digits = digitsOf(text);
  if (digits.length === 12 && digits.startsWith('91')) digits = digits.slice(2);
  if (digits.length === 11 && digits.startsWith('0')) digits = digits.slice(1);
  return digits;
}

/** Rupees typed as people write them ("₹1,250", "250.50", "२५०", "Rs. 300") in paise, or null. */
export function paiseOf(text) {
  const cleaned = asciiDigits(text).trim().replace(/^(₹|rs\.?|inr)\s*/i, '').replace(/[,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
  const [rupees, fraction = ''] = cleaned.split('.');
  return Number(rupees) * 100 + Number(fraction.padEnd(2, '0'));
}

const MASK = '•';
export const AADHAAR_LENGTH = 12;

/** What the Aadhaar box shows for `digits`: all but the last four masked, in groups of four. */
export function maskedAadhaar(digits) {
  const hidden = Math.max(0, digits.length - 4);
  const shown = MASK.repeat(hidden) + digits.slice(hidden);
  return shown.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * The Aadhaar digits after an edit of the shown text: masked characters keep the digits they
 * stood for, typed digits follow them. An edit inside the masked part (which cannot say which
 * hidden digit changed) keeps the hidden digits before it only; the check digit then catches it.
 */
export function aadhaarAfterEdit(previous, text) {
  const chars = asciiDigits(text).replace(/\s/g, '');
  const firstDigit = chars.search(/\d/);
  const maskedPrefix = firstDigit === -1 ? chars : chars.slice(0, firstDigit);
  const maskedCount = maskedPrefix.split(MASK).length - 1;
  const typed = chars.replace(/\D/g, '');
  return (previous.slice(0, Math.min(maskedCount, previous.length)) + typed).slice(0, AADHAAR_LENGTH);
}
