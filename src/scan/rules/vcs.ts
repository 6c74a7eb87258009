/**
 * Version control hosting: GitHub, GitLab, Bitbucket and Gitea. Checksums (GitHub's CRC32, GitLab's routable
 * tokens) are verified where the vendor has one.
 */
import { assigned } from './_patterns.ts';
import { breakLastChar, crc32, type Gen, githubChecksum, hasGithubChecksum } from './gen.ts';
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
    nearMiss: 'looks like a GitHub token; checksum fails — truncated or fake?',
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

const GITLAB_TOKENS = 'https://docs.gitlab.com/security/tokens/#token-prefixes';

function legacyGitlabToken(
  id: string,
  prefix: string,
  length: number,
  description: string,
  line: (token: string) => string,
): RuleSpec {
  return {
    id,
    description,
    category: 'vcs',
    keywords: [prefix],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])(?<secret>${prefix}[A-Za-z0-9_-]{${length}})(?![A-Za-z0-9_.-])`),
    minEntropy: length >= 40 ? 4 : 3.2,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) => line(`${prefix}${gen.base64url(length)}`),
      // The placeholder GitLab's own docs and READMEs show.
      negative: () => line(`${prefix}${'x'.repeat(length)}`),
    },
  };
}

/**
 * GitLab's routable tokens: prefix, base64url payload, ".", an optional 2-character version and ".", the
 * payload length (2 base36 characters) and the CRC32 of everything before it (7 base36 characters).
 * gitlab-org/gitlab `lib/authn/token_field/generator/routable_token.rb`.
 */
function hasRoutableChecksum(secret: string): boolean {
  const body = secret.slice(0, -7);
  return crc32(body).toString(36).padStart(7, '0') === secret.slice(-7);
}

function routableToken(gen: Gen, prefix: string): string {
  const routing = `c:1\no:${gen.int(1, 2 ** 30).toString(36)}\nu:${gen.int(1, 2 ** 30).toString(36)}`;
  const payload = Buffer.from([...gen.bytes(16), ...Buffer.from(routing), routing.length]).toString(
    'base64url',
  );
  const body = `${prefix}${payload}.01.${payload.length.toString(36).padStart(2, '0')}`;
  return body + crc32(body).toString(36).padStart(7, '0');
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
  legacyGitlabToken(
    'gitlab-pat',
    'glpat-',
    20,
    'GitLab personal, project or group access token',
    (t) => `GITLAB_TOKEN=${t}`,
  ),
  {
    id: 'gitlab-pat-routable',
    description: 'GitLab personal, project or group access token (routable format)',
    category: 'vcs',
    keywords: ['glpat-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>glpat-[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{2}[0-9a-z]{7})(?![A-Za-z0-9_-])/,
    validate: hasRoutableChecksum,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) =>
        `git remote add origin https://oauth2:${routableToken(gen, 'glpat-')}@gitlab.com/acme/web.git`,
      negative: (gen) => `GITLAB_TOKEN=${breakLastChar(routableToken(gen, 'glpat-'))}`,
    },
  },
  legacyGitlabToken(
    'gitlab-deploy-token',
    'gldt-',
    20,
    'GitLab deploy token',
    (t) => `DEPLOY_TOKEN_PASSWORD=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-runner-auth-token',
    'glrt-',
    20,
    'GitLab runner authentication token',
    (t) => `[[runners]]\n  url = "https://gitlab.com"\n  token = "${t}"`,
  ),
  {
    id: 'gitlab-runner-auth-token-routable',
    description: 'GitLab runner authentication token (routable format)',
    category: 'vcs',
    keywords: ['glrt-'],
    pattern:
      /(?<![A-Za-z0-9_-])(?<secret>glrt-t\d_[A-Za-z0-9_-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{2}[0-9a-z]{7})(?![A-Za-z0-9_-])/,
    validate: hasRoutableChecksum,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) => `gitlab-runner register --token ${routableToken(gen, `glrt-t${gen.int(1, 3)}_`)}`,
      negative: (gen) => `gitlab-runner register --token ${breakLastChar(routableToken(gen, 'glrt-t1_'))}`,
    },
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    description: 'GitLab pipeline trigger token',
    category: 'vcs',
    keywords: ['glptt-'],
    // "glptt-" + SecureRandom.hex(20): gitlab-org/gitlab app/models/ci/trigger.rb.
    pattern: /(?<![A-Za-z0-9_-])(?<secret>glptt-[a-f0-9]{40})(?![A-Za-z0-9_-])/,
    minEntropy: 3,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) =>
        `curl -X POST --fail -F token=glptt-${gen.hex(40)} -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline`,
      negative: (gen) =>
        `curl -X POST -F token=glptt-${gen.hex(20)} -F ref=main https://gitlab.example.com/api/v4/projects/42/trigger/pipeline`,
    },
  },
  {
    id: 'gitlab-runner-registration-token',
    description: 'GitLab runner registration token (deprecated)',
    category: 'vcs',
    keywords: ['gr1348941'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>GR1348941[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/,
    minEntropy: 3.3,
    docs: 'https://docs.gitlab.com/ci/runners/new_creation_workflow/',
    samples: {
      positive: (gen) =>
        `gitlab-runner register --url https://gitlab.com --registration-token GR1348941${gen.base64url(20)}`,
      negative: () => 'gitlab-runner register --registration-token GR1348941XXXXXXXXXXXXXXXXXXXX',
    },
  },
  {
    id: 'gitlab-cicd-job-token',
    description: 'GitLab CI/CD job token',
    category: 'vcs',
    keywords: ['glcbt-'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>glcbt-[0-9A-Za-z]{1,5}_[A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/,
    minEntropy: 3.2,
    docs: GITLAB_TOKENS,
    samples: {
      positive: (gen) =>
        `curl --header "JOB-TOKEN: glcbt-${gen.hex(2)}_${gen.base64url(20)}" https://gitlab.com/api/v4/jobs/1/artifacts`,
      negative: () =>
        'curl --header "JOB-TOKEN: $CI_JOB_TOKEN" https://gitlab.com/api/v4/jobs/1/artifacts\n# glcbt-64_xxxxxxxxxxxxxxxxxxxx',
    },
  },
  legacyGitlabToken('gitlab-scim-token', 'glsoat-', 20, 'GitLab SCIM token', (t) => `SCIM_TOKEN=${t}`),
  legacyGitlabToken(
    'gitlab-feed-token',
    'glft-',
    20,
    'GitLab feed token',
    (t) => `https://gitlab.com/dashboard/issues.atom?feed_token=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-incoming-mail-token',
    'glimt-',
    25,
    'GitLab incoming mail token',
    (t) => `incoming_email_token: ${t}`,
  ),
  legacyGitlabToken(
    'gitlab-agent-token',
    'glagent-',
    50,
    'GitLab agent for Kubernetes token',
    (t) => `helm upgrade --install agent gitlab/gitlab-agent --set config.token=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-oauth-app-secret',
    'gloas-',
    64,
    'GitLab OAuth application secret',
    (t) => `GITLAB_OAUTH_CLIENT_SECRET=${t}`,
  ),
  legacyGitlabToken(
    'gitlab-feature-flag-client-token',
    'glffct-',
    20,
    'GitLab feature flags client token',
    (t) => `UNLEASH_INSTANCE_ID=${t}`,
  ),
  {
    id: 'bitbucket-app-password',
    description: 'Bitbucket app password',
    category: 'vcs',
    keywords: ['atbb'],
    pattern: /(?<![A-Za-z0-9_])(?<secret>ATBB[A-Za-z0-9]{32})(?![A-Za-z0-9_])/,
    minEntropy: 3.8,
    docs: 'https://support.atlassian.com/bitbucket-cloud/docs/app-passwords/',
    samples: {
      positive: (gen) => `git clone https://ci-bot:ATBB${gen.alnum(32)}@bitbucket.org/acme/web.git`,
      negative: () => `BITBUCKET_APP_PASSWORD=ATBB${'X'.repeat(32)}`,
    },
  },
  {
    id: 'bitbucket-access-token',
    description: 'Bitbucket repository, project or workspace access token',
    category: 'vcs',
    keywords: ['atctt3xffgn0'],
    pattern: /(?<![A-Za-z0-9_-])(?<secret>ATCTT3xFfGN0[A-Za-z0-9_=-]{60,300})(?![A-Za-z0-9_=-])/,
    minEntropy: 4.5,
    docs: 'https://support.atlassian.com/bitbucket-cloud/docs/access-tokens/',
    samples: {
      positive: (gen) =>
        `curl -H "Authorization: Bearer ATCTT3xFfGN0${gen.base64url(gen.int(150, 190))}" https://api.bitbucket.org/2.0/repositories/acme`,
      negative: () => 'BITBUCKET_ACCESS_TOKEN=ATCTT3xFfGN0...',
    },
  },
  {
    id: 'gitea-access-token',
    description: 'Gitea / Forgejo access token',
    category: 'vcs',
    keywords: ['gitea', 'forgejo'],
    pattern: assigned('(?:gitea|forgejo)[\\w.-]{0,30}?token\\w{0,10}', '[a-f0-9]{40}'),
    minEntropy: 3,
    docs: 'https://docs.gitea.com/development/api-usage',
    samples: {
      positive: (gen) => `GITEA_TOKEN=${gen.hex(40)}`,
      // A commit SHA next to the forge's name.
      negative: (gen) => `GITEA_COMMIT_SHA=${gen.hex(40)}`,
    },
  },
];
