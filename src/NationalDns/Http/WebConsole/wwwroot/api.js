// Talking to /api: the bearer token (if the user gave one), JSON, the live stream, and a tiny DOM builder that only
// ever sets text, so nothing from the log (names are chosen by whoever sends queries) is parsed as HTML.

const token = document.getElementById('token');
token.value = sessionStorage.getItem('nationaldns-token') ?? '';
token.addEventListener('change', () => sessionStorage.setItem('nationaldns-token', token.value.trim()));

function headers(extra = {}) {
  const value = token.value.trim();
  return value ? { ...extra, Authorization: `Bearer ${value}` } : extra;
}

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function check(response) {
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`;
  try { message = (await response.json()).error ?? message; } catch { /* not JSON */ }
  if (response.status === 401 || response.status === 403) askForToken();
  throw new ApiError(response.status, message);
}

export async function getJson(path) {
  return (await check(await fetch(path, { headers: headers() }))).json();
}

export async function postJson(path, body) {
  const response = await fetch(path, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
  return (await check(response)).json();
}

/** Reads Server-Sent Events with fetch (so the token header can go along); calls onEntry per data event. */
export async function follow(path, signal, onEntry, onOpen) {
  const response = await check(await fetch(path, { headers: headers({ Accept: 'text/event-stream' }), signal }));
  onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    pending += value;
    let end;
    while ((end = pending.indexOf('\n\n')) >= 0) {
      const event = pending.slice(0, end);
      pending = pending.slice(end + 2);
      const data = event.split('\n').filter(line => line.startsWith('data: ')).map(line => line.slice(6)).join('\n');
      if (data) onEntry(JSON.parse(data));
    }
  }
}

export function query(params) {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const status = document.getElementById('status');
export function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

export function askForToken() {
  const box = document.getElementById('token-box');
  box.open = true;
}

export const time = value => new Date(value).toLocaleTimeString([], { hour12: false }) + '.' + String(new Date(value).getMilliseconds()).padStart(3, '0');
export const clock = value => new Date(value).toLocaleTimeString([], { hour12: false, hour: '2-digit', minute: '2-digit' });
export const dateTime = value => new Date(value).toLocaleString([], { hour12: false });
export const outcomeBadge = outcome => el('span', { class: `outcome o-${outcome}` }, outcome);
