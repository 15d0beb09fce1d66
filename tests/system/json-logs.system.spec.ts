/**
 * Every log line of every process is JSON from pino (issue #26 item 3), Nest's own lines included,
 * on the embedded default and on the three processes: started at LOG_LEVEL=debug (so that Nest's
 * start-up lines are written too), served a SCIM request and a refused one, then stopped. The only
 * text that is not JSON is the all-in-one's start-up banner for the person who ran `npm start`.
 */
import { type Deployment, type DeploymentKind, scimClient, startDeployment, USER_SCHEMA_URI } from '../support/deployments';

const kinds: DeploymentKind[] = ['embedded', 'postgres'];

/** The all-in-one's banner (apps/all-in-one/src/main.ts printBanner): from its first line to "Stop with Ctrl-C." */
function withoutBanner(lines: string[]): string[] {
  const start = lines.findIndex((line) => line.startsWith('AxisSynapse SCIM provisioning is running'));
  if (start < 0) return lines;
  const end = lines.findIndex((line, index) => index > start && line.trim() === 'Stop with Ctrl-C.');
  return [...lines.slice(0, start), ...lines.slice(end + 1)];
}

describe.each(kinds)('log lines on %s', (kind) => {
  let deployment: Deployment;

  afterAll(async () => deployment?.stop());

  it('are all JSON with a level, a time and the service, Nest included', async () => {
    deployment = await startDeployment(kind, { LOG_LEVEL: 'debug' });
    const scim = scimClient(deployment);
    expect((await scim.post('/Users', { schemas: [USER_SCHEMA_URI], userName: 'logs@example.com' })).status).toBe(201);
    expect((await scim.post('/Users', { schemas: [USER_SCHEMA_URI] })).status).toBe(400);
    await deployment.stop();
    const output = deployment.output();
    const lines = withoutBanner(output.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('--- ')));
    const notJson = lines.filter((line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        return typeof parsed['level'] !== 'number' || typeof parsed['time'] !== 'string' || typeof parsed['service'] !== 'string';
      } catch {
        return true;
      }
    });
    expect(notJson.slice(0, 10)).toEqual([]);
    // Nest's own start-up lines are among them, as pino's debug lines.
    expect(lines.some((line) => line.includes('"nest":"InstanceLoader"') || line.includes('"nest":"RoutesResolver"'))).toBe(true);
  });
});
