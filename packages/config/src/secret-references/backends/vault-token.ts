/**
 * The client token's own lifetime, kept as Vault Agent keeps it. Leases are children of the token that read
 * them: when the token expires or is revoked, Vault revokes its leases (docs/concepts/tokens, "Token
 * hierarchies and orphan tokens"; docs/concepts/lease, "Revocation"). So a kept lease keeps its token alive:
 * the token is renewed with auth/token/renew-self (api-docs/auth/token#renew-a-token-self) once at least a
 * third of its TTL has gone, one renewal shared by all its leases, and a token that can be extended no
 * further makes its leases end with it.
 */
import { SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import type { SecretReference } from '../reference.ts';
import {
  callVault,
  cliName,
  type TokenLife,
  throwUnavailable,
  tokenLife,
  type VaultSettings,
  type VaultToken,
} from './vault-client.ts';

/**
 * What is known of the token's life: a login's response said it; a given token is looked up
 * (api-docs/auth/token#lookup-a-token-self: `ttl` left, 0 for never, `creation_ttl`, `renewable`) the first
 * time a lease is read with it — a read without a lease needs no lookup.
 */
export async function knowLife(
  settings: VaultSettings,
  reference: SecretReference,
  token: VaultToken,
  now: () => number,
): Promise<TokenLife> {
  if (token.life) return token.life;
  const answer = await callVault(settings, reference, 'GET', 'auth/token/lookup-self', {
    token: token.value,
  });
  throwUnavailable(settings, reference, answer);
  const data = (answer.body['data'] ?? {}) as { ttl?: unknown; creation_ttl?: unknown; renewable?: unknown };
  const left = Number(data.ttl ?? 0);
  if (answer.status !== 200 || !Number.isFinite(left) || left <= 0) {
    // Never expires (ttl 0), or a policy without lookup-self: kept as before, by the leases alone.
    token.life ??= tokenLife(0, false, now());
    return token.life;
  }
  const life = tokenLife(Number(data.creation_ttl ?? 0) || left, data.renewable === true, now());
  life.endsAt = now() + left * 1000;
  token.life ??= life;
  return token.life;
}

/** Seconds the token has left, after renewing it when a third of its TTL has gone (Infinity: never ends). */
export async function keepTokenAlive(
  settings: VaultSettings,
  reference: SecretReference,
  token: VaultToken,
  now: () => number,
): Promise<number> {
  const life = await knowLife(settings, reference, token, now);
  if (life.ttl === 0) return Number.POSITIVE_INFINITY;
  if (!life.final && life.endsAt - now() <= (life.ttl * 1000 * 2) / 3) {
    life.renewing ??= renewSelf(settings, reference, token, life, now).finally(() => {
      life.renewing = undefined;
    });
    await life.renewing;
  }
  return Math.max(0, (life.endsAt - now()) / 1000);
}

async function renewSelf(
  settings: VaultSettings,
  reference: SecretReference,
  token: VaultToken,
  life: TokenLife,
  now: () => number,
): Promise<void> {
  const answer = await callVault(settings, reference, 'PUT', 'auth/token/renew-self', {
    token: token.value,
    body: { increment: life.ttl },
  });
  throwUnavailable(settings, reference, answer);
  const auth = answer.body['auth'] as { lease_duration?: unknown; renewable?: unknown } | undefined;
  if (answer.status === 200 && auth) {
    const granted = Number(auth.lease_duration ?? 0);
    life.endsAt = now() + granted * 1000;
    life.renewable = auth.renewable !== false;
    // Less than asked: its maximum TTL is near, and this was its last extension.
    if (granted < life.ttl || !life.renewable) life.final = true;
    return;
  }
  life.final = true;
  const quoted = `${answer.status}${answer.errors ? `: ${answer.errors}` : ''}`;
  if (answer.status === 403) {
    token.dead = true;
    throw new SecretError(
      SecretCodes.SECRET_UNAUTHENTICATED,
      `${reference.text}: ${settings.product} refused to renew the token from ${token.source} (${quoted}): it expired or was revoked, and the leases read with it ended with it`,
      {
        hint: token.login
          ? 'the secret is read afresh with a new login'
          : `log in again (\`${cliName(settings)} login\`) or set a current ${settings.named('TOKEN')}, then restart`,
      },
    );
  }
  // 400: not renewable. Its leases end with it; they are read afresh before then.
}

/** A token the user gave that can be extended no further: said once, while what was read with it still works. */
export function tokenEnding(
  settings: VaultSettings,
  reference: SecretReference,
  token: VaultToken,
  secondsLeft: number,
): SecretError {
  return new SecretError(
    SecretCodes.SECRET_TOKEN_EXPIRING,
    `${reference.text}: the ${settings.product} token from ${token.source} cannot be renewed further and expires in ${Math.ceil(secondsLeft)} s; the leases read with it end then, and it is not replaced`,
    {
      hint: `log in again (\`${cliName(settings)} login\`) or set a current ${settings.named('TOKEN')}, then restart; or use a login method (${settings.named('AUTH_METHOD')}), which stagecraft renews itself`,
    },
  );
}

/**
 * A token stagecraft logged in for is revoked (api-docs/auth/token#revoke-a-token-self) once the last lease
 * read with it has been revoked at close. Nothing outside this process holds it, and left alone it would stay
 * usable — renewable up to its maximum TTL by whoever has it — for its whole TTL after the process is gone.
 * It is revoked after its leases, not instead of them, so that each lease's revocation is tried and reported
 * on its own; and only when no lease of it is still held elsewhere in the process, since revoking it revokes
 * them. A token the user gave (VAULT_TOKEN, ~/.vault-token) is theirs: never revoked.
 */
export async function revokeLoginToken(
  settings: VaultSettings,
  reference: SecretReference,
  token: VaultToken,
): Promise<void> {
  if (!token.login || token.dead) return;
  token.dead = true; // the next read logs in again
  await callVault(settings, reference, 'POST', 'auth/token/revoke-self', { token: token.value });
}
