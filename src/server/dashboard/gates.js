// Each promotion still ahead: the gates that stand in its way, and an approve button for those who may.
import { h } from './dom.js';
import { shortDigest } from './format.js';

/**
 * `feedback` keeps the last answer to each approve button (by "service:environment"), so it survives the
 * re-render that the approval's own audit row triggers.
 */
export function renderGates({ overview, status, me, feedback, onApprove }) {
  if (status.next.length === 0) {
    return h(
      'p',
      { class: 'quiet' },
      'Nothing waits to be promoted: every service runs the same artifact all along the chain.',
    );
  }
  const order = new Map(overview.environments.map((environment, index) => [environment.name, index]));
  const promotions = [...status.next].sort(
    (a, b) =>
      (order.get(a.environment) ?? 0) - (order.get(b.environment) ?? 0) || a.service.localeCompare(b.service),
  );
  return h(
    'ul',
    { class: 'promotions' },
    promotions.map((promotion) => {
      const id = `${promotion.service}:${promotion.environment}`;
      const approvals = promotion.gates.some((gate) => gate.gate === 'approvals');
      const mayApprove =
        overview.approvers.includes(me.role) &&
        (me.environments === null || me.environments.includes(promotion.environment));
      const answer = feedback.get(id);
      const rejection = overview.rejected.find(
        (artifact) => artifact.service === promotion.service && artifact.digest === promotion.digest,
      );
      return h(
        'li',
        {
          class: `promotion ${rejection ? 'refused' : promotion.gates.length ? 'waiting' : 'ready'}`,
          'data-promotion': id,
        },
        h(
          'h3',
          {},
          `${promotion.service} → ${promotion.environment} `,
          h('code', { title: promotion.digest }, shortDigest(promotion.digest)),
        ),
        rejection
          ? h(
              'p',
              { class: 'marker rejected' },
              `✗ REJECTED: no environment may take it (${rejection.reason})`,
            )
          : null,
        promotion.gates.length
          ? h(
              'ul',
              { class: 'gates' },
              promotion.gates.map((gate) =>
                gate.blocked
                  ? h(
                      'li',
                      { class: 'gate blocked' },
                      `✗ ${gate.gate}: ${gate.message} — it can never pass for this artifact; what would reset it: ${gate.reset}`,
                    )
                  : h('li', { class: 'gate' }, `○ ${gate.gate}: ${gate.message}`),
              ),
            )
          : h('p', { class: 'ready-text' }, '✓ Every gate passes: ready to promote.'),
        approvals && mayApprove && !rejection
          ? h(
              'button',
              {
                type: 'button',
                class: 'approve',
                'data-focus-key': `approve:${id}`,
                onclick: (event) => onApprove(promotion, event.currentTarget),
              },
              `Approve ${promotion.service} for ${promotion.environment}`,
            )
          : null,
        approvals && !mayApprove && !rejection
          ? h(
              'p',
              { class: 'quiet' },
              `Waits for an approval from someone other than the commit’s author (roles: ${overview.approvers.join(', ')}).`,
            )
          : null,
        answer
          ? h(
              'p',
              { class: `feedback ${answer.ok ? 'ok' : 'error'}`, role: answer.ok ? 'status' : 'alert' },
              answer.ok ? `✓ ${answer.message}` : `✗ Refused: ${answer.message}`,
              answer.hint ? h('span', { class: 'hint' }, ` ${answer.hint}`) : null,
            )
          : null,
      );
    }),
  );
}
