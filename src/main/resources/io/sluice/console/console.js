// The Sluice console's pages: plain browser JavaScript, no build step. Every page reads the JSON API
// (/api/...), which answers in the command line's -o json shapes.
'use strict';

const REFRESH_MS = 5000;
const LIVE_MS = 2000;

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === null || value === undefined || value === false) return;
    if (name === 'class') node.className = value; else node.setAttribute(name, value === true ? '' : value);
  });
  children.flat().forEach(child => {
    if (child === null || child === undefined) return;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return node;
}

function showError(message) {
  const box = document.getElementById('error');
  if (message) { box.textContent = message; box.hidden = false; } else { box.hidden = true; }
}

async function get(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const text = await response.text();
  if (!response.ok) throw new Error(text.trim() || (response.status + ' ' + response.statusText));
  return { response, text };
}

async function getJson(path) { return JSON.parse((await get(path)).text); }

async function getLines(path) {
  const { response, text } = await get(path);
  return { response, lines: text.split('\n').filter(line => line.trim() !== '').map(line => JSON.parse(line)) };
}

// A scope as the command line prints it: "global" or "vcluster=v,group=g".
function scopeText(scope) {
  const parts = [];
  if (scope && scope.vcluster != null) parts.push('vcluster=' + scope.vcluster);
  if (scope && scope.group != null) parts.push('group=' + scope.group);
  if (scope && scope.username != null) parts.push('username=' + scope.username);
  return parts.length ? parts.join(',') : 'global';
}

function position(coordinates) {
  return coordinates ? coordinates.topic + '-' + coordinates.partition + '@' + coordinates.offset : '-';
}

function errorText(error) {
  if (!error) return '-';
  return error.kind + (error.interceptor ? ' (' + error.interceptor + ')' : '') + ': ' + error.message;
}

function fillTable(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren(...rows);
}

function cells(values) { return el('tr', {}, values.map(value => el('td', {}, value === null || value === undefined ? '-' : value))); }

// The bindings list's lines: {status: valid, metadata, spec} or {status: invalid, name, scope, reason}.
function splitBindings(lines) {
  const valid = lines.filter(line => line.status === 'valid');
  const invalid = lines.filter(line => line.status === 'invalid');
  return { valid, invalid };
}

function bindingScope(binding) { return (binding.metadata && binding.metadata.scope) || {}; }

function invalidRows(invalid) {
  return invalid.map(line => cells([line.name || '?', line.name ? scopeText(line.scope) : '?', line.reason]));
}

function params() { return new URLSearchParams(window.location.search); }

function fillForm(form) {
  const query = params();
  Array.from(form.elements).forEach(input => {
    if (input.name && query.has(input.name)) input.value = query.get(input.name);
  });
}

// Only the fields that are set, as the form would send them.
function queryOf(form) {
  const query = new URLSearchParams();
  Array.from(form.elements).forEach(input => {
    if (input.name && input.value.trim() !== '') query.set(input.name, input.value.trim());
  });
  return query.toString();
}

// ---- overview

const charts = {};
const PALETTE = ['#2f6fdf', '#7a5af8', '#12805c', '#dd2590', '#f79009', '#0e9384', '#c4320a', '#667085'];
const OUTCOME_COLOURS = { ACKNOWLEDGED: '#12805c', REJECTED: '#c4320a', FAILED: '#f79009' };

function drawChart(id, times, series, colours) {
  const labels = times.map(time => new Date(time).toLocaleTimeString());
  const datasets = Object.entries(series).map(([name, values], index) => ({
    label: name, data: values, spanGaps: true, pointRadius: 0, borderWidth: 2, tension: 0,
    borderColor: (colours && colours[name]) || PALETTE[index % PALETTE.length],
    backgroundColor: (colours && colours[name]) || PALETTE[index % PALETTE.length]
  }));
  const existing = charts[id];
  if (existing) {
    existing.data.labels = labels;
    existing.data.datasets = datasets;
    existing.update('none');
    return;
  }
  charts[id] = new Chart(document.getElementById(id), {
    type: 'line',
    data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { y: { beginAtZero: true }, x: { ticks: { maxTicksLimit: 8 } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } }
    }
  });
  document.getElementById(id).dataset.drawn = 'true';
}

function perInterceptor(interceptors, field) {
  const series = {};
  Object.entries(interceptors).forEach(([name, values]) => { series[name] = values[field]; });
  return series;
}

async function overview() {
  try {
    const [data, bindings] = await Promise.all([getJson('/api/overview'), getLines('/api/bindings')]);
    showError(null);
    const app = data.application;
    const rows = [['Application id', app.applicationId], ['State', app.state || '(beside a running instance)'],
      ['Bootstrap servers', app.bootstrapServers], ['Processing guarantee', app.processingGuarantee],
      ['Config topic', app.configTopic], ['Audit topics', app.acksTopic + ', ' + app.commitsTopic],
      ['Rejected topic', app.rejectedTopic]];
    document.getElementById('application').replaceChildren(...rows.map(([name, value]) =>
      el('tr', {}, el('th', {}, name), el('td', {}, value))));
    fillTable(document.getElementById('routes'), app.routes.map(route => cells([route.ingress, route.egress,
      route.vcluster != null ? route.vcluster : route.vclusterFromHeader ? '(from header)' : '(from the topic name or default)'])));
    const { valid, invalid } = splitBindings(bindings.lines);
    document.getElementById('bindings-count').textContent = valid.length;
    document.getElementById('invalid-count').textContent = invalid.length;
    fillTable(document.getElementById('bindings'), valid.map(binding => cells([binding.metadata.name,
      scopeText(bindingScope(binding)), binding.spec.plugin, binding.spec.priority, binding.spec.topics,
      binding.spec.onError || '(default)'])));
    fillTable(document.getElementById('invalid'), invalidRows(invalid));
    const metrics = data.metrics;
    const note = document.getElementById('metrics-note');
    if (!metrics) {
      note.textContent = 'No counters are sampled here.';
      return;
    }
    note.textContent = metrics.note;
    drawChart('chart-records', metrics.times, metrics.outcomes, OUTCOME_COLOURS);
    drawChart('chart-calls', metrics.times, perInterceptor(metrics.interceptors, 'calls'));
    drawChart('chart-errors', metrics.times, perInterceptor(metrics.interceptors, 'errors'));
    drawChart('chart-time', metrics.times, perInterceptor(metrics.interceptors, 'microsPerCall'));
  } catch (e) {
    showError(e.message);
  }
}

// ---- bindings

function bindingCard(binding) {
  const spec = binding.spec;
  return el('div', { class: 'binding', 'data-binding': binding.metadata.name + '@' + scopeText(bindingScope(binding)) },
    el('span', { class: 'name' }, binding.metadata.name),
    el('span', { class: 'meta' }, 'plugin ' + spec.plugin + ' · priority ' + spec.priority
      + ' · topics ' + (spec.topics || '(all)') + ' · onError ' + (spec.onError || '(default)')),
    el('pre', {}, JSON.stringify(spec.config, null, 2)));
}

function node(label, bindings, children, open) {
  const count = bindings.length + children.reduce((sum, child) => sum + Number(child.dataset.count), 0);
  const details = el('details', { open: open, 'data-scope': label },
    el('summary', {}, label, ' ', el('span', { class: 'count' }, '(' + count + ')')),
    bindings.map(bindingCard), children);
  details.dataset.count = count;
  return details;
}

function byName(left, right) { return left.metadata.name.localeCompare(right.metadata.name); }

function principalNodes(bindings) {
  const groups = {}, users = {};
  bindings.forEach(binding => {
    const scope = bindingScope(binding);
    if (scope.group != null) (groups[scope.group] = groups[scope.group] || []).push(binding);
    else if (scope.username != null) (users[scope.username] = users[scope.username] || []).push(binding);
  });
  return [
    ...Object.keys(groups).sort().map(group => node('group ' + group, groups[group].sort(byName), [], true)),
    ...Object.keys(users).sort().map(user => node('user ' + user, users[user].sort(byName), [], true))];
}

async function bindingsPage() {
  try {
    const { lines } = await getLines('/api/bindings');
    showError(null);
    const { valid, invalid } = splitBindings(lines);
    const global = valid.filter(binding => scopeText(bindingScope(binding)) === 'global').sort(byName);
    const withVcluster = {}, withoutVcluster = [];
    valid.forEach(binding => {
      const scope = bindingScope(binding);
      if (scope.vcluster != null) (withVcluster[scope.vcluster] = withVcluster[scope.vcluster] || []).push(binding);
      else if (scope.group != null || scope.username != null) withoutVcluster.push(binding);
    });
    const vclusters = Object.keys(withVcluster).sort().map(vcluster => {
      const own = withVcluster[vcluster];
      const atVcluster = own.filter(binding => bindingScope(binding).group == null
        && bindingScope(binding).username == null).sort(byName);
      return node('vcluster ' + vcluster, atVcluster, principalNodes(own), true);
    });
    const tree = document.getElementById('tree');
    const open = Array.from(tree.querySelectorAll('details')).filter(details => !details.open).map(d => d.dataset.scope);
    tree.replaceChildren(node('global', global, [...vclusters, ...principalNodes(withoutVcluster)], true));
    tree.querySelectorAll('details').forEach(details => { if (open.includes(details.dataset.scope)) details.open = false; });
    document.getElementById('invalid-count').textContent = invalid.length;
    fillTable(document.getElementById('invalid'), invalidRows(invalid));
  } catch (e) {
    showError(e.message);
  }
}

// ---- resolve

async function resolvePage() {
  const form = document.getElementById('resolve-form');
  fillForm(form);
  const query = queryOf(form);
  const given = params();
  const command = ['sluice resolve'];
  [['vcluster', '--vcluster'], ['user', '--user'], ['groups', '--groups'], ['topic', '--topic']].forEach(([name, flag]) => {
    if (given.get(name)) command.push(flag + ' ' + given.get(name));
  });
  document.getElementById('resolve-command').textContent = command.join(' ') + ' -o json';
  try {
    const [response, bindings] = await Promise.all([get('/api/resolve?' + query), getLines('/api/bindings')]);
    showError(null);
    document.getElementById('chain-json').textContent = response.text.trim();
    const result = JSON.parse(response.text);
    const topics = {};
    bindings.lines.filter(line => line.status === 'valid').forEach(binding => {
      topics[binding.metadata.name + '@' + scopeText(bindingScope(binding))] = binding.spec.topics;
    });
    fillTable(document.getElementById('chain'), result.chain.map((item, index) => cells([index + 1, item.name,
      item.plugin, item.priority, item.level, scopeText(item.scope), topics[item.name + '@' + scopeText(item.scope)]])));
    document.getElementById('chain-empty').hidden = result.chain.length > 0;
  } catch (e) {
    showError(e.message);
  }
}

// ---- audit

const expanded = new Set();
let seen = null;

function list(items, render) {
  return items.length ? el('ol', {}, items.map(item => el('li', {}, render(item)))) : el('span', { class: 'muted' }, 'none');
}

function details(event) {
  const context = event.context;
  const section = (title, ...content) => el('div', {}, el('h3', {}, title), content);
  return el('tr', { class: 'details', 'data-details': event.eventId }, el('td', { colspan: 7 }, el('div', { class: 'detail-grid' },
    section('Context', 'vcluster ' + context.vcluster, el('br'), 'user ' + (context.username || '(anonymous)'), el('br'),
      'groups ' + (context.groups.length ? context.groups.join(', ') : '(none)')),
    section('Ingress', position(event.ingress)),
    section('Egress', event.egress ? position(event.egress) : 'not written'),
    section('Chain', list(event.chain, item => item.name + ' — ' + item.plugin + ', '
      + (item.level === 'global' ? 'global' : item.level + ' ' + scopeText(item.scope)) + ', priority ' + item.priority)),
    section('Error', errorText(event.error)),
    section('Interceptor errors', list(event.interceptorErrors, item => item.interceptor + ' in ' + item.hook + ': ' + item.message)),
    section('Violations', list(event.violations, item => item.interceptor + ': ' + item.message)),
    section('Event', event.eventId + ' · ' + event.applicationId))));
}

function eventRow(event, fresh) {
  const row = el('tr', { class: 'event' + (fresh ? ' fresh' : ''), 'data-event': event.eventId },
    el('td', {}, new Date(event.time).toISOString()),
    el('td', { class: 'outcome-' + event.outcome }, event.outcome),
    el('td', {}, event.context.vcluster), el('td', {}, event.context.username || '-'),
    el('td', {}, position(event.ingress)), el('td', {}, position(event.egress)),
    el('td', {}, errorText(event.error)));
  row.addEventListener('click', () => {
    if (expanded.has(event.eventId)) expanded.delete(event.eventId); else expanded.add(event.eventId);
    const next = row.nextElementSibling;
    if (next && next.classList.contains('details')) next.remove(); else row.after(details(event));
  });
  return row;
}

let lastRendered = null;

async function refreshAudit(query) {
  try {
    const { response, lines } = await getLines('/api/audit/acks' + (query ? '?' + query : ''));
    showError(null);
    const complete = response.headers.get('X-Sluice-Complete') === 'true';
    document.getElementById('audit-status').textContent = lines.length + ' event(s), newest first · '
      + response.headers.get('X-Sluice-Scanned') + ' record(s) read'
      + (complete ? '' : ' (the scan stopped at its budget: narrow the filter or use sluice audit for older events)')
      + ' · updated ' + new Date().toLocaleTimeString();
    // Nothing new: leave the table (and the browser) alone.
    const ids = lines.map(event => event.eventId).join(' ');
    if (ids === lastRendered) return;
    lastRendered = ids;
    const rows = [];
    lines.forEach(event => {
      rows.push(eventRow(event, seen !== null && !seen.has(event.eventId)));
      if (expanded.has(event.eventId)) rows.push(details(event));
    });
    seen = new Set(lines.map(event => event.eventId));
    fillTable(document.getElementById('acks'), rows);
  } catch (e) {
    showError(e.message);
  }
}

function auditPage() {
  const form = document.getElementById('audit-form');
  fillForm(form);
  const query = queryOf(form);
  const live = document.getElementById('live');
  let running = false;
  const tick = async () => {
    if (running || !live.checked || document.hidden) return;
    running = true;
    try { await refreshAudit(query); } finally { running = false; }
  };
  refreshAudit(query);
  setInterval(tick, LIVE_MS);
}

// ---- start

document.addEventListener('DOMContentLoaded', async () => {
  const page = document.body.dataset.page;
  document.querySelectorAll('[data-nav]').forEach(link => link.classList.toggle('active', link.dataset.nav === page));
  getJson('/api/overview').then(data => {
    document.getElementById('app-id').textContent = 'application ' + data.application.applicationId
      + ' · ' + data.application.bootstrapServers;
  }).catch(() => {});
  if (page === 'overview') { await overview(); setInterval(overview, REFRESH_MS); }
  if (page === 'bindings') { await bindingsPage(); setInterval(bindingsPage, REFRESH_MS); }
  if (page === 'resolve') resolvePage();
  if (page === 'audit') auditPage();
});
