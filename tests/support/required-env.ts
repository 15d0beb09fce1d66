/**
 * Integration and system tests need the real services; without them they fail loudly instead of
 * passing vacuously. `npm test` starts them through deploy/local/up.sh.
 */
export function requiredEnv(name: 'DATABASE_URL' | 'KAFKA_BROKERS'): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: start the services with deploy/local/up.sh (npm test does it for you)`);
  }
  return value;
}
