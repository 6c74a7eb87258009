/**
 * Run from examples/shop:  npx tsx src/main.ts
 * In dev, values come from .env (copy .env.example); elsewhere set ENVIRONMENT and the variables the
 * environment's config file references, e.g. ENVIRONMENT=staging DB_HOST=… DB_PASSWORD=… API_KEY=… .
 */
import { ConfigError } from '@stagecraft/config';
import shopConfig from './config.ts';

try {
  const config = shopConfig.load();
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
