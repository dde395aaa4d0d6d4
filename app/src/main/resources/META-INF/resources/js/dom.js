// Small DOM helpers: elements built from data (never from HTML strings holding API text), messages.

/** el('div', {class: 'x', onclick: f}, child, 'text', ...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else {
      node.setAttribute(key, value === true ? '' : value);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

/** Replaces the content of a container. */
export function fill(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

/** Shows a message in a .messages box: kind is 'error', 'info' or 'ok'. */
export function message(box, kind, text) {
  fill(box, el('p', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text));
}

export function clear(box) {
  box.replaceChildren();
}

export function loading(container, text = 'Loading…') {
  fill(container, el('p', { class: 'loading' }, text));
}

/** Counts get thousands separators, fractions the given digits; ids and years go through plain(). */
export function fmt(value, digits = 3) {
  if (value === undefined || value === null || value === '') return '–';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en');
    return value.toFixed(digits);
  }
  return String(value);
}

/** A number always shown with the given digits (scores, similarities, metrics). */
export function fixed(value, digits = 3) {
  return typeof value === 'number' ? value.toFixed(digits) : fmt(value, digits);
}

export function plain(value) {
  return value === undefined || value === null || value === '' ? '–' : String(value);
}

export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "12.3 s" between two instants, or since the first when the second is absent. */
export function duration(fromIso, toIso) {
  if (!fromIso) return '–';
  const from = new Date(fromIso).getTime();
  const to = toIso ? new Date(toIso).getTime() : Date.now();
  if (Number.isNaN(from) || Number.isNaN(to)) return '–';
  const s = Math.max(0, (to - from) / 1000);
  return s < 90 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function badge(text, kind) {
  return el('span', { class: `badge badge-${kind || String(text).toLowerCase()}` }, text);
}

export function genres(list) {
  if (!list || !list.length) return null;
  const items = Array.isArray(list) ? list : String(list).split('|');
  return el('span', { class: 'genres' }, items.map((g) => el('span', { class: 'genre' }, g)));
}

/** A table from column definitions [{label, value: row => node|text, class}]. */
export function table(columns, rows, attrs = {}) {
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      attrs,
      el('thead', {}, el('tr', {}, columns.map((c) => el('th', { class: c.class, scope: 'col' }, c.label)))),
      el(
        'tbody',
        {},
        rows.map((row, i) => el('tr', {}, columns.map((c) => el('td', { class: c.class, 'data-label': c.label }, c.value(row, i))))),
      ),
    ),
  );
}
