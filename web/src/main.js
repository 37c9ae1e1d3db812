// Start: read config.json, pick the language, then draw the portal over the page's static text.
import { render } from 'preact';
import { html } from 'htm/preact';
import './styles.css';
import { App } from './app.js';
import { loadConfig } from './config.js';
import { initLanguage, t } from './i18n.js';

async function start() {
  const root = document.getElementById('app');
  try {
    await Promise.all([loadConfig(), initLanguage()]);
  } catch (error) {
    const status = document.getElementById('boot-status');
    if (status) {
      status.textContent = t('boot.failed');
      status.setAttribute('role', 'alert');
    }
    console.error(error);
    return;
  }
  root.textContent = '';
  render(html`<${App} />`, root);
  // The portal answers input from here on (benchmarks/portal_bench.py reads this mark).
  performance.mark('sevamitra:interactive');
}

start();
