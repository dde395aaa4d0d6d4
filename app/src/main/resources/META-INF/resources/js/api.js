// Calls to the reco-films API. Every failure becomes an ApiError whose message a visitor can read:
// the API's {"error","detail"} body when there is one, else the HTTP status or the network error.

export class ApiError extends Error {
  constructor(message, status, body) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

const TIMEOUT_MS = 15000;

/**
 * Sends one request and returns the parsed JSON body.
 * options: method, body (sent as JSON), headers, accept (extra statuses whose body is returned, e.g. [503]).
 */
export async function api(path, options = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  const headers = { Accept: 'application/json', ...(options.headers || {}) };
  let body;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response;
  try {
    response = await fetch(path, { method: options.method || 'GET', headers, body, signal: controller.signal });
  } catch (e) {
    const why = e.name === 'AbortError' ? `no answer within ${TIMEOUT_MS / 1000} s` : e.message;
    throw new ApiError(`${options.method || 'GET'} ${path}: the server could not be reached (${why})`, 0, null);
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
  }
  if (response.ok || (options.accept || []).includes(response.status)) {
    return json;
  }
  throw new ApiError(describe(response.status, json, text), response.status, json);
}

function describe(status, json, text) {
  if (json && (json.error || json.detail)) {
    return [json.error, json.detail].filter(Boolean).join(': ') + ` (HTTP ${status})`;
  }
  if (json && json.title) {
    return `${json.title} (HTTP ${status})`;
  }
  const snippet = (text || '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 160);
  return `HTTP ${status}${snippet ? ': ' + snippet : ''}`;
}

/** The first present field among several spellings (the API mixes snake_case and camelCase). */
export function field(obj, ...names) {
  if (!obj) return undefined;
  for (const n of names) {
    if (obj[n] !== undefined && obj[n] !== null) return obj[n];
  }
  return undefined;
}
