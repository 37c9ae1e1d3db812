// The one client of the Seva Mitra API. Screens call the functions below; they never build a
// URL, set a header or read an error body themselves. Every call sends the ID token (when signed
// in) and the user's language, retries what is safe to retry, and turns the API's error shape
// into an ApiError whose `fields` hold a message per form field (from `details[].loc`) in the
// user's language.
export { ApiError, fieldOf } from './apierror.js';
import { ApiError, toApiError } from './apierror.js';
import { config } from './config.js';
import { fetchWithRetry, NetworkError } from './http.js';
import { has, language, t } from './i18n.js';
import { currentToken, signedOut, tokenAfterRejection } from './session.js';

/** What to tell the person about `error`, in the language chosen now. */
export function errorText(error) {
  if (error?.messageKey) return t(error.messageKey);
  return error?.message || t('errors.generic');
}

function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A key for one user action: pass the same key when the user retries that action. */
export const idempotencyKey = newIdempotencyKey;

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function request(method, path, options = {}) {
  const { body, params, auth = true, key, retried = false } = options;
  const headers = { Accept: 'application/json', 'Accept-Language': language.get() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  const token = auth ? await currentToken() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  const repeatable = method === 'GET' || method === 'PUT' || Boolean(key);
  let response;
  try {
    response = await fetchWithRetry(`${config().apiUrl}${path}${query(params)}`, init, { repeatable });
  } catch (error) {
    if (error instanceof NetworkError) {
      throw new ApiError({ status: 0, code: 'network', message: t('errors.code.network'), messageKey: 'errors.code.network' });
    }
    throw error;
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    // A 401 is the authorizer's: nothing was done, so one more try is safe. It goes with the token
    // signed in meanwhile or a refreshed one; only a second 401 (or a failed refresh) signs out.
    if (response.status === 401 && auth && !retried && (await tokenAfterRejection(token))) {
      return request(method, path, { ...options, retried: true });
    }
    const error = toApiError(response.status, parsed, { has, t });
    if (response.status === 401 && auth) signedOut();
    throw error;
  }
  return parsed;
}

const get = (path, params, options) => request('GET', path, { params, ...options });
const post = (path, body, options) => request('POST', path, { body, ...options });
const put = (path, body, options) => request('PUT', path, { body, ...options });
const id = encodeURIComponent;

// --- public -------------------------------------------------------------------------------------
export const services = (q) => get('/services', { q }, { auth: false });
export const districts = () => get('/districts', undefined, { auth: false });
export const card = (professionalId) => get(`/professionals/${id(professionalId)}/card`, undefined, { auth: false });

// --- accounts -------------------------------------------------------------------------------------
export const me = () => get('/me');
export const notifications = (params) => get('/me/notifications', params);
export const setPreferences = (body) => put('/me/preferences', body);
export const createAgency = (body, key) => post('/agencies', body, { key });
export const agencies = (params) => get('/agencies', params);
export const agency = (agencyId) => get(`/agencies/${id(agencyId)}`);
export const approveAgency = (agencyId) => post(`/agencies/${id(agencyId)}/approve`);

// --- professionals --------------------------------------------------------------------------------
export const registerProfessional = (body, key) => post('/professionals', body, { key });
export const professional = (professionalId) => get(`/professionals/${id(professionalId)}`);
export const requestDocumentUpload = (professionalId, body) =>
  post(`/professionals/${id(professionalId)}/documents`, body);
export const submitForVerification = (professionalId) => post(`/professionals/${id(professionalId)}/submit`);
export const setAvailability = (professionalId, body) => put(`/professionals/${id(professionalId)}/availability`, body);
export const audit = (professionalId) => get(`/professionals/${id(professionalId)}/audit`);
export const sendClaimCode = (professionalId) => post(`/professionals/${id(professionalId)}/claim-code`);
export const claim = (professionalId, code) => post(`/professionals/${id(professionalId)}/claim`, { code });

// --- verification ---------------------------------------------------------------------------------
export const verificationRequests = (params) => get('/verification/requests', { status: 'pending', ...params });

// --- matching and bookings ----------------------------------------------------------------------
export const match = ({ service, lat, lng, limit }) => get('/match', { service, lat, lng, limit });
export const createBooking = (body, key) => post('/bookings', body, { key });
export const bookings = (params) => get('/bookings', params);
export const booking = (bookingId) => get(`/bookings/${id(bookingId)}`);
export const acceptBooking = (bookingId) => post(`/bookings/${id(bookingId)}/accept`);
export const declineBooking = (bookingId) => post(`/bookings/${id(bookingId)}/decline`);
export const startBooking = (bookingId, startCode) => post(`/bookings/${id(bookingId)}/start`, { start_code: startCode });
export const completeBooking = (bookingId, amountPaise) =>
  post(`/bookings/${id(bookingId)}/complete`, { amount_collected_paise: amountPaise });
export const cancelBooking = (bookingId) => post(`/bookings/${id(bookingId)}/cancel`);
export const rateBooking = (bookingId, body) => post(`/bookings/${id(bookingId)}/rating`, body);
export const reportPayment = (bookingId, amountPaise) =>
  post(`/bookings/${id(bookingId)}/payment`, { amount_paid_paise: amountPaise });
export const addExpenses = (bookingId, items) => post(`/bookings/${id(bookingId)}/expenses`, { items });
export const approveExpense = (bookingId, expenseId) => post(`/bookings/${id(bookingId)}/expenses/${id(expenseId)}/approve`);
export const disputeExpense = (bookingId, expenseId) => post(`/bookings/${id(bookingId)}/expenses/${id(expenseId)}/dispute`);

// --- complaints and bans --------------------------------------------------------------------------
export const createComplaint = (body, key) => post('/complaints', body, { key });
export const complaints = (params) => get('/complaints', params);
export const complaint = (complaintId) => get(`/complaints/${id(complaintId)}`);
export const requestEvidenceUpload = (complaintId, body) => post(`/complaints/${id(complaintId)}/evidence`, body);
export const respondToComplaint = (complaintId, text) => post(`/complaints/${id(complaintId)}/response`, { text });
export const resolveComplaint = (complaintId, body) => post(`/complaints/${id(complaintId)}/resolve`, body);
export const confirmBan = (complaintId, remarks) => post(`/complaints/${id(complaintId)}/confirm-ban`, remarks ? { remarks } : {});
export const fileAppeal = (complaintId, text) => post(`/complaints/${id(complaintId)}/appeal`, { text });
export const decideAppeal = (complaintId, body) => post(`/complaints/${id(complaintId)}/appeal/decide`, body);
export const banCheck = (params) => get('/bans/check', params);

// --- uploads --------------------------------------------------------------------------------------
/** POST `file` with a presigned form from the API (`{url, fields}`) to the documents bucket. */
export async function upload(form, file) {
  const data = new FormData();
  for (const [name, value] of Object.entries(form.fields)) data.append(name, value);
  data.append('file', file);
  let response;
  try {
    response = await fetchWithRetry(form.url, { method: 'POST', body: data }, { repeatable: true });
  } catch {
    throw new ApiError({ status: 0, code: 'network', message: t('errors.code.network'), messageKey: 'errors.code.network' });
  }
  if (!response.ok) {
    throw new ApiError({
      status: response.status,
      code: 'upload_refused',
      message: t('errors.code.upload_refused'),
      messageKey: 'errors.code.upload_refused',
    });
  }
}

// --- jobs -----------------------------------------------------------------------------------------
export const postJob = (body, key) => post('/jobs', body, { key });
export const findJobs = (params) => get('/jobs', params);
export const myJobs = (params) => get('/me/jobs', params);
export const job = (jobId) => get(`/jobs/${id(jobId)}`);
export const closeJob = (jobId) => post(`/jobs/${id(jobId)}/close`);
export const applyToJob = (jobId, key) => post(`/jobs/${id(jobId)}/applications`, {}, { key });
export const applications = (jobId, params) => get(`/jobs/${id(jobId)}/applications`, params);
export const makeOffer = (jobId, professionalId, key) => post(`/jobs/${id(jobId)}/offers`, { professional_id: professionalId }, { key });
export const offer = (offerId) => get(`/offers/${id(offerId)}`);
export const acceptOffer = (offerId) => post(`/offers/${id(offerId)}/accept`);
export const declineOffer = (offerId) => post(`/offers/${id(offerId)}/decline`);
export const engagements = (params) => get('/engagements', params);
export const engagement = (engagementId) => get(`/engagements/${id(engagementId)}`);
export const recordAttendance = (engagementId, body) => post(`/engagements/${id(engagementId)}/attendance`, body);
export const disputeAttendance = (engagementId, date, body) =>
  post(`/engagements/${id(engagementId)}/attendance/${id(date)}/dispute`, body);
export const statement = (engagementId, month) => get(`/engagements/${id(engagementId)}/statement`, { month });
