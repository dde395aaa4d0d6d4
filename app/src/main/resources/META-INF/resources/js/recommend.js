// Recommend tab: any user of the dataset.
import { api } from './api.js';
import { $, el, fill, message, clear, loading } from './dom.js';
import { renderRecommendations } from './recs.js';

const EXAMPLES = [1, 2, 3, 7, 42, 100];

export function initRecommend() {
  const form = $('#recommend-form');
  const input = $('#recommend-user');
  fill(
    $('#recommend-quick'),
    el('span', { class: 'muted' }, 'Try: '),
    EXAMPLES.map((u) =>
      el('button', { type: 'button', class: 'chip', onclick: () => { input.value = u; run(); } }, `user ${u}`),
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
}

export function showRecommend() {
  if (!$('#recommend-result').hasChildNodes()) run();
}

async function run() {
  const box = $('#recommend-messages');
  const result = $('#recommend-result');
  const user = $('#recommend-user').value.trim();
  const top = $('#recommend-top').value;
  clear(box);
  loading(result);
  try {
    const data = await api(`/recommend?user_id=${encodeURIComponent(user)}&top_n=${encodeURIComponent(top)}`);
    renderRecommendations(result, data);
  } catch (e) {
    clear(result);
    message(box, 'error', e.message);
  }
}
