/** Codes of facts about an environment that manifests do not show (database versions): collected and read. */
import { type Catalog, defineErrors } from '@stagecraft/config/errors';

const codes = {
  FACTS_INVALID: {
    outcome: 'failed',
    meaning: 'A facts file is not valid JSON or does not have the shape of facts.json.',
    hint: 'Regenerate it with `stagecraft facts collect`, or fix it by hand.',
  },
  FACTS_DATABASE_URL: {
    outcome: 'failed',
    meaning: 'A --database option is not NAME=URL, or its URL is not a URL.',
    hint: 'Give --database NAME=postgres://user@host:5432/db (the password may come from PGPASSWORD).',
  },
  FACTS_DATABASE_ENGINE: {
    outcome: 'failed',
    meaning: 'facts collect asks only PostgreSQL for its version; the URL names another engine.',
    hint: "Write that database's databases[].server_version into facts.json yourself.",
  },
  FACTS_DATABASE_UNREACHABLE: {
    outcome: 'unavailable',
    meaning:
      'A database could not be asked for its version: it is unreachable or the credentials are refused.',
    hint: 'Check that the database is reachable from here and the credentials are right.',
  },
} as const;

export const FactsCodes: Catalog<keyof typeof codes> = defineErrors('facts', codes);
