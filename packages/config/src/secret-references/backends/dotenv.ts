/**
 * `ref+dotenv://NAME[?file=.env.test]`: a value from the developer's local `.env` (`.env.local` first). Only
 * where stagecraft.yaml lets the environment read `.env` files (by default the start of the chain): a `.env`
 * on a build agent or a server must never become a production secret by accident.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { dotenvRecord, parseDotenv } from '../../config/dotenv-parse.ts';
import { checkParams, type SecretBackend, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';

export const backend: SecretBackend = {
  read(reference, context) {
    checkParams(reference, ['file']);
    if (!context.dotenvAllowed) {
      throw new SecretError(
        SecretCodes.SECRET_DOTENV_REFUSED,
        `${reference.text}: .env files are not read in the ${context.environment} environment`,
        {
          hint: `.env is for local development only (stagecraft.yaml: environments.${context.environment}.dotenv is false); provide this secret from a CI secret variable (ref+env://), Vault, AWS Secrets Manager or a mounted secret`,
        },
      );
    }
    const files =
      reference.params['file'] === undefined ? ['.env.local', '.env'] : [reference.params['file']];
    for (const file of files) {
      const path = isAbsolute(file) ? file : join(context.root, file);
      if (!existsSync(path)) continue;
      const entry = dotenvRecord(parseDotenv(readFileSync(path, 'utf8'))).get(reference.path);
      if (entry) return Promise.resolve(entry.value);
    }
    throw new SecretError(
      SecretCodes.SECRET_NOT_FOUND,
      `${reference.text}: ${reference.path} is not in ${files.join(' or ')}`,
      {
        hint: `add ${reference.path}=… to ${files[files.length - 1]} (copy .env.example if you have none)`,
      },
    );
  },
};
