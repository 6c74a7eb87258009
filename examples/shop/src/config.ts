/**
 * The shop's configuration: one definition for every environment. Values come from config/base.yaml,
 * config/{environment}.yaml, .env (dev only, as stagecraft.yaml says) and the environment, in that order.
 *
 * The module exports the loader, not a loaded config, so `stagecraft config check` can import it without
 * the variables being set; src/main.ts calls load().
 */
import { defineConfig, field } from '@stagecraft/config';

export default defineConfig(
  {
    serviceName: field.string().describe('Name reported in logs and traces'),
    baseUrl: field.url().describe('Public URL of the shop API'),
    db: {
      host: field.string().env('DB_HOST').describe('PostgreSQL host'),
      port: field.port().env('DB_PORT').default(5432),
      name: field.string().env('DB_NAME'),
      user: field.string().env('DB_USER').default('shop'),
      password: field.secret().env('DB_PASSWORD').describe('PostgreSQL password'),
    },
    apiKey: field.secret().describe('Payment provider API key'),
    logLevel: field.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO'),
    httpTimeout: field.duration().default('10s').describe('Timeout of outgoing HTTP calls'),
    catalogCacheTtl: field.duration().default('5m'),
    maxUploadSize: field.bytes().default('8MB'),
    featureFlags: field.list().default('').describe('Comma-separated feature flags'),
    publicAnalyticsId: field.string().optional().describe('Analytics site id, safe to ship to browsers'),
  },
  { strict: true, clientPrefix: 'PUBLIC_' },
);
