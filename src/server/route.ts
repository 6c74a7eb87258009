/** What every API route declares alike: a bearer token, a JSON answer, and the errors it may answer with. */
import type { z } from '@hono/zod-openapi';
import { ErrorBody } from './schemas.ts';

interface JsonContent<T> {
  content: { 'application/json': { schema: T } };
}

type ErrorAnswer = JsonContent<typeof ErrorBody> & { description: string };

const errors = {
  400: 'The body is not JSON, or not what this schema describes; audited',
  401: 'No identity the server accepts: no token, or an unknown, expired or revoked one, or an OIDC token that does not verify',
  403: 'A rule refused the action (role, environment, break-glass, self-approval); audited',
  404: 'No such service, environment or token',
  409: 'The ledger’s state refuses it now (a gate, a deployment in progress, already deployed); audited',
  413: 'The body is larger than 1 MiB; audited',
  415: 'The body is not sent as application/json; audited',
  422: 'A value is not what the ledger takes (a tag instead of a digest, an unknown commit)',
  429: 'Too many failed authentications from this client; see Retry-After',
  503: 'The database or an OIDC issuer cannot be reached',
} as const;

export const errorAnswers: { [S in keyof typeof errors]: ErrorAnswer } = Object.fromEntries(
  Object.entries(errors).map(([status, description]) => [
    status,
    { description, content: { 'application/json': { schema: ErrorBody } } },
  ]),
) as { [S in keyof typeof errors]: ErrorAnswer };

export const bearer: { bearer: string[] }[] = [{ bearer: [] }];

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T): JsonContent<T> & { required: true } {
  return { content: { 'application/json': { schema } }, required: true };
}

/** The 200 answer. */
export function jsonAnswer<T extends z.ZodType>(
  schema: T,
  description = 'Done',
): JsonContent<T> & { description: string } {
  return { description, content: { 'application/json': { schema } } };
}
