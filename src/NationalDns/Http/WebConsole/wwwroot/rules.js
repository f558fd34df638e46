// The Block / Allow dialog: a rule (the name, or @@name for an exception) into a list file, through POST /api/rules.
import { getJson, postJson } from './api.js';

const dialog = document.getElementById('rule-dialog');
const form = document.getElementById('rule-form');
const title = document.getElementById('rule-title');
const pattern = document.getElementById('rule-pattern');
const action = document.getElementById('rule-action');
const actionLabel = document.getElementById('rule-action-label');
const file = document.getElementById('rule-file');
const error = document.getElementById('rule-error');
let current = null;

export async function openRuleDialog(kind, name, done) {
  current = { kind, done };
  title.textContent = kind === 'block' ? `Block ${name}` : `Allow ${name} (exception)`;
  pattern.value = kind === 'block' ? name : `@@${name}`;
  actionLabel.hidden = kind !== 'block';
  error.textContent = '';
  dialog.showModal();
  pattern.focus();
  try {
    const lists = await getJson('/api/lists');
    file.replaceChildren(...lists.files.map(f => new Option(f.file, f.file)));
  } catch (failure) {
    error.textContent = `Could not read the list files: ${failure.message}`;
  }
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  error.textContent = '';
  const body = { pattern: pattern.value.trim(), file: file.value };
  if (current.kind === 'block' && action.value.trim()) body.action = action.value.trim();
  try {
    const rule = await postJson('/api/rules', body);
    dialog.close();
    current.done(current.kind, { ...rule, pattern: body.pattern });
  } catch (failure) {
    error.textContent = failure.status === 401 || failure.status === 403
      ? `${failure.message}. Enter the API token under “API token” at the top.`
      : failure.message;
  }
});

document.getElementById('rule-cancel').addEventListener('click', () => dialog.close());
