// Hookrail approver console: lists pending approvals and posts decisions to the approvals API.
// The token lives in sessionStorage only (this tab, until sign-out); it is sent as a Bearer header, never in a URL
// or cookie. Event data is written with textContent only, so a webhook's text can never become markup.
'use strict';

(() => {
  const TOKEN_KEY = 'hookrail.console.token';
  // RFC 6750 b64token, as Hookrail accepts it: anything else could not be sent as a header anyway
  const TOKEN_SYNTAX = /^[A-Za-z0-9\-._~+/]+=*$/;
  const LABELS = { approve: 'Approve', reject: 'Reject' };

  const byId = (id) => document.getElementById(id);
  const view = {
    session: byId('session'),
    signIn: byId('sign-in'),
    form: byId('sign-in-form'),
    token: byId('token'),
    signInButton: byId('sign-in-button'),
    approvals: byId('approvals'),
    title: byId('approvals-title'),
    count: byId('approval-count'),
    empty: byId('empty'),
    list: byId('approval-list'),
    template: byId('approval-template'),
    alert: byId('alert'),
    status: byId('status'),
  };

  /** A refusal or failure of an API call, with the problem's detail as message. */
  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, method = 'GET', body = undefined) {
    const headers = {
      Accept: 'application/json, application/problem+json',
      Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY),
    };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', redirect: 'error',
      });
    } catch (e) {
      throw new ApiError(0, 'Hookrail cannot be reached. Check your connection and try again.');
    }
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      // not JSON: reported by status below
    }
    if (!response.ok) {
      const detail = json && (json.detail || json.title);
      throw new ApiError(response.status, detail || `Hookrail answered ${response.status} ${response.statusText}`.trim());
    }
    return json;
  }

  // ---- messages -------------------------------------------------------------------------------------------------

  function showError(message) {
    view.alert.textContent = message;
  }

  function clearError() {
    view.alert.textContent = '';
  }

  function announce(message) {
    view.status.textContent = message;
  }

  // ---- formatting -----------------------------------------------------------------------------------------------

  /** Minor units as "1,500.00 USD": the currency's own number of decimals, exact for any safe integer. */
  function money(amountMinor, currency) {
    if (amountMinor === null || amountMinor === undefined) {
      return '—';
    }
    let decimals = 2;
    try {
      decimals = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      // not an ISO 4217 code: show two decimals
    }
    const digits = String(Math.abs(amountMinor)).padStart(decimals + 1, '0');
    const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const fraction = decimals > 0 ? '.' + digits.slice(digits.length - decimals) : '';
    return `${amountMinor < 0 ? '-' : ''}${whole}${fraction} ${currency || ''}`.trim();
  }

  function span(milliseconds) {
    const minutes = Math.round(Math.abs(milliseconds) / 60000);
    if (minutes < 1) {
      return 'under 1 min';
    }
    if (minutes < 60) {
      return `${minutes} min`;
    }
    const hours = Math.floor(minutes / 60);
    if (hours < 48) {
      return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
    }
    return hours % 24 ? `${Math.floor(hours / 24)} days ${hours % 24} h` : `${hours / 24} days`;
  }

  function when(iso) {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function setTime(element, iso, text) {
    element.dateTime = iso;
    element.title = when(iso);
    element.textContent = text;
  }

  /** The customer of the event's data as [name, detail], in whichever shape the event type has one; or null. */
  function customerOf(data) {
    const customer = data && data.customer;
    if (customer && typeof customer === 'object') {
      const name = customer.name || customer.email || customer.id;
      return name ? [name, name === customer.email ? '' : customer.email || ''] : null;
    }
    return typeof customer === 'string' && customer ? [customer, ''] : null;
  }

  // ---- rendering ------------------------------------------------------------------------------------------------

  function card(approval, index) {
    const item = view.template.content.firstElementChild.cloneNode(true);
    const field = (name) => item.querySelector(`[data-field="${name}"]`);
    const data = approval.data || {};
    const optional = {
      customer: customerOf(data),
      order: data.orderId && data.orderId !== approval.businessId ? data.orderId : null,
      requestReason: typeof data.reason === 'string' ? data.reason : null,
    };
    const now = Date.now();

    item.dataset.approvalId = approval.id;
    item.dataset.businessId = approval.businessId;
    item.dataset.state = approval.state;
    field('flow').textContent = approval.flow;
    field('businessId').textContent = approval.businessId;
    field('amount').textContent = money(approval.amountMinor, approval.currency);
    // the requester Hookrail authenticated (a verified source, or the user who replayed it); the event's own
    // requestedBy is only a claim, shown as one
    field('requester').textContent = approval.requester || 'not recorded';
    field('requester').classList.toggle('muted', !approval.requester);
    field('claimedBy').textContent = approval.claimedBy ? `claimed: ${approval.claimedBy}` : '';
    for (const [name, value] of Object.entries(optional)) {
      if (!value) {
        item.querySelector(`[data-when="${name}"]`).remove();
      } else if (Array.isArray(value)) {
        field(name).textContent = value[0];
        field(`${name}Detail`).textContent = value[1];
      } else {
        field(name).textContent = value;
      }
    }
    field('rule').textContent = approval.rule;
    field('ruleReason').textContent = approval.reason || '';
    setTime(field('age'), approval.createdAt, span(now - Date.parse(approval.createdAt)));
    field('since').textContent = `since ${when(approval.createdAt)}`;
    const left = Date.parse(approval.expiresAt) - now;
    setTime(field('expires'), approval.expiresAt, left > 0 ? `in ${span(left)}` : 'now');
    field('expiresAt').textContent = when(approval.expiresAt);
    field('event').textContent = `${approval.eventType} · ${approval.eventId}`;

    const comment = field('comment');
    const label = item.querySelector('[data-role="comment-label"]');
    comment.id = `comment-${index}`;
    label.htmlFor = comment.id;
    item.querySelector('[data-role="decision"]').setAttribute('aria-label', `Decision on ${approval.businessId}`);
    for (const button of item.querySelectorAll('[data-action]')) {
      button.setAttribute('aria-label', `${LABELS[button.dataset.action]} ${approval.flow} ${approval.businessId}`);
      button.addEventListener('click', () => decide(item, approval, button.dataset.action));
    }
    return item;
  }

  function render(items) {
    view.list.replaceChildren(...items.map(card));
    view.empty.hidden = items.length > 0;
    updateCount();
  }

  function updateCount() {
    const waiting = view.list.querySelectorAll('[data-state="PENDING"]').length;
    const decided = view.list.children.length - waiting;
    view.count.textContent = `${waiting} waiting` + (decided ? ` · ${decided} decided` : '');
  }

  function showDecided(item, approval, message) {
    item.dataset.state = approval ? approval.state : 'STALE';
    // the decision is final: its controls go, the result (with the comment) stays
    item.querySelector('[data-role="decision"]').hidden = true;
    const result = item.querySelector('[data-role="result"]');
    result.textContent = message;
    result.hidden = false;
    result.focus();
    updateCount();
  }

  function decidedMessage(approval) {
    const state = approval.state === 'APPROVED' ? 'Approved' : approval.state === 'REJECTED' ? 'Rejected'
      : approval.state.charAt(0) + approval.state.slice(1).toLowerCase();
    const at = approval.decidedAt ? ` on ${when(approval.decidedAt)}` : '';
    const comment = approval.comment ? `: “${approval.comment}”` : '';
    return `${state} by ${approval.decidedBy}${at}${comment}`;
  }

  // ---- actions --------------------------------------------------------------------------------------------------

  async function decide(item, approval, action) {
    const buttons = item.querySelectorAll('[data-action]');
    const comment = item.querySelector('textarea').value.trim();
    buttons.forEach((button) => { button.disabled = true; });
    item.setAttribute('aria-busy', 'true');
    try {
      const decided = await api(`/api/approvals/${encodeURIComponent(approval.id)}/${action}`, 'POST',
        comment ? { comment } : {});
      clearError();
      const message = decidedMessage(decided);
      showDecided(item, decided, message);
      announce(`${approval.businessId}: ${message}`);
    } catch (error) {
      if (error.status === 401) {
        signOut();
      } else if (error.status === 409) {
        // decided elsewhere meanwhile: this card no longer tells the truth
        showDecided(item, null, 'Decided elsewhere. Refresh to see the current list.');
      } else {
        buttons.forEach((button) => { button.disabled = false; });
      }
      showError(`${LABELS[action]} ${approval.businessId}: ${error.message}`);
    } finally {
      item.removeAttribute('aria-busy');
    }
  }

  /** Loads the pending approvals with the stored token; false when that failed (the error is shown). */
  async function refresh() {
    view.list.setAttribute('aria-busy', 'true');
    try {
      const answer = await api('/api/approvals?state=pending');
      clearError();
      render(answer.items);
      view.signIn.hidden = true;
      view.session.hidden = false;
      view.approvals.hidden = false;
      announce(`${answer.items.length} pending ${answer.items.length === 1 ? 'approval' : 'approvals'}`);
      return true;
    } catch (error) {
      if (error.status === 401) {
        signOut();
      }
      showError(error.message);
      return false;
    } finally {
      view.list.removeAttribute('aria-busy');
    }
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    view.list.replaceChildren();
    view.approvals.hidden = true;
    view.session.hidden = true;
    view.signIn.hidden = false;
    view.token.focus();
  }

  view.form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = view.token.value.trim();
    if (!TOKEN_SYNTAX.test(token)) {
      showError(token ? 'That is not a token: a token has only letters, digits and -._~+/ characters.'
        : 'Enter your admin token to sign in.');
      view.token.focus();
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    view.token.value = '';
    view.signInButton.disabled = true;
    try {
      if (await refresh()) {
        view.title.focus();
      }
    } finally {
      view.signInButton.disabled = false;
    }
  });

  byId('refresh').addEventListener('click', refresh);
  byId('sign-out').addEventListener('click', () => {
    signOut();
    clearError();
    announce('Signed out');
  });

  // a reload keeps the session: show its controls at once, so a failed load still offers Refresh and Sign out
  if (sessionStorage.getItem(TOKEN_KEY)) {
    view.signIn.hidden = true;
    view.session.hidden = false;
    refresh();
  }
})();
