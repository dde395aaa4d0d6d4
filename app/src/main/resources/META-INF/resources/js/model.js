// Model tab: what serves (version, family, run, dataset, metrics), its parameters, the registered
// versions compared (family, metrics, an NDCG@100 bar chart), every promotion decision.
import { api, field } from './api.js';
import { $, el, fill, clear, loading, fmt, fixed, plain, when, badge, table } from './dom.js';

const METRIC_ORDER = ['catalogue_share', 'ndcg_10', 'precision_10', 'recall_10', 'full_recall_20', 'full_recall_20_truncated', 'full_recall_50_truncated', 'full_ndcg_100', 'full_coverage_20'];

export function initModel() {
  $('#model-refresh').addEventListener('click', load);
}

export function showModel() {
  load();
}

async function load() {
  const box = $('#model-messages');
  clear(box);
  const parts = [
    [$('#model-metadata'), '/model/metadata', renderMetadata],
    [$('#model-config'), '/model/config', renderConfig],
    [$('#model-versions'), '/model/versions?limit=20', renderVersions],
    [$('#model-promotions'), '/model/promotions?limit=20', renderPromotions],
  ];
  await Promise.all(
    parts.map(async ([container, path, render]) => {
      loading(container);
      try {
        render(container, await api(path));
      } catch (e) {
        clear(container);
        box.append(el('p', { class: 'msg msg-error', role: 'alert' }, e.message));
      }
    }),
  );
}

function renderMetadata(container, m) {
  const status = m.status || 'unknown';
  const metrics = m.metrics || {};
  const names = Object.keys(metrics).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  fill(
    container,
    el(
      'article',
      { class: 'card', id: 'model-card' },
      el('h2', {}, m.name || 'model', ' ', m.version != null ? el('span', { class: 'version' }, `version ${m.version}`) : null, ' ', badge(status, status === 'serving' ? 'ok' : 'info')),
      m.detail ? el('p', { class: 'reason' }, m.detail) : null,
      el(
        'dl',
        { class: 'facts' },
        fact('Family', m.family),
        fact('Run id', field(m, 'run_id', 'runId')),
        fact('Created', when(field(m, 'created_at', 'createdAt'))),
        fact('Loaded here', when(field(m, 'loaded_at', 'loadedAt'))),
        fact('Dataset (DVC md5)', field(m, 'dataset_md5', 'datasetMd5')),
        fact('Git commit', field(m, 'git_commit', 'gitCommit')),
      ),
      names.length
        ? [
            el('h3', {}, 'Metrics'),
            table(
              [
                { label: 'Metric', value: (n) => el('code', {}, n) },
                { label: 'Value', value: (n) => fixed(metrics[n], 4), class: 'num' },
              ],
              names,
              { id: 'metrics-table' },
            ),
          ]
        : el('p', { class: 'msg msg-info' }, 'No production model yet: the popularity list serves every user.'),
    ),
  );
}

function rank(name) {
  const i = METRIC_ORDER.indexOf(name);
  return i < 0 ? METRIC_ORDER.length + (name.startsWith('full_') ? 0 : name.includes('_full_') ? 2 : 1) : i;
}

function fact(label, value) {
  return [el('dt', {}, label), el('dd', {}, value == null || value === '' ? '–' : String(value))];
}

function renderConfig(container, config) {
  const entries = Object.entries(config || {});
  fill(
    container,
    el(
      'article',
      { class: 'card' },
      el('h2', {}, 'Parameters'),
      table(
        [
          { label: 'Parameter', value: ([k]) => el('code', {}, k) },
          { label: 'Value', value: ([, v]) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : fmt(v, 4)) },
        ],
        entries,
        { id: 'config-table' },
      ),
    ),
  );
}

// Registered versions side by side: family, the metrics promotion and the README compare, and a
// bar per version for full-ranking NDCG@100 (scaled to the best version shown).
function renderVersions(container, versions) {
  const rows = Array.isArray(versions) ? versions : [];
  if (!rows.length) {
    fill(container, el('p', { class: 'msg msg-info' }, 'No registered version yet.'));
    return;
  }
  const ndcg = (v) => (v.metrics || {}).full_ndcg_100;
  const best = Math.max(...rows.map((v) => ndcg(v) || 0)) || 1;
  const metric = (name, digits = 4) => (v) => fixed((v.metrics || {})[name], digits);
  fill(
    container,
    table(
      [
        { label: 'Version', value: (v) => el('span', {}, String(v.version), v.serving ? [' ', badge('serving', 'ok')] : null), class: 'num' },
        { label: 'Family', value: (v) => el('code', {}, v.family || 'itemknn') },
        { label: 'Created', value: (v) => when(field(v, 'created_at', 'createdAt')) },
        { label: 'NDCG@10 (seed)', value: metric('ndcg_10'), class: 'num' },
        { label: 'Recall@20', value: metric('full_recall_20'), class: 'num' },
        { label: 'Coverage@20', value: metric('full_coverage_20', 3), class: 'num' },
        { label: 'Catalogue share', value: metric('catalogue_share', 3), class: 'num' },
        { label: 'NDCG@100', value: metric('full_ndcg_100'), class: 'num' },
        {
          label: 'NDCG@100 chart',
          value: (v) =>
            ndcg(v) == null
              ? '–'
              : el('span', {
                  class: 'bar',
                  role: 'img',
                  'aria-label': `NDCG@100 ${fixed(ndcg(v), 4)}`,
                  style: `width: ${Math.max(2, Math.round((100 * ndcg(v)) / best))}%`,
                  'data-family': v.family || 'itemknn',
                }),
          class: 'bar-cell',
        },
      ],
      rows,
      { id: 'versions-table' },
    ),
  );
}

// A version with its model family, e.g. "3 (ease)".
function withFamily(version, family) {
  const v = plain(version);
  return family ? `${v} (${family})` : v;
}

function renderPromotions(container, decisions) {
  const rows = Array.isArray(decisions) ? decisions : decisions.decisions || [];
  if (!rows.length) {
    fill(container, el('p', { class: 'msg msg-info' }, 'No promotion decision yet.'));
    return;
  }
  fill(
    container,
    table(
      [
        { label: 'When', value: (d) => when(field(d, 'decided_at', 'decidedAt')) },
        { label: 'Challenger', value: (d) => withFamily(field(d, 'challenger_version', 'challengerVersion'), d.challenger_family), class: 'num' },
        { label: 'Champion', value: (d) => withFamily(field(d, 'champion_version', 'championVersion'), d.champion_family), class: 'num' },
        { label: 'Metric', value: (d) => d.metric || '' },
        { label: 'Scores', value: (d) => `${fixed(field(d, 'challenger_score', 'challengerScore'), 4)} vs ${fixed(field(d, 'champion_score', 'championScore'), 4)}` },
        { label: 'Difference ± SE', value: (d) => (d.difference == null ? '' : `${fixed(d.difference, 4)}${d.difference_se == null ? '' : ` ± ${fixed(d.difference_se, 4)}`}`), class: 'num' },
        { label: 'Outcome', value: (d) => badge(d.outcome || '?', /promot|roll/i.test(d.outcome || '') ? 'ok' : 'info') },
        { label: 'Reason', value: (d) => d.reason || '' },
        { label: 'By', value: (d) => d.actor || '' },
      ],
      rows,
      { id: 'promotions-table' },
    ),
  );
}
