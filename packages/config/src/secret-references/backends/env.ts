/** `ref+env://NAME`: a variable of the process environment, as CI/CD systems provide secret variables. */
import { checkParams, type SecretBackend, SecretError } from '../backend.ts';
import { SecretCodes } from '../errors.ts';

export const backend: SecretBackend = {
  fixed: true,
  read(reference, context) {
    checkParams(reference, []);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(reference.path)) {
      throw new SecretError(
        SecretCodes.SECRET_REFERENCE_INVALID,
        `${reference.text}: "${reference.path}" is not a variable name`,
        {
          hint: 'ref+env:// takes a variable name: letters, digits and _, e.g. ref+env://DB_PASSWORD',
        },
      );
    }
    const value = context.env[reference.path];
    if (value === undefined) {
      throw new SecretError(SecretCodes.SECRET_NOT_FOUND, `${reference.text}: ${reference.path} is not set`, {
        hint: `set ${reference.path} where this runs (in CI, as a secret variable of the pipeline or environment)`,
      });
    }
    return Promise.resolve(value);
  },
};
