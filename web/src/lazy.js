// Screens outside the first load (jobs, agencies): their module is fetched when one of them is
// first opened, and a page that says so stands in meanwhile.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './components/Loading.js';
import { Notice } from './components/Notice.js';
import { Page } from './components/Page.js';
import { t } from './i18n.js';

/** A screen `name` of the module `load()` imports. */
export function lazy(load, name) {
  let Screen = null;
  return function LazyScreen(props) {
    const [, setReady] = useState(Boolean(Screen));
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Screen) return;
      load().then(
        (module) => {
          Screen = module[name];
          setReady(true);
        },
        () => setFailed(true),
      );
    }, []);
    if (Screen) return html`<${Screen} ...${props} />`;
    return html`<${Page} title=${t('common.loading_page')}>${failed ? html`<${Notice} kind="warning" role="alert">${t('errors.code.network')}<//>` : html`<${Loading} />`}<//>`;
  };
}
