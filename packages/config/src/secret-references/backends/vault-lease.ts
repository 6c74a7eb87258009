/**
 * A dynamic secret's lease (database/creds/ROLE) together with the token that read it, as one SecretLease
 * for the lease keeper: renewing it renews the token first (vault-token.ts), then the lease with PUT
 * sys/leases/renew when the lease would end before the token (api-docs/system/leases#renew-lease); the TTL
 * the keeper sees is the lesser of the two, and the lease is final when whichever ends first can be extended
 * no further — so the owner reads afresh before the token, and with it the lease, ends. Revoked with PUT
 * sys/leases/revoke (api-docs/system/leases#revoke-lease).
 */
import type { SecretLease } from '../backend.ts';
import { SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';
import type { SecretReference } from '../reference.ts';
import { callVault, type VaultAnswer, type VaultSettings, type VaultToken } from './vault-client.ts';
import { keepTokenAlive, knowLife, revokeLoginToken, tokenEnding } from './vault-token.ts';

export async function vaultLease(
  settings: VaultSettings,
  reference: SecretReference,
  token: VaultToken,
  body: Record<string, unknown>,
  now: () => number,
): Promise<SecretLease> {
  const id = String(body['lease_id']);
  const leaseTtl = Number(body['lease_duration'] ?? 0);
  const life = await knowLife(settings, reference, token, now);
  life.leases++;
  let leaseEndsAt = now() + leaseTtl * 1000;
  let leaseFinal = body['renewable'] !== true;
  let revoked = false;
  const tokenLeft = () =>
    life.ttl === 0 ? Number.POSITIVE_INFINITY : Math.max(0, (life.endsAt - now()) / 1000);
  const fail = (what: string, answer: VaultAnswer) =>
    new SecretError(
      answer.status === 403 ? SecretCodes.SECRET_FORBIDDEN : SecretCodes.SECRET_UNAVAILABLE,
      `${reference.text}: ${settings.product} refused to ${what} the lease ${id} (${answer.status}${answer.errors ? `: ${answer.errors}` : ''})`,
      {
        hint: 'the credential is read afresh; check the token may update sys/leases/renew and sys/leases/revoke',
      },
    );
  const initial = tokenLeft();
  return {
    id,
    ttlSeconds: Math.min(leaseTtl, initial),
    // Renewed while either can be: a token ending before a lease that cannot be renewed is still extended.
    renewable: !leaseFinal || (initial < leaseTtl && life.renewable && !life.final),
    async renew() {
      const left = await keepTokenAlive(settings, reference, token, now);
      let leaseLeft = Math.max(0, (leaseEndsAt - now()) / 1000);
      // The lease needs extending only when it would end before its token.
      if (!leaseFinal && leaseLeft < left) {
        const answer = await callVault(settings, reference, 'PUT', 'sys/leases/renew', {
          token: token.value,
          body: { lease_id: id, increment: leaseTtl },
        });
        if (answer.status !== 200) throw fail('renew', answer);
        leaseLeft = Number(answer.body['lease_duration'] ?? 0);
        leaseEndsAt = now() + leaseLeft * 1000;
        // Less than asked: the lease's maximum TTL is near.
        if (leaseLeft < leaseTtl) leaseFinal = true;
      }
      const tokenFirst = left <= leaseLeft;
      // Under a second left is too little to extend usefully: read afresh rather than renew ever faster.
      const final = (tokenFirst ? life.final : leaseFinal) || Math.min(left, leaseLeft) < 1;
      if (tokenFirst && final && !token.login && !life.warned) {
        life.warned = true;
        throw tokenEnding(settings, reference, token, left);
      }
      return { ttlSeconds: Math.min(left, leaseLeft), final };
    },
    async revoke() {
      if (revoked) return;
      revoked = true;
      try {
        // Its token ended, and Vault revoked the lease with it: nothing left to revoke.
        if (life.ttl > 0 && life.endsAt <= now()) return;
        const answer = await callVault(settings, reference, 'PUT', 'sys/leases/revoke', {
          token: token.value,
          body: { lease_id: id },
        });
        if (answer.status !== 204 && answer.status !== 200) throw fail('revoke', answer);
      } finally {
        life.leases--;
      }
      if (life.leases === 0) await revokeLoginToken(settings, reference, token);
    },
  };
}
