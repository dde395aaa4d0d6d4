// Pipelines tab: trigger a run with the operator key, follow it live (its steps polled), list recent runs.
import { api, field } from './api.js';
import { $, el, fill, message, clear, loading, fmt, when, duration, badge, table } from './dom.js';

const KEY = 'reco.operator.key';
const POLL_MS = 1000;
const ACTIVE = ['QUEUED', 'RUNNING', 'PENDING', 'REQUESTED'];

let following = null; // the run id being polled
let timer = null;

export function initPipelines() {
  const input = $('#operator-key');
  input.value = sessionStorage.getItem(KEY) || '';
  $('#key-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, input.value);
    message($('#pipeline-messages'), 'ok', input.value ? 'Operator key kept for this tab.' : 'No key kept.');
  });
  $('#key-forget').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    input.value = '';
    message($('#pipeline-messages'), 'info', 'Operator key forgotten.');
  });
  for (const button of document.querySelectorAll('[data-trigger]')) {
    button.addEventListener('click', () => trigger(button.dataset.trigger));
  }
  $('#runs-refresh').addEventListener('click', loadRuns);
}

export function showPipelines() {
  loadRuns();
}

function operatorKey() {
  // what is typed counts even before "Keep for this tab"
  const typed = $('#operator-key').value;
  if (typed) sessionStorage.setItem(KEY, typed);
  return typed || sessionStorage.getItem(KEY) || '';
}

async function trigger(kind) {
  const box = $('#pipeline-messages');
  clear(box);
  const key = operatorKey();
  if (!key) {
    message(box, 'error', 'Type the operator key first: triggering a pipeline is for operators (X-API-Key).');
    return;
  }
  try {
    const run = await api(`/pipelines/${kind}`, { method: 'POST', headers: { 'X-API-Key': key }, body: {} });
    const runId = field(run, 'run_id', 'runId');
    const already = field(run, 'already_active', 'alreadyActive');
    message(
      box,
      already ? 'info' : 'ok',
      already ? `A ${kind} run is already active (${runId}): following it.` : `${kind} run ${runId} requested (${run.status || 'QUEUED'}).`,
    );
    follow(runId);
    loadRuns();
  } catch (e) {
    message(box, 'error', `${kind} was not started: ${e.message}`);
  }
}

export function follow(runId) {
  following = runId;
  clearTimeout(timer);
  loading($('#pipeline-run'), `Following run ${runId}…`);
  poll(runId);
}

async function poll(runId) {
  if (following !== runId) return;
  try {
    const run = await api(`/pipelines/runs/${encodeURIComponent(runId)}`);
    if (following !== runId) return;
    renderRun(run);
    if (ACTIVE.includes(String(run.status).toUpperCase())) {
      timer = setTimeout(() => poll(runId), POLL_MS);
    } else {
      loadRuns();
    }
  } catch (e) {
    message($('#pipeline-messages'), 'error', `Run ${runId}: ${e.message}`);
    // a transient error does not stop following; a missing run does
    if (e.status !== 404 && following === runId) timer = setTimeout(() => poll(runId), POLL_MS * 3);
  }
}

function renderRun(run) {
  const status = String(run.status || '?');
  const active = ACTIVE.includes(status.toUpperCase());
  const steps = run.steps || [];
  const counts = Object.entries(run.counts || {});
  fill(
    $('#pipeline-run'),
    el(
      'article',
      { class: 'card run', id: 'run-card', 'data-run-id': field(run, 'run_id', 'runId'), 'data-status': status },
      el('h3', {}, `${run.kind} run `, el('code', {}, field(run, 'run_id', 'runId')), ' ', badge(status, statusKind(status)), active ? el('span', { class: 'spinner', 'aria-label': 'running' }) : null),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Trigger'), el('dd', {}, run.trigger || '–'),
        el('dt', {}, 'Requested'), el('dd', {}, when(field(run, 'requested_at', 'requestedAt'))),
        el('dt', {}, 'Started'), el('dd', {}, when(field(run, 'started_at', 'startedAt'))),
        el('dt', {}, 'Duration'), el('dd', {}, duration(field(run, 'started_at', 'startedAt'), field(run, 'finished_at', 'finishedAt'))),
        counts.length ? [el('dt', {}, 'Counts'), el('dd', {}, counts.map(([k, v]) => `${k}: ${value(v)}`).join(', '))] : null,
      ),
      run.error ? el('p', { class: 'msg msg-error', role: 'alert' }, run.error) : null,
      steps.length
        ? table(
            [
              { label: '#', value: (s) => fmt(s.position), class: 'num' },
              { label: 'Step', value: (s) => [el('strong', {}, s.step), s.blocking === false ? el('span', { class: 'muted' }, ' (non-blocking)') : null] },
              { label: 'Status', value: (s) => badge(s.status || '?', statusKind(s.status)) },
              { label: 'Time', value: (s) => (field(s, 'started_at', 'startedAt') ? duration(field(s, 'started_at', 'startedAt'), field(s, 'finished_at', 'finishedAt')) : '–'), class: 'num' },
              { label: 'Detail', value: (s) => [detail(s.detail), s.error ? el('div', { class: 'error-text' }, s.error) : null] },
            ],
            [...steps].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)),
            { id: 'steps-table' },
          )
        : el('p', { class: 'muted' }, active ? 'Waiting for a worker to take the run…' : 'No step recorded.'),
    ),
  );
}

function detail(obj) {
  const entries = Object.entries(obj || {});
  if (!entries.length) return null;
  return el('span', { class: 'detail' }, entries.map(([k, v]) => `${k}: ${value(v)}`).join(' · '));
}

// Nested details (metrics, phase timings) read as "name value, ..." rather than as JSON.
function value(v) {
  if (Array.isArray(v)) return v.map(value).join(', ');
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).map(([k, x]) => `${k} ${value(x)}`).join(', ');
  }
  return fmt(v, 3);
}

function statusKind(status) {
  const s = String(status || '').toUpperCase();
  if (['SUCCESS', 'SUCCEEDED', 'DONE', 'PROMOTED'].includes(s)) return 'ok';
  if (['FAILED', 'ERROR', 'CANCELLED', 'CANCELED'].includes(s)) return 'error';
  if (ACTIVE.includes(s)) return 'running';
  return 'info';
}

async function loadRuns() {
  const container = $('#pipeline-runs');
  try {
    const data = await api('/pipelines/runs?size=10');
    const runs = data.runs || [];
    if (!runs.length) {
      fill(container, el('p', { class: 'muted' }, 'No run yet.'));
      return;
    }
    fill(
      container,
      table(
        [
          { label: 'Requested', value: (r) => when(field(r, 'requested_at', 'requestedAt')) },
          { label: 'Kind', value: (r) => r.kind },
          { label: 'Status', value: (r) => badge(r.status || '?', statusKind(r.status)) },
          { label: 'Trigger', value: (r) => r.trigger || '' },
          { label: 'Duration', value: (r) => duration(field(r, 'started_at', 'startedAt'), field(r, 'finished_at', 'finishedAt')), class: 'num' },
          { label: '', value: (r) => el('button', { type: 'button', class: 'small', onclick: () => follow(field(r, 'run_id', 'runId')) }, 'Follow') },
        ],
        runs,
        { id: 'runs-table' },
      ),
    );
  } catch (e) {
    fill(container, el('p', { class: 'msg msg-error', role: 'alert' }, e.message));
  }
}
