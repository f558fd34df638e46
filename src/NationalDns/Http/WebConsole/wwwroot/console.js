// The console's frame: tabs (arrow keys move between them, the URL's #hash remembers the page) and each page's loader.
import { loadClients } from './clients.js';
import { loadLists } from './lists.js';
import { startLive } from './live.js';
import { loadOverview } from './overview.js';

const tabs = [...document.querySelectorAll('[role=tab]')];
const loaders = { live: () => {}, clients: () => loadClients(showClient), overview: loadOverview, lists: loadLists };
let refresh = null;

function select(id, focus = false) {
  for (const tab of tabs) {
    const on = tab.getAttribute('aria-controls') === id;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    document.getElementById(tab.getAttribute('aria-controls')).hidden = !on;
    if (on && focus) tab.focus();
  }

  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
  clearInterval(refresh);
  loaders[id]();
  if (id === 'overview' || id === 'clients') refresh = setInterval(loaders[id], 10000);
}

function showClient(address) {
  select('live');
  startLive({ client: address });
}

tabs.forEach((tab, index) => {
  tab.addEventListener('click', () => select(tab.getAttribute('aria-controls')));
  tab.addEventListener('keydown', event => {
    const move = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (move) select(tabs[(index + move + tabs.length) % tabs.length].getAttribute('aria-controls'), true);
  });
});

document.getElementById('clients-refresh').addEventListener('click', loaders.clients);
startLive({});
select(loaders[location.hash.slice(1)] ? location.hash.slice(1) : 'live');
