/**
 * The real repositories the benchmark scans, each pinned to one commit so its results can be reproduced:
 * the history scanned is exactly what that commit reaches. Chosen to differ in kind: web frameworks, a
 * monorepo, CLIs and libraries, an auth library with key fixtures, and applications with infrastructure
 * code (Kubernetes manifests, Terraform, Compose). Histories of a few hundred to a few thousand commits, so
 * a run takes minutes.
 */
export const REPOSITORIES = [
  {
    name: 'koa',
    url: 'https://github.com/koajs/koa.git',
    commit: 'e0ba8ef39d27fe5dae5492f9fe753d155124f994',
    kind: 'web framework (JavaScript)',
  },
  {
    name: 'fastify',
    url: 'https://github.com/fastify/fastify.git',
    commit: '83e69762aff047940b376fc2a266d143499ef727',
    kind: 'web framework (JavaScript, TypeScript types)',
  },
  {
    name: 'elysia',
    url: 'https://github.com/elysiajs/elysia.git',
    commit: '8358ff9efbcedf9534995f5977f26b9ceab59329',
    kind: 'web framework (TypeScript, Bun)',
  },
  {
    name: 'changesets',
    url: 'https://github.com/changesets/changesets.git',
    commit: '5322174b2722b626161ca1b9c0889ede440b30b5',
    kind: 'monorepo of packages and a CLI (TypeScript)',
  },
  {
    name: 'trpc',
    url: 'https://github.com/trpc/trpc.git',
    commit: '340811ba5320637fbaf48fccf3dbfdd258bd34db',
    kind: 'monorepo of packages and example apps (TypeScript)',
  },
  {
    name: 'commander.js',
    url: 'https://github.com/tj/commander.js.git',
    commit: 'ba6d13ddb4243e5913367734f8c159089ffe7834',
    kind: 'CLI library (JavaScript)',
  },
  {
    name: 'dotenv',
    url: 'https://github.com/motdotla/dotenv.git',
    commit: '2fc7eac8ad77cbd5f7814355c7fa352dbcf3c358',
    kind: 'configuration library with .env examples (JavaScript)',
  },
  {
    name: 'node-jsonwebtoken',
    url: 'https://github.com/auth0/node-jsonwebtoken.git',
    commit: 'bc28861f1fa981ed9c009e29c044a19760a0b128',
    kind: 'auth library with key and token fixtures (JavaScript)',
  },
  {
    name: 'microservices-demo',
    url: 'https://github.com/GoogleCloudPlatform/microservices-demo.git',
    commit: '34ffea9175946982c3088ed84994fe6019ad6e92',
    kind: 'polyglot app with Kubernetes manifests, Helm, Terraform (Go, C#, Python, Node.js, Java)',
  },
  {
    name: 'example-voting-app',
    url: 'https://github.com/dockersamples/example-voting-app.git',
    commit: '63e9150ca17af4ed05880d4245e486481f73fcb4',
    kind: 'polyglot app with Compose files and Kubernetes manifests (Python, Node.js, C#)',
  },
  {
    name: 'umami',
    url: 'https://github.com/umami-software/umami.git',
    commit: 'c0ea3aefbee7a3429ee2f824b06dc4a9dbe0b7e1',
    kind: 'web analytics app with Docker and database configuration (TypeScript, Next.js)',
  },
];
