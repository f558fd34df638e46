// Clients: everyone in the log; choosing one shows the live view filtered to it.
import { dateTime, el, getJson, say } from './api.js';

const tbody = document.querySelector('#client-table tbody');

export async function loadClients(showClient) {
  let result;
  try {
    result = await getJson('/api/clients');
  } catch (error) {
    say(`Could not read the clients: ${error.message}`, true);
    return;
  }

  tbody.replaceChildren(...result.clients.map(c => el('tr', { 'data-client': c.address },
    el('td', {}, el('button', { type: 'button', class: 'linkish', title: `Show the live queries of ${c.address}`, onclick: () => showClient(c.address) }, c.address)),
    el('td', {}, c.group ?? '—'),
    el('td', { class: 'time' }, dateTime(c.firstSeen)),
    el('td', { class: 'time' }, dateTime(c.lastSeen)),
    el('td', { class: 'num' }, c.queries),
    el('td', { class: 'num' }, c.blocked))));
  document.getElementById('clients-note').textContent =
    `${result.clients.length} clients in the last ${result.scanned} queries${result.truncated ? ' (stopped early)' : ''}`;
}
