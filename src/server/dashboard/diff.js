// Two environments compared: the report of GET /v1/diff (the same as `stagecraft diff --format json`),
// section by section. A secret never reaches the page: the server sends only whether it differs.
import { h } from './dom.js';
import { shortCommit, shortDigest } from './format.js';

const TITLES = {
  artifacts: 'Artifacts and deployments',
  config: 'Config values',
  secrets: 'Secret structure',
  parity: 'Infrastructure parity',
  dependencies: 'Dependency versions',
};

const MARK = { same: '=', differs: '≠', error: '!', skipped: '–' };
const WORD = { same: 'same', differs: 'differs', error: 'could not evaluate', skipped: 'skipped' };

/** The picker: any two environments of the workspace, and a button. */
export function renderDiffPicker({ environments, left, right, onCompare }) {
  const select = (id, label, chosen) =>
    h(
      'label',
      { for: id },
      label,
      ' ',
      h(
        'select',
        { id, name: id },
        environments.map((name) => h('option', { value: name, selected: name === chosen }, name)),
      ),
    );
  return h(
    'form',
    {
      class: 'diff-picker',
      onsubmit: (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        onCompare(form.elements['diff-left'].value, form.elements['diff-right'].value);
      },
    },
    select('diff-left', 'Compare', left),
    select('diff-right', 'with', right),
    h('button', { type: 'submit' }, 'Compare'),
  );
}

const value = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

function table(caption, head, rows) {
  if (rows.length === 0) return null;
  return h(
    'table',
    { class: 'diff-table' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((title) => h('th', { scope: 'col' }, title)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((cells) =>
        h(
          'tr',
          {},
          cells.map((cell) => h('td', {}, cell)),
        ),
      ),
    ),
  );
}

function deployed(side) {
  if (!side) return 'not deployed';
  return `${shortDigest(side.digest)} · ${shortCommit(side.commit)} · ${side.deployedAt} by ${side.deployedBy} (${side.role}${side.breakGlass ? ', break-glass' : ''})`;
}

function commitList(list, label) {
  if (!list || list.commits.length === 0) return null;
  return h(
    'div',
    { class: 'diff-commits' },
    h('p', {}, `${list.commits.length + list.more} commits ${label}:`),
    h(
      'ul',
      {},
      list.commits.map((commit) => h('li', {}, h('code', {}, shortCommit(commit.sha)), ' ', commit.subject)),
      list.more ? h('li', {}, `… and ${list.more} more`) : null,
    ),
  );
}

function body(name, data, left, right) {
  switch (name) {
    case 'artifacts':
      return [
        table(
          'What each environment runs, and who deployed it when',
          ['Service', left, right],
          data.services.map((s) => [
            `${MARK[s.status === 'same' ? 'same' : 'differs']} ${s.service}`,
            deployed(s.left),
            deployed(s.right),
          ]),
        ),
        ...data.services.flatMap((s) => [
          s.commitsError ? h('p', { class: 'problem' }, `${s.service}: ${s.commitsError.message}`) : null,
          commitList(s.commits?.leftOnly, `${s.service} in ${left} has that ${right} lacks`),
          commitList(s.commits?.rightOnly, `${s.service} in ${right} has that ${left} lacks`),
        ]),
      ];
    case 'config':
      return table(
        'Keys that differ (a secret only as differs)',
        ['Key', left, right],
        data.entries
          .filter((entry) => entry.status !== 'same')
          .map((entry) =>
            entry.secret
              ? [
                  entry.key,
                  {
                    differs: 'secret: differs',
                    'left-only': `secret: only in ${left}`,
                    'right-only': `secret: only in ${right}`,
                  }[entry.status],
                  '',
                ]
              : [
                  entry.key,
                  entry.status === 'right-only' ? '(absent)' : value(entry.left),
                  entry.status === 'left-only' ? '(absent)' : value(entry.right),
                ],
          ),
      );
    case 'secrets':
      return table(
        'Where each secret comes from',
        ['Key', left, right],
        data.entries.map((entry) => [
          `${MARK[entry.status === 'same' ? 'same' : 'differs']} ${entry.key}`,
          entry.left ? entry.left.join(', ') : '(absent)',
          entry.right ? entry.right.join(', ') : '(absent)',
        ]),
      );
    case 'parity':
      return [
        table(
          'Violations',
          ['Type', 'Where', left, right],
          data.violations.map((v) => [
            v.type,
            `${v.resource ? `${v.resource.kind} ${v.resource.name} ` : ''}${v.path}`,
            value(v.left),
            value(v.right),
          ]),
        ),
        h('p', { class: 'quiet' }, `${data.allowed.length} allowed differences (size and traffic).`),
      ];
    case 'dependencies':
      return table(
        'Packages that differ between the deployed commits',
        ['Service', 'Package', left, right],
        data.comparisons.flatMap((comparison) =>
          comparison.differences.flatMap((difference) =>
            [
              ...difference.direct,
              ...difference.transitive.flatMap((group) => group.changes),
              ...difference.unattributed,
            ].map((change) => [
              comparison.service ?? '',
              change.name,
              change.left.join(', ') || '(absent)',
              change.right.join(', ') || '(absent)',
            ]),
          ),
        ),
      );
    default:
      return null;
  }
}

/** The report, one section after another, each with its status in words as well as a mark. */
export function renderDiff(report) {
  const sections = Object.keys(TITLES).map((name) => {
    const section = report.sections[name];
    return h(
      'section',
      { class: `diff-section status-${section.status}`, 'data-section': name, 'data-status': section.status },
      h(
        'h3',
        {},
        `${MARK[section.status]} ${TITLES[name]}: `,
        h('span', { class: 'status' }, WORD[section.status]),
      ),
      h('p', {}, section.summary),
      section.error?.hint ? h('p', { class: 'quiet' }, `Hint: ${section.error.hint}`) : null,
      section.data ? body(name, section.data, report.left, report.right) : null,
    );
  });
  const verdict = {
    identical: `${report.left} and ${report.right} are the same in every section compared.`,
    differs: `${report.left} and ${report.right} differ.`,
    incomplete: `Some sections could not be evaluated: the comparison of ${report.left} and ${report.right} is incomplete.`,
  }[report.verdict];
  return h(
    'div',
    { class: 'diff-report', 'data-verdict': report.verdict, 'data-pair': `${report.left}:${report.right}` },
    h('p', { class: 'verdict' }, verdict),
    sections,
  );
}
