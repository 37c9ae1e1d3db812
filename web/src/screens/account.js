// What the sign-up and sign-in screens share: Cognito's refusals as field messages, and the
// password of a sign-up in progress (in memory only), so that confirming it signs the user in.
import { t } from '../i18n.js';

let pending = null;

export function remember(username, password) {
  pending = { username, password };
}

export function pendingPassword(username) {
  return pending && pending.username === username ? pending.password : null;
}

export function forget() {
  pending = null;
}

const FIELD_OF = {
  UsernameExistsException: 'mobile',
  InvalidPasswordException: 'password',
  CodeMismatchException: 'code',
  ExpiredCodeException: 'code',
};

/** A Cognito error as {field: message} for the form (`fallbackField` for a wrong sign-in). */
export function cognitoProblem(error, fallbackField) {
  const type = error?.type || 'UnknownError';
  const key = `errors.cognito.${type}`;
  const message = t(key) === key ? t('errors.cognito.UnknownError') : t(key);
  const field = FIELD_OF[type] || (type === 'NotAuthorizedException' ? fallbackField : null);
  if (field) return { [field]: message };
  return { fields: {}, message, name: 'CognitoError' };
}
