/** Version control hosting: GitHub, GitLab, Bitbucket and friends. */
import { githubChecksum, hasGithubChecksum } from './gen.ts';
import type { RuleSpec } from './types.ts';

const GITHUB_FORMATS =
  'https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/';

/** `ghp_` and friends: 30 random base62 characters and a 6-character CRC32 checksum. */
function githubToken(id: string, prefix: string, description: string): RuleSpec {
  return {
    id,
    description,
    category: 'vcs',
    keywords: [`${prefix}_`],
    pattern: new RegExp(`(?<![A-Za-z0-9_])(?<secret>${prefix}_[A-Za-z0-9]{36})(?![A-Za-z0-9_])`),
    validate: (secret) => hasGithubChecksum(secret.slice(prefix.length + 1)),
    docs: GITHUB_FORMATS,
    samples: {
      positive: (gen) => {
        const random = gen.alnum(30);
        return `GITHUB_TOKEN=${prefix}_${random}${githubChecksum(random)}`;
      },
      // Right prefix and length, wrong checksum: what a made-up or mistyped token looks like.
      negative: (gen) => {
        const random = gen.alnum(30);
        const checksum = githubChecksum(random);
        const wrong = checksum.slice(0, 5) + (checksum[5] === 'A' ? 'B' : 'A');
        return `GITHUB_TOKEN=${prefix}_${random}${wrong}`;
      },
    },
  };
}

export const vcsRules: RuleSpec[] = [
  githubToken('github-pat', 'ghp', 'GitHub personal access token (classic)'),
  githubToken('github-oauth-token', 'gho', 'GitHub OAuth access token'),
  githubToken('github-user-to-server-token', 'ghu', 'GitHub App user-to-server token'),
  githubToken('github-server-to-server-token', 'ghs', 'GitHub App installation token'),
  githubToken('github-refresh-token', 'ghr', 'GitHub App refresh token'),
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    category: 'vcs',
    keywords: ['github_pat_'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/,
    minEntropy: 4,
    docs: 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens',
    samples: {
      positive: (gen) => `token: github_pat_${gen.alnum(22)}_${gen.alnum(59)}`,
      negative: (gen) => `token: github_pat_${gen.alnum(22)}_${gen.alnum(40)}`,
    },
  },
];
