// Renders a /recommend answer; shared by the Recommend and the new-user sections.
import { el, fill, fixed, genres, badge } from './dom.js';
import { field } from './api.js';

export function openMovie(movieId) {
  document.dispatchEvent(new CustomEvent('open-movie', { detail: { movieId } }));
}

export function movieLink(movieId, title) {
  return el(
    'a',
    { href: `#movies/${movieId}`, class: 'movie-link', onclick: (e) => { e.preventDefault(); openMovie(movieId); } },
    title || `movie ${movieId}`,
  );
}

// What the API's fallback reasons mean, when it gives no sentence of its own.
const REASONS = {
  unknown_user: 'No rating from this user yet: the popularity list.',
  few_ratings: 'Fewer than 5 ratings: the popularity list, without the movies already rated.',
  no_candidate: "The model has no unseen movie to recommend from this user's movies: the popularity list.",
  no_model: 'No model is loaded yet: the popularity list.',
};

/** previous: the movie ids of the list shown before, to mark what is new (or null). */
export function renderRecommendations(container, data, previous = null) {
  const recs = data.recommendations || [];
  const strategy = data.strategy || 'unknown';
  const version = field(data, 'model_version', 'modelVersion');
  const rated = field(data, 'user_ratings', 'userRatings');
  const family = data.family;
  const summary = el(
    'div',
    { class: 'summary', id: container.id + '-summary' },
    el('span', {}, 'User ', el('strong', {}, String(field(data, 'user_id', 'userId')))),
    el('span', {}, 'strategy ', badge(strategy, strategy === 'popularity' ? 'info' : 'ok')),
    el('span', { class: 'family' }, 'family ', el('strong', {}, family == null ? 'none' : family)),
    el('span', {}, 'model version ', el('strong', {}, version == null ? 'none (popularity fallback)' : String(version))),
    rated != null ? el('span', {}, 'ratings ', el('strong', {}, String(rated))) : null,
    el('span', {}, `${recs.length} movies`),
  );
  const why = field(data, 'reason_detail', 'reasonDetail') || REASONS[data.reason] || data.reason;
  const reason = why ? el('p', { class: 'reason', 'data-reason': data.reason }, why) : null;
  if (!recs.length) {
    fill(container, summary, reason, el('p', { class: 'msg msg-info' }, 'No recommendation for this user.'));
    return;
  }
  const list = el(
    'ol',
    { class: 'recs', 'data-strategy': strategy },
    recs.map((r, i) => {
      const id = field(r, 'movie_id', 'movieId');
      const isNew = previous && !previous.includes(id);
      const because = r.because_titles || r.becauseTitles || [];
      const becauseIds = r.because || [];
      const becauseLine = becauseIds.length
        ? el(
            'p',
            { class: 'because' },
            family === 'ials' ? 'Because you rated ' : 'Because you liked ',
            becauseIds.map((bid, j) => [j > 0 ? (j === becauseIds.length - 1 ? ' and ' : ', ') : null, movieLink(bid, because[j])]),
          )
        : null;
      return el(
        'li',
        { class: 'rec' + (isNew ? ' rec-new' : ''), 'data-movie-id': id },
        el('span', { class: 'rank' }, String(i + 1)),
        el(
          'div',
          { class: 'rec-body' },
          el('div', { class: 'rec-title' }, movieLink(id, r.title), isNew ? badge('new', 'new') : null),
          genres(r.genres),
          becauseLine,
        ),
        el('span', { class: 'score', title: 'score' }, fixed(r.score, 3)),
      );
    }),
  );
  fill(container, summary, reason, list);
}

export function recommendationIds(data) {
  return (data.recommendations || []).map((r) => field(r, 'movie_id', 'movieId'));
}
