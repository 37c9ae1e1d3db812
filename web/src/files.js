// Files people pick (or photograph) for documents and evidence: what storage accepts.
export const ACCEPT = 'application/pdf,image/jpeg,image/png';
export const MAX_BYTES = 5 * 1024 * 1024;
const TYPES = new Set(ACCEPT.split(','));

/** The catalogue key of what is wrong with `file`, or null. */
export function fileProblem(file) {
  if (!file) return 'files.missing';
  if (!TYPES.has(file.type)) return 'files.wrong_type';
  if (file.size > MAX_BYTES) return 'files.too_big';
  if (file.size === 0) return 'files.empty';
  return null;
}
