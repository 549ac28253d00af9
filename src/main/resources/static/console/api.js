// Calls to the imagesim REST API: the API key (kept in this tab's session storage) on every call, thumbnails
// and event streams included, since browsers send no custom header on <img> or EventSource; errors in words
// from problem+json.

const KEY = 'imagesim.apiKey';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code;
  }
}

function headers(extra = {}) {
  const key = sessionStorage.getItem(KEY);
  return key ? { ...extra, 'X-API-Key': key } : extra;
}

async function askForKey() {
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  input.value = '';
  dialog.showModal();
  await new Promise(resolve => dialog.addEventListener('close', resolve, { once: true }));
  if (input.value) {
    sessionStorage.setItem(KEY, input.value.trim());
  }
}

/** fetch with the key; a 401 asks for a key once and tries again. */
export async function call(path, options = {}) {
  let response = await fetch(path, { ...options, headers: headers(options.headers) });
  if (response.status === 401) {
    await askForKey();
    response = await fetch(path, { ...options, headers: headers(options.headers) });
  }
  if (!response.ok && response.status !== 304) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function json(path, options = {}) {
  const response = await call(path, options);
  return response.status === 204 ? null : response.json();
}

export function sendJson(method, path, body) {
  return json(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

export function sendForm(method, path, form) {
  return json(path, { method, body: form });
}

const thumbnails = new Map();

/** An object URL of an image's thumbnail (fetched with the key, kept for the page's life). */
export async function thumbnail(collection, id, size = 160) {
  const url = `/api/v1/collections/${encodeURIComponent(collection)}/images/${encodeURIComponent(id)}/thumbnail?size=${size}`;
  if (!thumbnails.has(url)) {
    thumbnails.set(url, call(url).then(r => r.blob()).then(blob => URL.createObjectURL(blob))
      .catch(e => { thumbnails.delete(url); throw e; }));
  }
  return thumbnails.get(url);
}

/** Server-sent events over fetch (so the key goes with them); calls onEvent(data) until the stream ends. */
export async function events(path, onEvent, signal) {
  const response = await call(path, { headers: { Accept: 'text/event-stream' }, signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  while (true) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5)).join('\n');
      if (data) onEvent(JSON.parse(data));
    }
  }
}
