// The environment × service matrix: what runs where, a digest that differs from the environment it is
// promoted from, rejected artifacts, and what waits to come next.
import { h } from './dom.js';
import { age, clock, shortCommit, shortDigest, statusText } from './format.js';

const key = (...parts) => parts.join('\u0000');

export function renderMatrix({ overview, status, history, skewMs }) {
  const rows = new Map(status.deployments.map((row) => [key(row.service, row.environment), row]));
  const next = new Map(
    status.next.map((promotion) => [key(promotion.service, promotion.environment), promotion]),
  );
  const rejected = new Map(
    overview.rejected.map((artifact) => [key(artifact.service, artifact.digest), artifact]),
  );
  const bypassed = new Set(
    [...status.deployments, ...history].filter((row) => row.breakGlass).map((row) => row.id),
  );
  const context = { rows, next, rejected, bypassed, skewMs };
  return h(
    'table',
    { class: 'matrix' },
    h(
      'caption',
      {},
      'The newest deployment of each service in each environment. ',
      h('span', { class: 'marker differs' }, '≠'),
      ' marks a digest that differs from the environment it is promoted from; ',
      h('span', { class: 'marker rejected' }, 'REJECTED'),
      ' marks an artifact no environment may take.',
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Service'),
        overview.environments.map((environment) =>
          h(
            'th',
            { scope: 'col' },
            environment.name,
            h(
              'span',
              { class: 'from' },
              environment.from ? `from ${environment.from}` : 'start of the chain',
            ),
          ),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      overview.services.map((service) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, service),
          overview.environments.map((environment) => cell(service, environment, context)),
        ),
      ),
    ),
  );
}

function cell(service, environment, { rows, next, rejected, bypassed, skewMs }) {
  const row = rows.get(key(service, environment.name));
  const waiting = next.get(key(service, environment.name));
  const attributes = { 'data-cell': `${service}:${environment.name}` };
  if (!row) {
    return h(
      'td',
      { ...attributes, class: 'cell empty' },
      h('span', { class: 'nothing' }, '— not deployed'),
      upcoming(waiting, undefined, rejected),
    );
  }
  const from = environment.from === null ? undefined : rows.get(key(service, environment.from));
  const differs = from !== undefined && from.digest !== row.digest;
  const rejection = rejected.get(key(service, row.digest));
  const classes = ['cell', `status-${row.status}`, differs ? 'differs' : '', rejection ? 'rejected' : ''];
  return h(
    'td',
    { ...attributes, class: classes.filter(Boolean).join(' '), 'data-digest': row.digest },
    h(
      'div',
      { class: 'digest' },
      h('code', { title: row.digest }, shortDigest(row.digest)),
      differs ? h('span', { class: 'marker differs' }, `≠ differs from ${environment.from}`) : null,
    ),
    h(
      'div',
      { class: 'meta' },
      'commit ',
      h('code', { title: row.commit }, shortCommit(row.commit)),
      ' · ',
      h('time', { datetime: row.createdAt, title: clock(row.createdAt) }, age(row.createdAt, skewMs)),
    ),
    h('div', { class: 'status' }, statusText(row.status), row.stale ? ` — abandoned: ${row.stale}` : ''),
    bypassed.has(row.id)
      ? h('div', { class: 'marker break-glass' }, '⚠ BREAK-GLASS: its gates were bypassed')
      : null,
    rejection
      ? h('div', { class: 'marker rejected' }, `✗ REJECTED by ${rejection.by}: ${rejection.reason}`)
      : null,
    upcoming(waiting, row, rejected),
  );
}

/** What the rules would promote here next, and what it waits for. */
function upcoming(waiting, row, rejected) {
  if (!waiting || waiting.digest === row?.digest) return null;
  const gates = waiting.gates.map((gate) => gate.gate);
  const blocked = waiting.gates.filter((gate) => gate.blocked).map((gate) => gate.gate);
  const refused = rejected.has(key(waiting.service, waiting.digest));
  return h(
    'div',
    { class: 'next' },
    'next ',
    h('code', { title: waiting.digest }, shortDigest(waiting.digest)),
    refused
      ? ': ✗ rejected'
      : blocked.length
        ? `: ✗ ${blocked.join(', ')} can never pass for it`
        : gates.length
          ? `: waits for ${gates.join(', ')}`
          : ': ✓ ready to promote',
  );
}
