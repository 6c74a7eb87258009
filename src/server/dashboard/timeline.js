// Who did what, newest first: the audit log (every action, done or refused), with each deployment's outcome
// from the history. A break-glass deployment is shown loudly, with its reason.
import { h } from './dom.js';
import { age, clock, shortDigest, statusText } from './format.js';

/** Entries shown before "Show older entries". */
export const FIRST_ENTRIES = 15;

/** `showAll`: whether the reader asked for every entry fetched; `onShowAll` asks. */
export function renderTimeline({ audit, history, skewMs, showAll, onShowAll }) {
  if (audit.length === 0) return h('p', { class: 'quiet' }, 'Nothing recorded yet.');
  const deployments = new Map(history.map((row) => [row.id, row]));
  const shown = showAll ? audit : audit.slice(0, FIRST_ENTRIES);
  // Every break-glass deployment stays in view, however far back: the gates were bypassed.
  const bypasses = history.filter((row) => row.breakGlass);
  const banner = bypasses.length
    ? h(
        'ul',
        { class: 'bypasses' },
        bypasses.map((row) =>
          h(
            'li',
            { class: 'break-glass' },
            h('strong', { class: 'loud' }, '⚠ BREAK-GLASS'),
            ` ${row.actor} (${row.role}) ${row.kind === 'promote' ? 'promoted' : row.kind === 'rollback' ? 'rolled back' : 'deployed'} ${row.service} to ${row.environment}, bypassing its gates, `,
            h('time', { datetime: row.createdAt, title: clock(row.createdAt) }, age(row.createdAt, skewMs)),
            row.reason ? h('span', { class: 'reason' }, ` — reason: ${row.reason}`) : null,
          ),
        ),
      )
    : null;
  const list = h(
    'ol',
    { class: 'timeline' },
    shown.map((entry) => {
      // The server names the deployment an entry refers to; its newest state is the history's.
      const deployment = entry.deployment
        ? (deployments.get(entry.deployment.id) ?? entry.deployment)
        : undefined;
      const breakGlass = entry.action.includes('BREAK-GLASS') && entry.outcome === 'done';
      const classes = ['entry', `outcome-${entry.outcome}`, breakGlass ? 'break-glass' : ''];
      return h(
        'li',
        { class: classes.filter(Boolean).join(' '), 'data-audit': entry.id },
        breakGlass ? h('strong', { class: 'loud' }, '⚠ BREAK-GLASS: the gates were bypassed') : null,
        h(
          'div',
          { class: 'line' },
          h('time', { datetime: entry.at, title: clock(entry.at) }, age(entry.at, skewMs)),
          ' ',
          h('span', { class: 'who' }, entry.actor, h('span', { class: 'role' }, ` (${entry.role})`)),
          ' ',
          h('span', { class: 'action' }, entry.action),
          ' ',
          h('span', { class: 'subject', title: entry.subject }, shortenDigests(entry.subject)),
          ' ',
          h('span', { class: 'outcome' }, statusText(entry.outcome)),
        ),
        entry.outcome === 'refused' && entry.detail ? h('div', { class: 'detail' }, entry.detail) : null,
        deployment
          ? h(
              'div',
              { class: 'detail' },
              `deployment #${deployment.id} of `,
              h('code', { title: deployment.digest }, shortDigest(deployment.digest)),
              `: ${statusText(deployment.status)}`,
              breakGlass && deployment.reason
                ? h('span', { class: 'reason' }, ` — reason: ${deployment.reason}`)
                : null,
            )
          : null,
      );
    }),
  );
  return h(
    'div',
    {},
    banner,
    list,
    shown.length === audit.length
      ? null
      : h(
          'button',
          { type: 'button', class: 'more', 'data-focus-key': 'timeline-more', onclick: onShowAll },
          `Show ${audit.length - shown.length} older entries`,
        ),
  );
}

/** sha256:<64 hex digits> as its first 12, the way the matrix shows a digest; the title keeps the whole. */
function shortenDigests(text) {
  return text.replace(/sha256:([0-9a-f]{12})[0-9a-f]{52}/g, 'sha256:$1…');
}
