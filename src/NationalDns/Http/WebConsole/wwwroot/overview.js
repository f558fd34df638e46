// Overview: queries per bucket (a minute for the last hour) by outcome as stacked SVG bars, drawn here by hand, and
// the top names, clients and rules of the window.
import { clock, el, getJson, say, time } from './api.js';

const Outcomes = ['forwarded', 'cached', 'blocked', 'throttled', 'dropped', 'rejected', 'ratelimited', 'upstreamfailed', 'authoritative', 'malformed'];
const Svg = 'http://www.w3.org/2000/svg';
const windowSelect = document.getElementById('window');

export async function loadOverview() {
  let stats;
  try {
    stats = await getJson(`/api/stats?window=${encodeURIComponent(windowSelect.value)}`);
  } catch (error) {
    say(`Could not read the stats: ${error.message}`, true);
    return;
  }

  document.getElementById('totals').replaceChildren(
    total('Queries', stats.total),
    total('Blocked', stats.byOutcome.blocked ?? 0),
    total('Forwarded', (stats.byOutcome.forwarded ?? 0) + (stats.byOutcome.cached ?? 0)),
    total('Dropped log events', stats.dropped));
  drawChart(stats);
  fill('top-blocked', stats.topBlocked, t => `${t.name} (${t.count})`);
  fill('top-forwarded', stats.topForwarded, t => `${t.name} (${t.count})`);
  fill('top-clients', stats.topClients, t => `${t.client}: ${t.count} queries, ${t.blocked} blocked`);
  fill('rule-hits', stats.rules.slice(0, 20), r => `${r.rule} ${r.action ?? ''} at ${r.source ?? '?'}: ${r.hits}`);
  document.getElementById('overview-note').textContent =
    `${stats.scanned} entries read${stats.truncated ? ' (stopped early: the window holds more)' : ''}; updated ${time(new Date())}`;
}

function total(label, value) {
  return el('div', {}, el('strong', {}, value), label);
}

function fill(id, items, text) {
  const list = document.getElementById(id);
  list.replaceChildren(...(items.length ? items.map(item => el('li', {}, text(item))) : [el('li', { class: 'muted' }, 'none')]));
}

function drawChart(stats) {
  const width = 960;
  const height = 220;
  const bottom = 20;
  const left = 40;
  const buckets = stats.timeline;
  const totals = buckets.map(b => Object.values(b.counts).reduce((a, c) => a + c, 0));
  const max = Math.max(1, ...totals);
  const step = (width - left) / buckets.length;
  const svg = document.createElementNS(Svg, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Queries per ${stats.bucketSeconds / 60} minutes by outcome; the busiest bucket had ${max}`);
  svg.append(text(4, 12, String(max)), text(4, height - bottom, '0'),
    text(left, height - 4, clock(buckets[0].start)), text(width - 40, height - 4, clock(buckets[buckets.length - 1].start)));
  buckets.forEach((bucket, i) => {
    let y = height - bottom;
    for (const outcome of Outcomes) {
      const count = bucket.counts[outcome];
      if (!count) continue;
      const h = (count / max) * (height - bottom - 16);
      y -= h;
      const rect = document.createElementNS(Svg, 'rect');
      rect.setAttribute('x', String(left + (i * step) + 1));
      rect.setAttribute('y', String(y));
      rect.setAttribute('width', String(Math.max(1, step - 2)));
      rect.setAttribute('height', String(h));
      rect.setAttribute('class', `o-${outcome}`);
      const title = document.createElementNS(Svg, 'title');
      title.textContent = `${clock(bucket.start)}: ${count} ${outcome}`;
      rect.append(title);
      svg.append(rect);
    }
  });
  document.getElementById('chart').replaceChildren(svg);
  document.getElementById('chart-caption').textContent = `Queries per ${stats.bucketSeconds >= 3600 ? `${stats.bucketSeconds / 3600} h` : `${stats.bucketSeconds / 60} min`}, by outcome, over the last ${stats.window}.`;
  const present = Outcomes.filter(o => stats.byOutcome[o]);
  document.getElementById('legend').replaceChildren(...present.map(o => el('li', {}, el('span', { class: `o-${o}` }), `${o} ${stats.byOutcome[o]}`)));
}

function text(x, y, value) {
  const node = document.createElementNS(Svg, 'text');
  node.setAttribute('x', String(x));
  node.setAttribute('y', String(y));
  node.setAttribute('class', 'axis');
  node.textContent = value;
  return node;
}

windowSelect.addEventListener('change', loadOverview);
document.getElementById('overview-refresh').addEventListener('click', loadOverview);
