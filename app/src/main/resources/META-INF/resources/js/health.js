// Health tab: the /ready checks (a 503 still carries them) and the links to the tools around the app.
import { api, field } from './api.js';
import { $, el, fill, message, clear, loading, badge } from './dom.js';

export function initHealth() {
  $('#health-refresh').addEventListener('click', load);
}

export function showHealth() {
  load();
}

async function load() {
  const box = $('#health-messages');
  const checks = $('#health-checks');
  clear(box);
  loading(checks);
  try {
    const ready = await api('/ready', { accept: [503] });
    const entries = Object.entries(ready.checks || {});
    fill(
      checks,
      el('p', { class: 'overall' }, 'Overall: ', badge(ready.status, ready.status === 'ready' ? 'ok' : 'error')),
      el(
        'div',
        { class: 'checks', id: 'health-check-list' },
        entries.map(([name, c]) =>
          el(
            'article',
            { class: `card check ${c.up ? 'up' : 'down'}`, 'data-check': name },
            el('h3', {}, name, ' ', badge(c.status, c.up ? 'ok' : 'error')),
            c.detail ? el('p', { class: 'muted' }, c.detail) : null,
          ),
        ),
      ),
    );
  } catch (e) {
    clear(checks);
    message(box, 'error', e.message);
  }
  loadLinks();
}

async function loadLinks() {
  const list = $('#links');
  try {
    const c = await api('/ui/config');
    const links = [
      ['Grafana dashboards', field(c, 'grafana_url'), 'reco.ui.grafana-url'],
      ['MLflow (experiments, runs, registered models)', field(c, 'mlflow_url'), 'reco.ui.mlflow-url'],
      ['API documentation (Swagger UI)', field(c, 'api_docs_url'), null],
      ['OpenAPI document', field(c, 'openapi_url'), null],
      ['Prometheus metrics of this instance', field(c, 'metrics_url'), null],
    ];
    fill(
      list,
      links.map(([label, url, key]) =>
        el(
          'li',
          {},
          url
            ? el('a', { href: url, target: url.startsWith('/') ? null : '_blank', rel: 'noopener' }, label)
            : [el('span', {}, label), el('span', { class: 'muted' }, ` (not configured${key ? `: set ${key}` : ''})`)],
        ),
      ),
    );
  } catch (e) {
    fill(list, el('li', { class: 'msg msg-error', role: 'alert' }, e.message));
  }
}
