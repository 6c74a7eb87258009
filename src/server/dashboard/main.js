// The dashboard: asks for a token (or takes it from the address's #token=…, then removes it from the address
// bar), reads the ledger through the API, and fetches again whenever the event stream says the ledger changed.
import { ApiError, call, followEvents } from './api.js';
import { renderChecks } from './checks.js';
import { renderDiff, renderDiffPicker } from './diff.js';
import { h, replaceChildren } from './dom.js';
import { renderGates } from './gates.js';
import { renderMatrix } from './matrix.js';
import { FIRST_ENTRIES, renderTimeline } from './timeline.js';

const TOKEN_KEY = 'stagecraft.token';
const AUDIT_ROWS = 100;
/** Deployments fetched for the matrix's break-glass marks and the timeline's banner. */
const HISTORY_ROWS = 1000;
const $ = (id) => document.getElementById(id);

const state = {
  token: null,
  me: null,
  /** The last answer to each approve button, by "service:environment". */
  feedback: new Map(),
  lastCount: undefined,
  /** Whether the reader asked for the whole timeline fetched, not only its newest entries. */
  timelineAll: false,
  refreshing: null,
  again: false,
  events: null,
  /** The environments the diff picker offers, once known (they come with the overview). */
  diffEnvironments: null,
  /** What was rendered last, to render the timeline again on its own. */
  view: null,
};

function takeTokenFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const fromFragment = fragment.get('token');
  const inQuery = query.has('token');
  if (fromFragment === null && !inQuery) return undefined;
  // Out of the address bar (and so out of bookmarks and screen shares) at once.
  fragment.delete('token');
  query.delete('token');
  const search = query.toString();
  const hash = fragment.toString();
  history.replaceState(
    null,
    '',
    `${location.pathname}${search ? `?${search}` : ''}${hash ? `#${hash}` : ''}`,
  );
  if (inQuery) {
    // A query string reaches server logs and proxies: such a token is not used.
    showSignIn(
      'A token in the query string (?token=…) is not used: it travels to the server and its logs. Paste it here, or put it after # in the address.',
    );
  }
  return fromFragment?.trim() || undefined;
}

function showSignIn(message) {
  $('sign-in').hidden = false;
  $('board').hidden = true;
  $('identity').hidden = true;
  $('sign-in-error').textContent = message ?? '';
  setConnection('off');
}

async function signIn(token) {
  state.token = token;
  let me;
  try {
    me = await call(token, 'GET', '/v1/whoami');
  } catch (error) {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn(
      error instanceof ApiError ? describe(error) : `The server cannot be reached: ${error.message}`,
    );
    $('token').focus();
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  state.me = me;
  $('who').textContent =
    `${me.name} (${me.role}${me.environments ? ` in ${me.environments.join(', ')}` : ''})`;
  $('identity').hidden = false;
  $('sign-in').hidden = true;
  $('board').hidden = false;
  await refresh();
  startEvents();
}

function signOut(message) {
  state.events?.abort();
  state.events = null;
  state.token = null;
  state.me = null;
  state.lastCount = undefined;
  state.feedback.clear();
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn(message);
  $('token').value = '';
  $('token').focus();
}

function describe(error) {
  return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
}

/** Fetches everything shown; a call while one runs makes it run once more after, not twice at once. */
function refresh() {
  if (state.refreshing) {
    state.again = true;
    return state.refreshing;
  }
  state.refreshing = (async () => {
    do {
      state.again = false;
      await load();
    } while (state.again && state.token);
  })().finally(() => {
    state.refreshing = null;
  });
  return state.refreshing;
}

async function load() {
  const token = state.token;
  if (!token) return;
  let answers;
  try {
    answers = await Promise.all([
      call(token, 'GET', '/v1/overview'),
      call(token, 'GET', '/v1/status'),
      call(token, 'GET', `/v1/history?limit=${HISTORY_ROWS}`),
      call(token, 'GET', `/v1/audit?limit=${AUDIT_ROWS}`),
      latestChecks(token),
    ]);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut(`The token no longer works: ${describe(error)}`);
      return;
    }
    $('problem').textContent =
      `Could not read the ledger: ${error instanceof ApiError ? describe(error) : error.message}`;
    $('problem').hidden = false;
    return;
  }
  if (token !== state.token) return;
  $('problem').hidden = true;
  const [overview, status, history, audit, checks] = answers;
  const view = {
    overview,
    status,
    history: history.deployments,
    audit: audit.audit,
    checks,
    me: state.me,
    feedback: state.feedback,
    skewMs: Date.parse(status.now) - Date.now(),
    onApprove: approve,
    showAll: state.timelineAll,
    onShowAll: showWholeTimeline,
  };
  state.view = view;
  const waiting = new Set(status.next.map((promotion) => `${promotion.service}:${promotion.environment}`));
  for (const id of state.feedback.keys()) if (!waiting.has(id)) state.feedback.delete(id);
  $('workspace-name').textContent = overview.name;
  document.title = `${overview.name} · stagecraft`;
  replaceChildren($('matrix'), renderMatrix(view));
  replaceChildren($('gates'), renderGates(view));
  replaceChildren($('timeline'), renderTimeline(view));
  replaceChildren($('checks'), renderChecks(view));
  showDiffPicker(overview.environments.map((environment) => environment.name));
  $('updated').textContent = `Updated ${new Date().toLocaleTimeString(undefined, { hour12: false })}`;
}

/** The picker is drawn once per set of environments, so a refresh never resets what the reader chose. */
function showDiffPicker(environments) {
  if (state.diffEnvironments?.join() === environments.join()) return;
  state.diffEnvironments = environments;
  const right = environments.at(-1);
  const left = environments.at(-2) ?? right;
  replaceChildren($('diff-picker'), renderDiffPicker({ environments, left, right, onCompare: compare }));
}

async function compare(left, right) {
  const token = state.token;
  if (!token) return;
  replaceChildren($('diff'), h('p', { class: 'quiet' }, `Comparing ${left} with ${right}…`));
  try {
    const query = new URLSearchParams({ left, right });
    replaceChildren($('diff'), renderDiff(await call(token, 'GET', `/v1/diff?${query}`)));
  } catch (error) {
    replaceChildren(
      $('diff'),
      h(
        'p',
        { class: 'problem', role: 'alert' },
        `Could not compare: ${error instanceof ApiError ? describe(error) : error.message}`,
      ),
    );
  }
}

function showWholeTimeline() {
  state.timelineAll = true;
  if (!state.view) return;
  state.view.showAll = true;
  replaceChildren($('timeline'), renderTimeline(state.view));
  // The button is gone: the keyboard continues at the first entry it revealed.
  const revealed = $('timeline').querySelectorAll('.entry')[FIRST_ENTRIES];
  revealed?.setAttribute('tabindex', '-1');
  revealed?.focus();
}

/** The checks recorded with --record; null when this server keeps none (no such route). */
async function latestChecks(token) {
  try {
    return (await call(token, 'GET', '/v1/checks/latest')).checks;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function approve(promotion, button) {
  const id = `${promotion.service}:${promotion.environment}`;
  button.disabled = true;
  try {
    await call(state.token, 'POST', '/v1/approvals', {
      service: promotion.service,
      environment: promotion.environment,
    });
    state.feedback.set(id, {
      ok: true,
      message: `Approved ${promotion.service} for ${promotion.environment}.`,
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut(`The token no longer works: ${describe(error)}`);
      return;
    }
    state.feedback.set(id, {
      ok: false,
      message: error.message,
      hint: error instanceof ApiError ? error.hint : undefined,
    });
  }
  await refresh();
  // The button is gone once the approval counts: keep the keyboard where the answer is.
  const promotionItem = document.querySelector(`[data-promotion="${CSS.escape(id)}"]`);
  const target = promotionItem?.querySelector('button.approve') ?? promotionItem?.querySelector('.feedback');
  if (target && !target.matches('button')) target.setAttribute('tabindex', '-1');
  target?.focus();
}

function setConnection(mode, retryMs) {
  const element = $('connection');
  element.dataset.mode = mode;
  element.textContent =
    mode === 'live'
      ? '● Live: updates as the ledger changes'
      : mode === 'retry'
        ? `○ Connection lost; trying again in ${Math.round(retryMs / 1000)} s`
        : '○ Not connected';
}

function startEvents() {
  state.events?.abort();
  const controller = new AbortController();
  state.events = controller;
  follow(state.token, controller.signal);
}

async function follow(token, signal) {
  let wait = 1000;
  while (!signal.aborted) {
    try {
      await followEvents(token, {
        signal,
        onOpen: () => {
          wait = 1000;
          setConnection('live');
        },
        onChange: ({ count }) => {
          if (count !== undefined && count === state.lastCount) return;
          state.lastCount = count;
          refresh();
        },
      });
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) {
        signOut(`The token no longer works: ${describe(error)}`);
        return;
      }
    }
    if (signal.aborted) return;
    setConnection('retry', wait);
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, wait);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    wait = Math.min(wait * 2, 15_000);
  }
}

function start() {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    if (token) signIn(token);
  });
  $('forget').addEventListener('click', () => signOut('Signed out: the token is forgotten in this tab.'));
  const token = takeTokenFromAddress() ?? sessionStorage.getItem(TOKEN_KEY);
  if (token) signIn(token);
  else {
    showSignIn($('sign-in-error').textContent);
    $('token').focus();
  }
}

start();
