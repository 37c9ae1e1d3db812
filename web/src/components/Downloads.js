// Files someone uploaded (complaint evidence, expense receipts), each with a Download link while
// the API gives one: a short-lived link straight to storage that saves the file (never opens it
// as a page). A file still being uploaded says so instead.
import { html } from 'htm/preact';
import { t } from '../i18n.js';

const KINDS = { 'application/pdf': 'files.kind_pdf', 'image/jpeg': 'files.kind_photo', 'image/png': 'files.kind_photo' };

/** files: [{id, name, content_type, url?}] with `name` already in the reader's language. */
export function Downloads({ files }) {
  if (!files.length) return null;
  return html`
    <ul class="files">
      ${files.map((file) => html`
        <li key=${file.id} class="files__item">
          <span>${file.name} (${t(KINDS[file.content_type] || 'files.kind_file')})</span>
          ${file.url
            ? html`<a class="files__link" href=${file.url} download rel="noopener noreferrer" aria-label=${t('files.download_named', { name: file.name })}>${t('files.download')}</a>`
            : html`<span class="files__pending">${t('files.not_uploaded')}</span>`}
        </li>`)}
    </ul>
  `;
}
