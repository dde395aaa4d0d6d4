// Movies tab: the cold-start popularity list, title search, one movie with its stats, tags and neighbours.
import { api, field } from './api.js';
import { $, el, fill, message, clear, loading, fmt, fixed, plain, genres, table } from './dom.js';
import { movieLink } from './recs.js';

let popularLoaded = false;

export function initMovies() {
  $('#movie-form').addEventListener('submit', (e) => {
    e.preventDefault();
    find($('#movie-query').value.trim());
  });
}

export function showMovies() {
  if (!popularLoaded) loadPopular();
}

async function loadPopular() {
  const box = $('#popular-messages');
  const list = $('#popular-list');
  clear(box);
  loading(list);
  try {
    const data = await api('/movies/popular?limit=20');
    popularLoaded = true;
    const movies = data.movies || [];
    if (!movies.length) {
      fill(list, el('p', { class: 'msg msg-info' }, 'The catalogue is empty: run an ingestion and a training first (Pipelines tab).'));
      return;
    }
    fill(
      list,
      table(
        [
          { label: '#', value: (m, i) => String(i + 1), class: 'num' },
          { label: 'Title', value: (m) => [movieLink(field(m, 'movie_id', 'movieId'), m.title), genres(m.genres)] },
          { label: 'Year', value: (m) => plain(m.year), class: 'num' },
          { label: 'Ratings', value: (m) => fmt(field(m, 'n_ratings', 'nRatings')), class: 'num' },
          { label: 'Mean', value: (m) => fixed(field(m, 'mean_rating', 'meanRating'), 2), class: 'num' },
          { label: 'Bayes', value: (m) => fixed(field(m, 'bayes_score', 'bayesScore'), 3), class: 'num' },
        ],
        movies,
        { id: 'popular-table' },
      ),
    );
  } catch (e) {
    clear(list);
    message(box, 'error', e.message);
  }
}

async function find(query) {
  const box = $('#movie-messages');
  const results = $('#movie-search-results');
  clear(box);
  clear(results);
  if (!query) return;
  if (/^\d+$/.test(query)) {
    showMovie(Number(query));
    return;
  }
  loading(results, 'Searching…');
  try {
    const data = await api(`/movies/search?q=${encodeURIComponent(query)}&limit=10`);
    const movies = data.movies || [];
    if (!movies.length) {
      fill(results, el('p', { class: 'msg msg-info' }, `No title contains “${query}”.`));
      return;
    }
    fill(
      results,
      el(
        'ul',
        { class: 'plain picks' },
        movies.map((m) =>
          el('li', {}, movieLink(field(m, 'movie_id', 'movieId'), m.title), m.year ? ` (${m.year})` : null),
        ),
      ),
    );
  } catch (e) {
    clear(results);
    message(box, 'error', e.message);
  }
}

export async function showMovie(movieId) {
  const box = $('#movie-messages');
  const detail = $('#movie-detail');
  clear(box);
  loading(detail);
  $('#movie-query').value = String(movieId);
  let movie;
  try {
    movie = await api(`/movies/${encodeURIComponent(movieId)}`);
  } catch (e) {
    clear(detail);
    message(box, 'error', e.message);
    return;
  }
  const stats = movie.stats;
  const tags = field(movie, 'top_tags', 'topTags') || [];
  const similarBox = el('div', { id: 'movie-similar' }, el('p', { class: 'loading' }, 'Loading neighbours…'));
  fill(
    detail,
    el(
      'article',
      { class: 'card movie', 'data-movie-id': movie.movie_id },
      el('h3', {}, movie.title, movie.year ? el('span', { class: 'muted' }, ` · ${movie.year}`) : null),
      genres(movie.genres),
      el(
        'dl',
        { class: 'facts' },
        el('dt', {}, 'Movie id'), el('dd', {}, String(field(movie, 'movie_id', 'movieId'))),
        el('dt', {}, 'Ratings'), el('dd', {}, stats ? fmt(field(stats, 'n_ratings', 'nRatings')) : 'not in the model yet'),
        el('dt', {}, 'Mean rating'), el('dd', {}, stats ? fixed(field(stats, 'mean_rating', 'meanRating'), 2) : '–'),
        el('dt', {}, 'Bayesian score'), el('dd', {}, stats ? fixed(field(stats, 'bayes_score', 'bayesScore'), 3) : '–'),
        el('dt', {}, 'IMDb / TMDb ids'), el('dd', {}, `${plain(field(movie, 'imdb_id', 'imdbId'))} / ${plain(field(movie, 'tmdb_id', 'tmdbId'))}`),
      ),
      tags.length
        ? el('p', { class: 'tags' }, 'Top tags: ', tags.map((t) => el('span', { class: 'tag', title: `relevance ${fixed(t.relevance, 3)}` }, t.tag)))
        : null,
      el('h4', {}, 'Similar movies (item-to-item cosine)'),
      similarBox,
    ),
  );
  try {
    const data = await api(`/movies/${encodeURIComponent(movieId)}/similar?limit=10`);
    const similar = data.similar || [];
    if (!similar.length) {
      fill(similarBox, el('p', { class: 'msg msg-info' }, 'No neighbours: the movie has too few ratings for the model, or no model is trained yet.'));
      return;
    }
    fill(
      similarBox,
      table(
        [
          { label: '#', value: (m, i) => String(i + 1), class: 'num' },
          { label: 'Title', value: (m) => [movieLink(field(m, 'movie_id', 'movieId'), m.title), genres(m.genres)] },
          { label: 'Similarity', value: (m) => fixed(m.similarity, 3), class: 'num' },
        ],
        similar,
        { id: 'similar-table' },
      ),
    );
  } catch (e) {
    fill(similarBox, el('p', { class: 'msg msg-error', role: 'alert' }, e.message));
  }
}
