// Types of seed-shop.mjs, for the tests that seed a server with it.
export interface SeededShop {
  /** Tokens by identity: admin, alice (developer), bob (approver), ci-bot (ci). */
  tokens: Record<'admin' | 'alice' | 'bob' | 'ci-bot', string>;
  identities: string[];
  pendingApproval: string;
  rejected: string;
}

export function seedShop(url: string, adminToken: string): Promise<SeededShop>;
