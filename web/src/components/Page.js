// One page: its heading (the page's title too) and, after a navigation, focus on the heading so
// that screen readers announce the new page.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../i18n.js';
import { route } from '../router.js';

export function Page({ title, caption, children }) {
  const heading = useRef(null);
  useEffect(() => {
    document.title = `${title} – ${t('service.name')}`;
  }, [title]);
  useEffect(() => {
    if (route.get().navigated && heading.current) heading.current.focus();
  }, []);
  return html`
    ${caption && html`<span class="caption">${caption}</span>`}
    <h1 ref=${heading} tabindex="-1">${title}</h1>
    ${children}
  `;
}
