/**
 * Run from examples/shop:  npx tsx src/main.ts
 * In dev, values come from .env (copy .env.example) or the shell; elsewhere set ENVIRONMENT and the variables
 * the environment's config file reads, e.g. ENVIRONMENT=staging DB_HOST=… DB_PASSWORD=… , with the payment
 * key's Secret mounted (ref+k8s://shop-payments/api-key; STAGECRAFT_K8S_SECRETS_ROOT says where).
 */
import { ConfigError } from '@stagecraft/config';
import shopConfig from './config.ts';

try {
  // loadWithSecrets, not load: staging and production hold secret references, which only it resolves.
  const config = await shopConfig.loadWithSecrets();
  // Secrets print as [redacted]; the value is read where it is used, with reveal().
  console.log(
    `${config.serviceName} (${config.environment}) → ${config.db.host}:${config.db.port}/${config.db.name}`,
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
