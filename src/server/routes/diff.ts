/**
 * GET /v1/diff?left=staging&right=production: the report `stagecraft diff` prints (src/diff/), for the
 * dashboard's comparison of any two environments. Read like /v1/status: any authenticated identity. What
 * needs the workspace's files or its git repository is computed from the workspace the server serves; a
 * section whose input is missing (no git repository) says so in the report.
 */
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { isStagecraftError, StagecraftError } from '@stagecraft/config/errors';
import { oneOf } from '@stagecraft/config/text';
import { buildDiff, type DiffLedger, type DiffReport } from '../../diff/report.ts';
import { repositoryRoot } from '../../git/run.ts';
import { LedgerCodes } from '../../ledger/errors.ts';
import type { Ledger } from '../../ledger/ledger.ts';
import type { AuthenticatedEnv } from '../authenticate.ts';
import { bearer, errorAnswers, jsonAnswer } from '../route.ts';

/** Builds the report with the server's ledger; `serve` passes one that knows the app's secret config fields. */
export type Differ = (left: string, right: string, ledger: DiffLedger) => Promise<DiffReport>;

const STATUS = z.enum(['same', 'differs', 'error', 'skipped']);

const Section = z
  .object({
    status: STATUS,
    summary: z.string(),
    data: z.unknown().openapi({
      description:
        'What was compared, as `stagecraft diff --format json` prints it; null when skipped or failed',
    }),
    error: z
      .object({ code: z.string(), message: z.string(), hint: z.string().nullable() })
      .nullable()
      .openapi({ description: 'Why the section could not be evaluated' }),
  })
  .openapi('DiffSection');

const Report = z
  .object({
    left: z.string(),
    right: z.string(),
    verdict: z.enum(['identical', 'differs', 'incomplete']),
    counts: z.object({ same: z.number(), differs: z.number(), error: z.number(), skipped: z.number() }),
    sections: z.object({
      artifacts: Section,
      config: Section,
      secrets: Section,
      parity: Section,
      dependencies: Section,
    }),
  })
  .openapi('Diff');

const environmentName = (description: string) =>
  z.string().min(1).max(100).openapi({ description, example: 'staging' });

export function diffRoutes(app: OpenAPIHono<AuthenticatedEnv>, ledger: Ledger, differ?: Differ): void {
  const build: Differ =
    differ ??
    ((left, right, reader) =>
      buildDiff({
        workspace: ledger.workspace,
        left,
        right,
        ledger: reader,
        repository: repository(ledger.workspace.root),
      }));
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/diff',
      tags: ['views'],
      security: bearer,
      summary:
        'Everything that differs between two environments: artifacts and who deployed them, config (secrets only as same or differs), secret structure, parity, dependency versions',
      request: {
        query: z.object({
          left: environmentName('An environment of stagecraft.yaml'),
          right: environmentName('The environment to compare it with'),
        }),
      },
      responses: { 200: jsonAnswer(Report, 'The report'), ...errorAnswers },
    }),
    async (c) => {
      const { left, right } = c.req.valid('query');
      const declared = ledger.workspace.environments.map((env) => env.name);
      for (const name of [left, right]) {
        if (!declared.includes(name)) {
          throw new StagecraftError(
            LedgerCodes.LEDGER_UNKNOWN_ENVIRONMENT,
            `there is no environment "${name}"`,
            {
              hint: oneOf(name, declared),
            },
          );
        }
      }
      return c.json(await build(left, right, ledger), 200);
    },
  );
}

function repository(root: string): string | StagecraftError {
  try {
    return repositoryRoot(root);
  } catch (error) {
    if (isStagecraftError(error)) return error;
    throw error;
  }
}
