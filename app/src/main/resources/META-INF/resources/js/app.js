// Entry point: tab routing by the location hash, lazy loading of each tab, and a last-resort error
// banner so that a failure never leaves a blank page.
import { $, message } from './dom.js';
import { initRecommend, showRecommend } from './recommend.js';
import { initTry, showTry } from './newuser.js';
import { initMovies, showMovies, showMovie } from './movies.js';
import { initModel, showModel } from './model.js';
import { initPipelines, showPipelines } from './pipelines.js';
import { initHealth, showHealth } from './health.js';
import { initMonitoring, showMonitoring } from './monitoring.js';

const TABS = {
  recommend: showRecommend,
  try: showTry,
  movies: showMovies,
  model: showModel,
  pipelines: showPipelines,
  monitoring: showMonitoring,
  health: showHealth,
  tour: () => {},
};

function report(text) {
  message($('#global-messages'), 'error', text);
}

window.addEventListener('error', (e) => report(`Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => report(`Unexpected error: ${e.reason && e.reason.message ? e.reason.message : e.reason}`));

function route() {
  const [name, arg] = (location.hash.replace(/^#/, '') || 'recommend').split('/');
  const tab = TABS[name] ? name : 'recommend';
  for (const panel of document.querySelectorAll('[data-panel]')) {
    panel.hidden = panel.dataset.panel !== tab;
  }
  for (const link of document.querySelectorAll('[data-tab]')) {
    if (link.dataset.tab === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  TABS[tab]();
  if (tab === 'movies' && arg && /^\d+$/.test(arg)) showMovie(Number(arg));
}

document.addEventListener('open-movie', (e) => {
  const target = `#movies/${e.detail.movieId}`;
  if (location.hash === target) route();
  else location.hash = target;
  window.scrollTo(0, 0);
});

initRecommend();
initTry();
initMovies();
initModel();
initPipelines();
initMonitoring();
initHealth();
window.addEventListener('hashchange', route);
route();
document.body.dataset.ready = 'true';
