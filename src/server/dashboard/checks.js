// The latest recorded parity and drift checks (`stagecraft parity … --record`, `drift … --record`).
import { h } from './dom.js';
import { age, clock, statusText } from './format.js';

/** `checks`: the API's list, or null when this server records no checks. */
export function renderChecks({ checks, skewMs }) {
  if (checks === null || checks.length === 0) {
    return h('p', { class: 'quiet' }, 'No recorded checks.');
  }
  return h(
    'table',
    { class: 'checks' },
    h('caption', {}, 'The newest result of each check, by kind and name.'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Check', 'Environments', 'Result', 'Findings', 'Summary', 'When', 'By'].map((title) =>
          h('th', { scope: 'col' }, title),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      checks.map((check) =>
        h(
          'tr',
          { class: `check status-${check.status}`, 'data-check': `${check.kind}:${check.name}` },
          h('th', { scope: 'row' }, `${check.kind} ${check.name}`),
          h('td', {}, check.environments.join(' ↔ ')),
          h('td', { class: 'status' }, statusText(check.status)),
          h('td', {}, String(check.findings)),
          h('td', {}, check.summary),
          h('td', {}, h('time', { datetime: check.at, title: clock(check.at) }, age(check.at, skewMs))),
          h('td', {}, check.actor),
        ),
      ),
    ),
  );
}
