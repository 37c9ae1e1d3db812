// What the sign-up and sign-in screens share: Cognito's refusals as field messages, and the
// password of a sign-up in progress (in memory only), so that confirming it signs the user in.
import { PAGE } from '../hooks.js';
import { has } from '../i18n.js';

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

/** A Cognito error as {field: catalogue key} for useForm's fail() (`fallbackField` for a wrong
sign-in), or a problem with the whole form. */
export function cognitoProblem(error, fallbackField) {
  const type = error?.type || 'UnknownError';
  const key = has(`errors.cognito.${type}`) ? `errors.cognito.${type}` : 'errors.cognito.UnknownError';
  const field = FIELD_OF[type] || (type === 'NotAuthorizedException' ? fallbackField : null);
  return field ? { [field]: key } : { [PAGE]: key };
}
