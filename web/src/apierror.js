// The API's error shape ({"error": {"code", "message", "details": [{"loc", "msg", "type"}]}}) as
// what a page shows: one message for the top of the page and one per form field. No imports:
// the catalogue is passed in (the Node unit tests pass their own).

export class ApiError extends Error {
  /**
   * status: HTTP status (0: no answer); code: the API's snake_case code; messageKey: the
   * catalogue key of the page's message (null: `message`, the API's own text, is shown); fields:
   * {field: catalogue key}, field being the top-level body or query field a detail's `loc`
   * names; details: as sent. Keys, not text: the page shows them in whatever language is chosen.
   */
  constructor({ status, code, message, messageKey = null, fields = {}, details = [] }) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.messageKey = messageKey;
    this.fields = fields;
    this.details = details;
  }
}

const LOCATIONS = new Set(['body', 'query', 'path']);

/** The form field a pydantic `loc` points at: its first name after body/query/path. */
export function fieldOf(loc) {
  const parts = (Array.isArray(loc) ? loc : [loc]).map(String);
  const rest = LOCATIONS.has(parts[0]) ? parts.slice(1) : parts;
  return rest.find((part) => !/^\d+$/.test(part)) || null;
}

/**
 * An error answer (status, parsed body or null) as an ApiError, its messages chosen from
 * `catalogue` ({has(key), t(key)}): per field `errors.field.<field>.<type or code>`, else
 * `errors.field.<field>`, else `errors.field_invalid`; for the page `errors.code.<code>`, else
 * the API's own message (in the user's language at the time: the client sends Accept-Language).
 */
export function toApiError(status, body, catalogue) {
  const { has, t } = catalogue;
  const error = (body && body.error) || {};
  const code = error.code || (status >= 500 ? 'server_error' : 'unknown_error');
  const details = Array.isArray(error.details) ? error.details : [];
  const fields = {};
  for (const detail of details) {
    const field = detail && detail.loc ? fieldOf(detail.loc) : null;
    if (!field || fields[field]) continue;
    const key = [`errors.field.${field}.${detail.type || code}`, `errors.field.${field}`].find(has);
    fields[field] = key || 'errors.field_invalid';
  }
  let messageKey = null;
  if (has(`errors.code.${code}`)) messageKey = `errors.code.${code}`;
  else if (Object.keys(fields).length) messageKey = 'errors.code.validation_error';
  else if (!error.message) messageKey = 'errors.generic';
  const message = messageKey ? t(messageKey) : error.message;
  return new ApiError({ status, code, message, messageKey, fields, details });
}
