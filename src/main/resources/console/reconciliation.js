// Hookrail reconciliation page: shows GET /api/reconciliation, and downloads its CSV.
// The token is the approver console's (sessionStorage, this tab only), sent as a Bearer header, never in a URL.
// Report data is written with textContent only, so an event's text can never become markup.
'use strict';

(() => {
  const TOKEN_KEY = 'hookrail.console.token';
  const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]+=*$/;
  const STATUSES = ['completed', 'compensated', 'held', 'rejected', 'denied', 'dead_lettered', 'quarantined', 'duplicate',
    'in_flight', 'no_flow', 'unaccounted'];
  const byId = (id) => document.getElementById(id);

  function query(format) {
    const parameters = new URLSearchParams();
    if (byId('from').value.trim()) parameters.set('from', byId('from').value.trim());
    if (byId('to').value.trim()) parameters.set('to', byId('to').value.trim());
    if (format) parameters.set('format', format);
    return '/api/reconciliation' + (parameters.toString() ? '?' + parameters : '');
  }

  async function call(path) {
    let response;
    try {
      response = await fetch(path, {
        headers: { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) },
        cache: 'no-store', credentials: 'omit', redirect: 'error',
      });
    } catch (e) {
      throw Object.assign(new Error('Hookrail cannot be reached. Check your connection and try again.'), { status: 0 });
    }
    if (!response.ok) {
      let detail = null;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title;
      } catch (e) {
        // not problem+json: reported by status below
      }
      throw Object.assign(new Error(detail || `Hookrail answered ${response.status}`), { status: response.status });
    }
    return response;
  }

  function row(cells, header = false) {
    const tr = document.createElement('tr');
    cells.forEach((cell) => {
      const td = document.createElement(header ? 'th' : 'td');
      td.textContent = cell === null || cell === undefined ? '' : String(cell);
      if (typeof cell === 'number') td.className = 'number';
      tr.append(td);
    });
    return tr;
  }

  function fill(id, emptyId, header, rows) {
    const body = byId(id);
    body.replaceChildren();
    if (rows.length) body.append(row(header, true), ...rows.map((cells) => row(cells)));
    if (emptyId) byId(emptyId).hidden = rows.length > 0;
  }

  function render(report) {
    byId('window').textContent = `${report.accepted} accepted from ${report.from} to ${report.to}`;
    byId('flows-head').replaceChildren(row(['Flow', 'Owner', 'Risk', ...STATUSES.map((s) => s.replace('_', ' '))], true));
    const flows = Object.entries(report.flows).map(([flow, counts]) => {
      const tr = row([flow || '(none)', counts.owner, counts.riskTier, ...STATUSES.map((s) => counts[s])]);
      tr.dataset.flow = flow;
      if (counts.unaccounted > 0) tr.className = 'bad';
      return tr;
    });
    byId('flows').replaceChildren(...flows);
    fill('unaccounted', 'unaccounted-empty', ['Flow', 'Source', 'Event id', 'Type', 'Received'],
      report.unaccounted.map((e) => [e.flow, e.source, e.eventId, e.eventType, e.receivedAt]));
    fill('in-flight', 'in-flight-empty', ['Flow', 'Event id', 'State', 'Age (s)'],
      report.inFlight.map((e) => [e.flow, e.eventId, e.state, e.ageSeconds]));
    const downstream = report.downstream;
    if (!downstream.available) {
      byId('downstream').textContent = 'Not available: ' + downstream.reason + '.';
      fill('effects', null, [], []);
    } else {
      byId('downstream').textContent = `${downstream.checkedSteps} completed steps checked: `
        + `${downstream.missing.length} missing, ${downstream.duplicates.length} duplicate, `
        + `${downstream.unchecked.length} unchecked (hooks: ${downstream.hooks.join(', ') || 'none'}).`;
      const effects = (kind, list) => list.map((e) => [kind, e.flow, e.businessId, e.step, e.idempotencyKey,
        e.effects, e.checkedBy]);
      const unchecked = downstream.unchecked.map((e) => ['unchecked', e.flow, e.businessId, e.step, e.idempotencyKey,
        e.reason, 'hook']);
      fill('effects', null, ['Problem', 'Flow', 'Business id', 'Step', 'Idempotency-Key', 'Effects', 'Checked by'],
        [...effects('missing', downstream.missing), ...effects('duplicate', downstream.duplicates), ...unchecked]);
    }
  }

  async function refresh() {
    try {
      render(await (await call(query())).json());
      byId('alert').textContent = '';
      byId('sign-in').hidden = true;
      byId('session').hidden = false;
      byId('report').hidden = false;
      byId('status').textContent = 'Reconciliation loaded';
      return true;
    } catch (error) {
      if (error.status === 401) signOut();
      byId('alert').textContent = error.message;
      return false;
    }
  }

  async function download() {
    try {
      const blob = await (await call(query('csv'))).blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'reconciliation.csv';
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      byId('alert').textContent = error.message;
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    byId('report').hidden = true;
    byId('session').hidden = true;
    byId('sign-in').hidden = false;
    byId('token').focus();
  }

  byId('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = byId('token').value.trim();
    if (!TOKEN_SYNTAX.test(token)) {
      byId('alert').textContent = 'Enter your admin token to sign in.';
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    byId('token').value = '';
    if (await refresh()) byId('report-title').focus();
  });
  byId('window-form').addEventListener('submit', (event) => {
    event.preventDefault();
    refresh();
  });
  byId('refresh').addEventListener('click', refresh);
  byId('download').addEventListener('click', download);
  byId('sign-out').addEventListener('click', signOut);

  if (sessionStorage.getItem(TOKEN_KEY)) {
    byId('sign-in').hidden = true;
    byId('session').hidden = false;
    refresh();
  }
})();
