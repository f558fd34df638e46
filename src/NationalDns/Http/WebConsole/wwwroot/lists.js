// Lists: each file as the server last loaded it, the lines it skipped, and the explain box.
import { el, getJson, query, say } from './api.js';

const tbody = document.querySelector('#list-table tbody');

export async function loadLists() {
  let lists;
  try {
    lists = await getJson('/api/lists');
  } catch (error) {
    say(`Could not read the lists: ${error.message}`, true);
    return;
  }

  tbody.replaceChildren(...lists.files.map(f => el('tr', { 'data-file': f.file },
    el('td', { class: 'name' }, f.file, f.readError ? el('div', { class: 'error' }, f.readError) : null),
    el('td', {}, f.format),
    el('td', { class: 'num' }, f.rules),
    el('td', { class: 'num' }, f.exceptions),
    el('td', { class: 'num' }, f.problems.length + f.skipped))));
  const problems = lists.files.flatMap(f => f.problems.map(p => `${p.source}: ${p.reason}`));
  const notes = [...problems, ...lists.warnings.map(w => `${w.source}: ${w.reason}`), ...lists.errors];
  document.getElementById('list-problems').replaceChildren(
    el('h2', {}, notes.length ? 'Skipped lines and warnings' : 'No skipped lines'),
    notes.length ? el('ul', { id: 'problem-list' }, notes.map(n => el('li', {}, n))) : null);
  document.getElementById('lists-note').textContent = `${lists.rules} rules and ${lists.exceptions} exceptions in force`;
}

document.getElementById('explain').addEventListener('submit', async event => {
  event.preventDefault();
  const out = document.getElementById('explain-result');
  try {
    const answer = await getJson(`/api/explain${query({ name: document.getElementById('explain-name').value.trim(), type: document.getElementById('explain-type').value.trim() })}`);
    out.textContent = [
      `${answer.name} ${answer.type}: ${answer.verdict}`,
      answer.rule ? `rule ${answer.rule}${answer.action ? ` (${answer.action})` : ''} at ${answer.source}` : null,
      '', answer.answer,
    ].filter(line => line !== null).join('\n');
  } catch (error) {
    out.textContent = error.message;
  }
});

document.getElementById('lists-refresh').addEventListener('click', loadLists);
