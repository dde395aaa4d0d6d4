// "Rate as a new user": a fresh user id, ratings posted one by one, recommendations asked again after each.
import { api, field } from './api.js';
import { $, el, fill, message, clear, loading, genres } from './dom.js';
import { renderRecommendations, recommendationIds, movieLink } from './recs.js';

const USER_KEY = 'reco.try.user';
const RATINGS_KEY = 'reco.try.ratings';
// Users the model knows come from the dataset (MovieLens ids stay far below this range).
const FIRST_ID = 10_000_000;
const ID_RANGE = 10_000_000;
const PERSONAL_FROM = 5;

let userId;
let ratings = []; // [{movie_id, title, rating}]
let lastIds = null;
let started = false;

export function initTry() {
  userId = Number(sessionStorage.getItem(USER_KEY)) || newUser();
  try {
    ratings = JSON.parse(sessionStorage.getItem(RATINGS_KEY) || '[]');
  } catch (e) {
    ratings = [];
  }
  $('#try-reset').addEventListener('click', () => {
    userId = newUser();
    ratings = [];
    lastIds = null;
    save();
    renderRatings();
    clear($('#try-messages'));
    refresh();
    loadCandidates('');
  });
  $('#try-search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    loadCandidates($('#try-search').value.trim());
  });
}

export function showTry() {
  if (started) return;
  started = true;
  renderRatings();
  loadCandidates('');
  refresh();
}

function newUser() {
  const id = FIRST_ID + Math.floor(Math.random() * ID_RANGE);
  sessionStorage.setItem(USER_KEY, String(id));
  return id;
}

function save() {
  sessionStorage.setItem(USER_KEY, String(userId));
  sessionStorage.setItem(RATINGS_KEY, JSON.stringify(ratings));
}

async function loadCandidates(query) {
  const box = $('#try-candidates');
  loading(box);
  try {
    const data = query
      ? await api(`/movies/search?q=${encodeURIComponent(query)}&limit=20`)
      : await api('/movies/popular?limit=30');
    const movies = data.movies || [];
    if (!movies.length) {
      fill(box, el('p', { class: 'msg msg-info' }, query ? `No title contains “${query}”.` : 'The catalogue is empty.'));
      return;
    }
    fill(
      box,
      el(
        'ul',
        { class: 'plain candidates', id: 'try-candidate-list' },
        movies.map((m) => candidate(field(m, 'movie_id', 'movieId'), m.title, m.genres, m.year)),
      ),
    );
    markRated();
  } catch (e) {
    clear(box);
    message($('#try-messages'), 'error', e.message);
  }
}

function candidate(movieId, title, movieGenres, year) {
  return el(
    'li',
    { class: 'candidate', 'data-movie-id': movieId },
    el('div', { class: 'cand-title' }, movieLink(movieId, title), year ? el('span', { class: 'muted' }, ` (${year})`) : null, genres(movieGenres)),
    el(
      'div',
      { class: 'stars', role: 'group', 'aria-label': `Rate ${title}` },
      [1, 2, 3, 4, 5].map((r) =>
        el(
          'button',
          { type: 'button', class: 'star', 'data-rating': r, 'aria-label': `${r} star${r > 1 ? 's' : ''}`, onclick: () => rate(movieId, title, r) },
          `${r}★`,
        ),
      ),
      el('span', { class: 'rated-mark' }),
    ),
  );
}

function markRated() {
  for (const li of document.querySelectorAll('#try-candidates .candidate')) {
    const r = ratings.find((x) => String(x.movie_id) === li.dataset.movieId);
    li.classList.toggle('rated', !!r);
    li.querySelector('.rated-mark').textContent = r ? `rated ${r.rating}` : '';
  }
}

async function rate(movieId, title, rating) {
  const box = $('#try-messages');
  clear(box);
  try {
    const stored = await api(`/users/${userId}/ratings`, { method: 'POST', body: { movie_id: movieId, rating } });
    if (stored && stored.published === false) {
      message(box, 'info', 'Rating stored; the event for other consumers could not be published to Kafka yet.');
    }
  } catch (e) {
    message(box, 'error', `Your rating was not stored: ${e.message}`);
    return;
  }
  ratings = ratings.filter((x) => x.movie_id !== movieId);
  ratings.push({ movie_id: movieId, title, rating });
  save();
  renderRatings();
  markRated();
  await refresh();
}

function renderRatings() {
  $('#try-user').textContent = String(userId);
  $('#try-count').textContent = String(ratings.length);
  fill(
    $('#try-ratings'),
    ratings.map((r) => el('li', { 'data-movie-id': r.movie_id }, el('span', { class: 'stars-static' }, `★ ${r.rating}`), ' ', movieLink(r.movie_id, r.title))),
  );
  const left = PERSONAL_FROM - ratings.length;
  fill(
    $('#try-progress'),
    el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': PERSONAL_FROM, 'aria-valuenow': Math.min(ratings.length, PERSONAL_FROM) },
      el('div', { class: 'bar', style: `width:${Math.min(100, (100 * ratings.length) / PERSONAL_FROM)}%` })),
    el('p', { class: 'muted' }, left > 0 ? `${left} more rating${left > 1 ? 's' : ''} until personal recommendations.` : 'Enough ratings for personal recommendations.'),
  );
}

async function refresh() {
  const result = $('#try-result');
  try {
    const data = await api(`/recommend?user_id=${userId}&top_n=10`);
    renderRecommendations(result, data, lastIds);
    lastIds = recommendationIds(data);
  } catch (e) {
    clear(result);
    message($('#try-messages'), 'error', e.message);
  }
}
