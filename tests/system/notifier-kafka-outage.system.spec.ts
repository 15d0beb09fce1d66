/**
 * Fault test: the Kafka broker goes away for 30 s while users are provisioned through the gateway
 * (three processes on PostgreSQL), then comes back. Every event arrives, none lost, the notifier
 * never crashes and logs one line when the outage starts and one when it is over.
 *
 * The broker is this test's own (own ports, own state under the OS temp dir, same jars as
 * deploy/local), so stopping it cannot disturb suites running in parallel on the shared broker.
 */
import { loadAsyncApiValidator } from '../support/asyncapi';
import { deliveryProblems, KafkaCollector, provisionUser, startDeployment, storedOutboundEvents, type Deployment } from '../support/notifier-deployment';
import { createPrivateKafkaBroker, type PrivateKafkaBroker } from '../support/private-kafka-broker';
import { waitFor } from '../support/processes';
import { requiredEnv } from '../support/required-env';

jest.setTimeout(300_000);

const OUTAGE_MS = 30_000;

describe('notifier during a Kafka broker outage', () => {
  const databaseUrl = requiredEnv('DATABASE_URL');
  let broker: PrivateKafkaBroker;
  let deployment: Deployment;
  let collector: KafkaCollector | null = null;

  beforeAll(async () => {
    broker = await createPrivateKafkaBroker();
    await broker.start();
    deployment = await startDeployment({ databaseUrl, brokers: broker.brokers, appEnv: { notifier: { LOG_LEVEL: 'info' } } });
  });

  afterAll(async () => {
    await collector?.stop();
    await deployment?.close();
    // Own broker: removed, whatever happened (the shared one was never touched).
    await broker?.destroy();
  });

  it('delivers every event after the broker is back, without crashing, with one log line per outage and one on recovery', async () => {
    try {
      // Warm up: the producer is connected and the kafka checkpoint exists before the outage.
      await provisionUser(deployment, 'warmup');
      await waitFor('the kafka reactor to publish', async () => {
        const rows = await deployment.db.query(`SELECT 1 FROM ${deployment.readModelSchema}.projection_checkpoints WHERE subscriber_id = 'kafka'`);
        return rows.rows.length > 0;
      }, 60_000, 200);

      let provisioning = true;
      let provisioned = 0;
      const provisioner = (async () => {
        while (provisioning) {
          await Promise.all(Array.from({ length: 4 }, () => provisionUser(deployment, `outage${provisioned++}`)));
          await new Promise((done) => setTimeout(done, 100));
        }
      })();

      await new Promise((done) => setTimeout(done, 2000));
      await broker.stop();
      const stoppedAt = Date.now();
      await new Promise((done) => setTimeout(done, OUTAGE_MS));
      await broker.start();
      process.stdout.write(`broker down for ${Date.now() - stoppedAt} ms\n`);
      await new Promise((done) => setTimeout(done, 3000));
      provisioning = false;
      await provisioner;

      collector = new KafkaCollector(broker.brokers, deployment.topic);
      await collector.start();
      await waitFor('every stored event on Kafka', async () => {
        const stored = await storedOutboundEvents(deployment);
        return stored.every((event) => collector!.has(event.eventId));
      }, 120_000, 250);
      const stored = await storedOutboundEvents(deployment);
      expect(stored.length).toBeGreaterThan(40);
      expect(deliveryProblems(stored, collector)).toEqual([]);
      const validator = loadAsyncApiValidator();
      expect(collector.messages.flatMap((message) => validator.check(message))).toEqual([]);

      // Never crashed: the first and only notifier process is still running.
      const notifier = deployment.apps.get('notifier')!;
      expect(notifier.process.exitCode).toBeNull();
      expect(notifier.process.signalCode).toBeNull();

      // One line when the outage started, one when it ended; nothing from the other reactors.
      const lines = notifier
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level?: number; msg: string; consumer?: string });
      const failures = lines.filter((line) => (line.level ?? 0) >= 40);
      const recoveries = lines.filter((line) => line.consumer === 'kafka' && /recovered/.test(line.msg));
      expect(failures.map((line) => line.msg)).toEqual(['consumer kafka failed; retrying from its last checkpoint until it recovers']);
      expect(recoveries).toHaveLength(1);
      process.stdout.write(`${provisioned} users during the test; ${recoveries[0]!.msg}\n`);
    } catch (error) {
      process.stderr.write(deployment.output());
      throw error;
    }
  });
});
