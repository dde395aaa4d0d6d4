// Monitoring tab: the data KPIs, the PSI drift and the pipeline runs of GET /monitoring/charts (the
// Grafana panels' own SQL), drawn with uPlot from its WebJar (served by the app, no build step).
import uPlot from '../webjars/uplot/dist/uPlot.esm.js';
import { api } from './api.js';
import { $, el, fill, message, clear, loading, badge, fmt, when, table } from './dom.js';

const COLORS = { ratings: '#c2410c', users: '#1d4ed8', mean: '#15803d', genre: '#7c3aed', warn: '#a16207', strong: '#b91c1c' };
const plots = new Map();

export function initMonitoring() {
  $('#monitoring-refresh').addEventListener('click', load);
  window.addEventListener('resize', () => {
    for (const [id, plot] of plots) plot.setSize(size($(`#${id}`)));
  });
}

export function showMonitoring() {
  load();
}

async function load() {
  const box = $('#monitoring-messages');
  clear(box);
  loading($('#monitoring-summary'));
  try {
    const charts = await api('/monitoring/charts');
    summary(charts);
    kpiChart('chart-daily', charts.daily, 'day');
    kpiChart('chart-monthly', charts.monthly, 'month');
    driftChart(charts.drift);
    runsChart(charts.runs);
    runsTable(charts.runs);
    loadServing();
    if (!charts.daily.ratings.length) {
      message(box, 'info', 'No KPI has been computed yet: run the monitoring pipeline (POST /pipelines/monitoring, backfill "true") or the daily pipeline.');
    }
  } catch (e) {
    clear($('#monitoring-summary'));
    message(box, 'error', e.message);
  }
}

/** Seconds since the epoch of an ISO date or instant (uPlot's x values). */
function seconds(iso) {
  return Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 1000;
}

/** uPlot's aligned data: the union of the series' times, null where a series has no point. */
function aligned(series) {
  const xs = [...new Set(series.flatMap((s) => s.map((p) => seconds(p.time))))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  return [
    xs,
    ...series.map((s) => {
      const ys = new Array(xs.length).fill(null);
      for (const p of s) ys[index.get(seconds(p.time))] = p.value;
      return ys;
    }),
  ];
}

function size(container) {
  return { width: Math.max(260, container.clientWidth), height: 260 };
}

function draw(id, options, data) {
  const container = $(`#${id}`);
  if (plots.has(id)) plots.get(id).destroy();
  container.replaceChildren();
  container.dataset.points = String(data[0].length);
  const plot = new uPlot({ ...size(container), ...options }, data, container);
  plots.set(id, plot);
}

function line(label, stroke, scale, extra = {}) {
  return { label, stroke, scale, width: 2, spanGaps: false, points: { show: false }, ...extra };
}

function kpiChart(id, kpis, unit) {
  draw(
    id,
    {
      series: [
        { label: unit },
        line('ratings', COLORS.ratings, 'count'),
        line('active users', COLORS.users, 'count'),
        line('mean rating', COLORS.mean, 'rating', { width: 1, value: (u, v) => (v == null ? '–' : v.toFixed(2)) }),
      ],
      scales: { x: { time: true }, rating: { range: [0.5, 5] } },
      axes: [{}, { scale: 'count' }, { scale: 'rating', side: 1, grid: { show: false } }],
    },
    aligned([kpis.ratings, kpis.active_users, kpis.mean_rating]),
  );
}

function driftChart(drift) {
  // a log scale keeps 0.1 and 0.25 readable beside a first month's large PSI; it has no place for 0
  const positive = (list) => list.filter((p) => p.value > 0);
  const data = aligned([positive(drift.psi_rating), positive(drift.psi_genre)]);
  const constant = (v) => data[0].map(() => v);
  draw(
    'chart-drift',
    {
      series: [
        { label: 'month' },
        line('rating PSI', COLORS.ratings, 'psi', { points: { show: true, size: 5 } }),
        line('genre PSI', COLORS.genre, 'psi', { points: { show: true, size: 5 } }),
        line(`stable below ${drift.stable_below}`, COLORS.warn, 'psi', { dash: [6, 4], width: 1 }),
        line(`strong drift above ${drift.strong_above}`, COLORS.strong, 'psi', { dash: [6, 4], width: 1 }),
      ],
      scales: { x: { time: true }, psi: { distr: 3, log: 10 } },
      axes: [{}, { scale: 'psi' }],
    },
    [...data, constant(drift.stable_below), constant(drift.strong_above)],
  );
}

/** One point series per status: a run's duration at the time it was asked for. */
function runsChart(runs) {
  const done = runs.filter((r) => r.seconds !== null).slice().reverse();
  const statuses = [...new Set(done.map((r) => r.status))].sort();
  const color = { SUCCESS: '#15803d', FAILED: '#b91c1c' };
  const series = statuses.map((s) => done.filter((r) => r.status === s).map((r) => ({ time: r.requested_at, value: r.seconds })));
  draw(
    'chart-runs',
    {
      series: [
        { label: 'requested' },
        ...statuses.map((s) => ({
          label: s.toLowerCase(),
          stroke: color[s] || '#a16207',
          fill: color[s] || '#a16207',
          scale: 's',
          paths: () => null,
          points: { show: true, size: 8 },
          value: (u, v) => (v == null ? '–' : `${v.toFixed(1)} s`),
        })),
      ],
      scales: { x: { time: true }, s: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { scale: 's', size: 64, values: (u, vals) => vals.map((v) => `${v} s`) }],
    },
    statuses.length ? aligned(series) : [[]],
  );
}

function runsTable(runs) {
  fill(
    $('#monitoring-runs'),
    runs.length
      ? table(
          [
            { label: 'Requested', value: (r) => when(r.requested_at) },
            { label: 'Kind', value: (r) => r.kind },
            { label: 'Status', value: (r) => badge(r.status, r.status === 'SUCCESS' ? 'ok' : r.status === 'FAILED' ? 'error' : 'running') },
            { label: 'Trigger', value: (r) => r.trigger },
            { label: 'Duration', value: (r) => (r.seconds === null ? '–' : `${r.seconds.toFixed(1)} s`), class: 'num' },
            { label: 'Steps', value: (r) => r.steps || '–' },
          ],
          runs,
          { id: 'monitoring-runs-table' },
        )
      : el('p', { class: 'muted' }, 'No pipeline run yet.'),
  );
}

function summary(charts) {
  const last = (s) => (s.length ? s[s.length - 1] : null);
  const day = last(charts.daily.ratings);
  const mean = last(charts.daily.mean_rating);
  const users = last(charts.daily.active_users);
  const psiR = last(charts.drift.psi_rating);
  const psiG = last(charts.drift.psi_genre);
  const level = (p) => (!p ? 'info' : p.value > charts.drift.strong_above ? 'error' : p.value >= charts.drift.stable_below ? 'running' : 'ok');
  const kpi = (label, value, extra) => el('div', { class: 'kpi' }, el('span', { class: 'muted' }, label), el('strong', {}, value), extra);
  fill(
    $('#monitoring-summary'),
    el(
      'div',
      { class: 'kpis', id: 'monitoring-kpis' },
      kpi('Latest day with ratings', day ? day.time : '–'),
      kpi('Ratings that day', day ? fmt(day.value) : '–'),
      kpi('Active users that day', users ? fmt(users.value) : '–'),
      kpi('Mean rating that day', mean ? mean.value.toFixed(2) : '–'),
      kpi('Rating PSI, last month', psiR ? psiR.value.toFixed(3) : '–', psiR ? badge(psiR.time.slice(0, 7), level(psiR)) : null),
      kpi('Genre PSI, last month', psiG ? psiG.value.toFixed(3) : '–', psiG ? badge(psiG.time.slice(0, 7), level(psiG)) : null),
    ),
  );
}

/** The x range of a Prometheus chart: at least a minute, so that a Prometheus just started still has a readable axis. */
function recent(u, min, max) {
  return max - min >= 60 ? [min, max] : [max - 60, max];
}

/** Latency and request rate through GET /monitoring/prometheus; unavailable is a message, not an error. */
async function loadServing() {
  const box = $('#serving-messages');
  const alerts = $('#monitoring-alerts');
  clear(box);
  try {
    const s = await api('/monitoring/prometheus');
    $('#serving').hidden = !s.available;
    if (!s.available) {
      message(box, 'info', `Prometheus unavailable: ${s.detail}`);
      fill(alerts, el('p', { class: 'muted', id: 'alerts-unavailable' }, 'Unknown: Prometheus unavailable.'));
      return;
    }
    const ms = (list) => list.map((p) => ({ time: p.time, value: p.value * 1000 }));
    draw(
      'chart-latency',
      {
        series: [
          { label: 'time' },
          line('p50', COLORS.users, 'ms', { points: { show: true, size: 4 }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)} ms`) }),
          line('p99', COLORS.ratings, 'ms', { points: { show: true, size: 4 }, value: (u, v) => (v == null ? '–' : `${v.toFixed(2)} ms`) }),
        ],
        scales: { x: { time: true, range: recent }, ms: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{}, { scale: 'ms', size: 64, values: (u, vals) => vals.map((v) => `${v} ms`) }],
      },
      aligned([ms(s.recommend_p50), ms(s.recommend_p99)]),
    );
    draw(
      'chart-rate',
      {
        series: [{ label: 'time' }, line('requests/s', COLORS.mean, 'rps', { points: { show: true, size: 4 }, value: (u, v) => (v == null ? '–' : v.toFixed(2)) })],
        scales: { x: { time: true, range: recent }, rps: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{}, { scale: 'rps' }],
      },
      aligned([s.request_rate]),
    );
    fill(
      alerts,
      s.alerts.length
        ? table(
            [
              { label: 'Alert', value: (a) => a.name },
              { label: 'Severity', value: (a) => badge(a.severity || '–', a.severity === 'critical' ? 'error' : 'running') },
              { label: 'Summary', value: (a) => a.summary || '–' },
              { label: 'Since', value: (a) => when(a.active_at) },
            ],
            s.alerts,
            { id: 'alerts-table' },
          )
        : el('p', { class: 'muted', id: 'alerts-none' }, 'No alert firing.'),
    );
  } catch (e) {
    message(box, 'error', e.message);
  }
}
