// A status as a coloured label, text from the catalogue (`status.<kind>.<value>`).
import { html } from 'htm/preact';
import { t } from '../i18n.js';

const TONES = {
  requested: 'blue', accepted: 'green', in_progress: 'purple', completed: 'grey', cancelled: 'red', expired: 'red',
  pending_documents: 'yellow', verification_pending: 'blue', police_pending: 'blue', verified: 'green',
  rejected: 'red', banned: 'red', suspended: 'red', open: 'blue', upheld: 'green', dismissed: 'grey',
  escalated: 'purple', pending_approval: 'yellow', approved: 'green',
};

export function Tag({ kind, value }) {
  return html`<strong class=${`tag tag--${TONES[value] || 'grey'}`}>${t(`status.${kind}.${value}`)}</strong>`;
}
