/**
 * Run from examples/shop:  npx tsx src/main.ts
 * In dev, values come from .env (copy .env.example) or the shell. Staging and production read the database
 * login from Vault (VAULT_ADDR and a login: VAULT_TOKEN, or the pod's service account as deploy/ sets up) and
 * the payment key from its mounted Secret (ref+k8s://shop-payments/api-key; STAGECRAFT_K8S_SECRETS_ROOT says
 * where), with ENVIRONMENT and DB_HOST set. `stagecraft run --env production -- npx tsx src/main.ts` resolves
 * them first and hands the app plain variables.
 */
import { ConfigError } from '@stagecraft/config';
import shopConfig from './config.ts';

try {
  // loadWithSecrets, not load: staging and production hold secret references, which only it resolves.
  const config = await shopConfig.loadWithSecrets();
  // Secrets print as [redacted]; the value is read where it is used, with reveal().
  console.log(
    `${config.serviceName} (${config.environment}) → ${config.db.user}@${config.db.host}:${config.db.port}/${config.db.name}`,
  );
  console.log(
    `log level ${config.logLevel}, HTTP timeout ${config.httpTimeout} ms, password ${config.db.password}`,
  );
  console.log('browser-safe values:', shopConfig.client(config));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 2;
}
