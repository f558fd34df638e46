// Live queries: the newest entries, then the stream; pause keeps what arrives and shows it on resume. Block and Allow
// add a rule through the admin API, then watch the stream for the next query of that name to show what the rule did.
import { el, follow, getJson, outcomeBadge, query, say, time } from './api.js';
import { openRuleDialog } from './rules.js';

const MaxRows = 500;
const tbody = document.querySelector('#queries tbody');
const form = document.getElementById('live-filter');
const pauseButton = document.getElementById('pause');
const state = document.getElementById('live-state');
const watch = document.getElementById('watch');

let controller = null;
let paused = false;
let held = [];
let seen = new Set();
let watching = null;

export function filterFromForm() {
  const data = new FormData(form);
  return { client: data.get('client').trim(), name: data.get('name').trim(), outcome: data.get('outcome') };
}

/** Restarts the view with a filter: the stream first (so nothing falls between), then the last 100 entries. */
export async function startLive(filter) {
  form.client.value = filter.client ?? '';
  form.name.value = filter.name ?? '';
  form.outcome.value = filter.outcome ?? '';
  controller?.abort();
  controller = new AbortController();
  const signal = controller.signal;
  tbody.replaceChildren();
  seen = new Set();
  held = [];
  state.textContent = 'connecting…';
  const opened = new Promise(resolve => stream(filter, signal, resolve));
  await opened;
  try {
    const page = await getJson(`/api/queries${query({ ...filter, limit: 100 })}`);
    page.entries.forEach(show);
  } catch (error) {
    say(`Could not read the log: ${error.message}`, true);
  }
}

async function stream(filter, signal, opened) {
  while (!signal.aborted) {
    try {
      await follow(`/api/queries/stream${query(filter)}`, signal, arrive, () => {
        state.textContent = paused ? 'paused' : 'live';
        document.body.dataset.live = 'on';
        opened();
      });
    } catch (error) {
      if (signal.aborted) return;
      state.textContent = `disconnected (${error.message}); retrying`;
    }

    if (!signal.aborted) await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

function arrive(entry) {
  checkWatch(entry);
  if (paused) {
    held.push(entry);
    state.textContent = `paused, ${held.length} new`;
  } else {
    show(entry, true);
  }
}

function show(entry, fresh = false) {
  if (seen.has(entry.id)) return;
  seen.add(entry.id);
  const row = rowFor(entry, fresh);
  const after = [...tbody.rows].find(r => Number(r.dataset.id) < entry.id);
  tbody.insertBefore(row, after ?? null);
  while (tbody.rows.length > MaxRows) {
    seen.delete(Number(tbody.lastElementChild.dataset.id));
    tbody.lastElementChild.remove();
  }
}

function rowFor(entry, fresh) {
  const name = entry.name.toLowerCase();
  return el('tr', { 'data-id': entry.id, 'data-name': name, 'data-outcome': entry.outcome, class: fresh ? 'fresh' : '' },
    el('td', { class: 'time' }, time(entry.time)),
    el('td', {}, entry.client),
    el('td', { class: 'name' }, entry.name),
    el('td', {}, entry.type),
    el('td', {}, outcomeBadge(entry.outcome)),
    el('td', { class: 'detail' }, detail(entry)),
    el('td', { class: 'actions' },
      el('button', { type: 'button', class: 'block', 'aria-label': `Block ${name}`, onclick: () => openRuleDialog('block', name, added) }, 'Block'),
      ' ',
      el('button', { type: 'button', class: 'allow', 'aria-label': `Allow ${name}`, onclick: () => openRuleDialog('allow', name, added) }, 'Allow')));
}

function detail(entry) {
  if (entry.rule) {
    return [
      el('code', {}, entry.rule), ` ${entry.action ?? ''} · `, el('span', { class: 'source' }, entry.source ?? ''),
      entry.basis ? ` · ${entry.basis}` : '', entry.blockedName ? ` (via CNAME ${entry.blockedName})` : '',
    ];
  }

  const answer = entry.answerSummary ?? entry.responseCode ?? 'no answer';
  const from = entry.upstream ? ` · from ${entry.upstream}` : '';
  return entry.detail ? `${answer}${from} · ${entry.detail}` : `${answer}${from}`;
}

function added(kind, rule) {
  watching = { kind, pattern: rule.pattern.replace(/^@@/, '') };
  watch.hidden = false;
  watch.classList.remove('done');
  watch.textContent = `Added ${rule.pattern} to ${rule.file}. Waiting for the next query for ${watching.pattern}…`;
}

function checkWatch(entry) {
  if (!watching) return;
  const name = entry.name.toLowerCase();
  if (name !== watching.pattern && !name.endsWith(`.${watching.pattern}`)) return;
  const blockedByIt = watching.kind === 'block' && entry.rule === watching.pattern;
  const allowed = watching.kind === 'allow' && (entry.outcome === 'forwarded' || entry.outcome === 'cached');
  if (!blockedByIt && !allowed) return;
  watch.classList.add('done');
  watch.textContent = blockedByIt
    ? `Next query for ${name} from ${entry.client}: ${entry.outcome} (${entry.responseCode ?? 'no answer'}) by rule ${entry.rule} at ${entry.source}.`
    : `Next query for ${name} from ${entry.client}: ${entry.outcome}, the exception @@${watching.pattern} lets it through.`;
  watching = null;
}

form.addEventListener('submit', event => { event.preventDefault(); startLive(filterFromForm()); });
document.getElementById('filter-clear').addEventListener('click', () => startLive({}));
pauseButton.addEventListener('click', () => {
  paused = !paused;
  pauseButton.textContent = paused ? 'Resume' : 'Pause';
  pauseButton.setAttribute('aria-pressed', String(paused));
  if (!paused) {
    held.forEach(entry => show(entry, true));
    held = [];
  }

  state.textContent = paused ? 'paused' : 'live';
});
