import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planEnvironment, planText, type EnvironmentPlan } from '../../../scripts/plan/pipeline';
import { planSlots } from '../../../scripts/plan/slots';
import { wavePlanner } from '../../../scripts/plan/wave-run';
import { sharedAppSynth } from '../../app-synth';
import { synthesizeProducerConsumer } from './fixtures';

const temporaryDirs: string[] = [];

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

function resourceCount(synthDir: string, stack: string): number {
  const config = JSON.parse(readFileSync(path.join(synthDir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
  return Object.values(config.resource as Record<string, object>).reduce(
    (sum, resources) => sum + Object.keys(resources).length,
    0,
  );
}

const ESTATE_NAME_WIDTH = 'prod-observability'.length;

// Real Terraform, offline: the plans of both apps start together and run side by side.
describe('planEnvironment offline', () => {
  jest.setTimeout(600_000);

  let synthDir: string;
  let estate: Promise<EnvironmentPlan>;
  let pairDir: string;
  let pair: Promise<EnvironmentPlan>;
  let broken: Promise<EnvironmentPlan>;
  const estateLog: string[] = [];
  const pairLog: string[] = [];
  const brokenLog: string[] = [];
  beforeAll(() => {
    // As `--env all` does: the three runs share two places.
    const slot = planSlots(2);
    // As `--env all` does: the estate's and the pair's stacks ready together plan as one Terraform run.
    const waves = wavePlanner(slot, planText);
    // The shared synth of the app: offline plans work on copies, so it stays as it is.
    const synth = sharedAppSynth();
    if (synth.status !== 0) throw new Error(synth.stderr);
    synthDir = synth.outdir;
    estate = planEnvironment({
      synthDir,
      environment: 'dev',
      stacks: ['state', 'network'],
      planDir: temporaryDir('plan-out-'),
      offline: true,
      slot,
      waves,
      // As `--env all` passes the longest name of every environment.
      nameWidth: ESTATE_NAME_WIDTH,
      log: (line) => estateLog.push(line),
    });
    // With a sibling that reads nothing, so the producer plans in a wave of two.
    const pairSynth = synthesizeProducerConsumer({ sibling: true });
    temporaryDirs.push(pairSynth);
    pairDir = temporaryDir('plan-pair-out-');
    pair = planEnvironment({
      synthDir: pairSynth,
      environment: 'dev',
      planDir: pairDir,
      offline: true,
      slot,
      waves,
      log: (line) => pairLog.push(line),
    });
    // The same with a producer Terraform rejects.
    const brokenSynth = synthesizeProducerConsumer({ sibling: true });
    temporaryDirs.push(brokenSynth);
    const producerFile = path.join(brokenSynth, 'stacks', 'dev-producer', 'cdk.tf.json');
    const producer = JSON.parse(readFileSync(producerFile, 'utf8'));
    // Refused as Terraform reads the configuration, before any provider starts: the failures cost nothing.
    producer.resource.aws_vpc.vpc.count = 1;
    producer.resource.aws_vpc.vpc.for_each = { a: 'b' };
    writeFileSync(producerFile, JSON.stringify(producer));
    broken = planEnvironment({
      synthDir: brokenSynth,
      environment: 'dev',
      planDir: temporaryDir('plan-broken-out-'),
      offline: true,
      slot,
      log: (line) => brokenLog.push(line),
    });
  });

  test('the state and network stacks plan in one run with the other app’s first wave, each adding every resource it synthesizes', async () => {
    const result = await estate;
    expect(result.ok).toBe(true);
    expect(estateLog.filter((line) => line.includes(' ok '))).toEqual([
      expect.stringMatching(
        /^dev-(state|network) +ok +\d+ to add, 0 to change, 0 to destroy \([\d.]+s, one Terraform run for 4 stacks\)$/,
      ),
      expect.stringMatching(
        /^dev-(state|network) +ok +\d+ to add, 0 to change, 0 to destroy \([\d.]+s, one Terraform run for 4 stacks\)$/,
      ),
    ]);
    for (const stack of ['dev-network', 'dev-state']) {
      const plan = result.plans.find((p) => p.stack === stack);
      expect(plan).toMatchObject({
        status: 'planned',
        counts: { add: resourceCount(synthDir, stack), change: 0, destroy: 0, replaced: [], destroyed: [] },
      });
    }
  });

  test('stacks planned side by side print their lines as one block each', async () => {
    await estate;
    // The first line announces the plan; then each stack's lines, uninterrupted.
    const stackOf = (line: string) => line.split(' ')[0];
    const blocks = estateLog
      .slice(1)
      .map(stackOf)
      .filter((stack, i, all) => i === 0 || all[i - 1] !== stack);
    expect(blocks.sort()).toEqual(['dev-network', 'dev-state']);
  });

  test('stack names are padded to the width given, so the lines of several environments line up', async () => {
    await estate;
    for (const line of estateLog.slice(1)) {
      const stack = line.split(' ')[0];
      expect(line.slice(0, ESTATE_NAME_WIDTH + 2)).toBe(`${stack.padEnd(ESTATE_NAME_WIDTH)}  `);
      expect(line[ESTATE_NAME_WIDTH + 2]).not.toBe(' ');
    }
  });

  test('the counts agree with the Plan line (a wave adds its stacks up to Terraform’s own)', async () => {
    const result = await estate;
    for (const plan of result.plans) {
      if (plan.status !== 'planned') throw new Error(`${plan.stack} did not plan`);
      expect(plan.text).toContain(`Plan: ${plan.counts.add} to add, 0 to change, 0 to destroy.`);
      expect(readFileSync(path.join(result.outputDir, `${plan.stack}.counts.txt`), 'utf8')).toBe(
        `${plan.stack}: ${plan.counts.add} to add, 0 to change, 0 to destroy\n`,
      );
    }
  });

  test('the plan text, plan JSON, counts, order and summary are written; the synth output is untouched', async () => {
    const result = await estate;
    expect(readdirSync(result.outputDir).sort()).toEqual([
      'dev-network.changes.json',
      'dev-network.counts.txt',
      'dev-network.plan.json',
      'dev-network.plan.txt',
      'dev-state.changes.json',
      'dev-state.counts.txt',
      'dev-state.plan.json',
      'dev-state.plan.txt',
      'order.txt',
      'summary.md',
    ]);
    expect(readFileSync(path.join(result.outputDir, 'summary.md'), 'utf8')).toContain(
      'All 2 stacks planned; nothing is destroyed or replaced.',
    );
    // The deploy order: the state stack creates the bucket the network stack's backend needs.
    expect(readFileSync(path.join(result.outputDir, 'order.txt'), 'utf8')).toBe('dev-state\ndev-network\n');
    expect(readdirSync(path.join(synthDir, 'stacks', 'dev-network'))).toEqual(['cdk.tf.json']);
  });

  test('a consumer plans after its producer, reading typed placeholders of the producer’s outputs', async () => {
    const result = await pair;
    expect(result.ok).toBe(true);
    expect(result.waves).toEqual([['dev-producer', 'dev-sibling'], ['dev-consumer']]);
    // The producer's stand-in comes from its part of a wave's plan; the consumer, alone in its wave, plans alone.
    expect(pairLog.find((line) => line.startsWith('dev-producer '))).toMatch(
      /one Terraform run for 4 stacks\)$/,
    );
    expect(pairLog.find((line) => line.startsWith('dev-consumer '))).toMatch(
      /^dev-consumer +init, plan\.\.\.$/,
    );
    const plan = JSON.parse(readFileSync(path.join(result.outputDir, 'dev-consumer.plan.json'), 'utf8'));
    const subnet = plan.resource_changes.find((r: { address: string }) => r.address === 'aws_subnet.subnet');
    expect(subnet.change.after).toMatchObject({
      vpc_id: expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
      tags: { bucket: expect.stringMatching(/^arn:aws:s3:::placeholder-/) },
    });
    expect(readFileSync(path.join(result.outputDir, 'dev-consumer.counts.txt'), 'utf8')).toBe(
      'dev-consumer: 1 to add, 0 to change, 0 to destroy\n',
    );
  });

  test('a stack that fails to plan fails the run, its wave plans stack by stack, and its readers are skipped', async () => {
    const result = await broken;
    expect(result.ok).toBe(false);
    expect(result.plans).toEqual([
      expect.objectContaining({
        stack: 'dev-producer',
        status: 'failed',
        reason: expect.stringContaining('Error: Invalid combination of "count" and "for_each"'),
      }),
      expect.objectContaining({ stack: 'dev-sibling', status: 'planned' }),
      expect.objectContaining({
        stack: 'dev-consumer',
        status: 'skipped',
        reason: 'not planned: it reads the outputs of dev-producer, which did not plan',
      }),
    ]);
    // The wave's failure is said once per stack; then each stack's own plan says whose fault it was.
    const why = 'the wave\'s terraform init failed: Error: Invalid combination of "count" and "for_each"';
    expect(brokenLog.filter((line) => line.includes('did not plan as one'))).toEqual([
      `dev-producer  its wave (dev-producer, dev-sibling) did not plan as one (${why}); planning it alone`,
      `dev-sibling   its wave (dev-producer, dev-sibling) did not plan as one (${why}); planning it alone`,
    ]);
    const summary = readFileSync(path.join(result.outputDir, 'summary.md'), 'utf8');
    expect(summary).toContain(':x: **2 of 3 stacks did not plan:** `dev-producer`, `dev-consumer`');
    expect(readFileSync(path.join(result.outputDir, 'dev-producer.error.txt'), 'utf8')).toContain(
      'terraform plan failed:',
    );
  });

  test('a stack planned in a wave gets the same plan text and counts as planned alone', async () => {
    // The sibling plans in the producer's wave in `pair`, and alone in `broken` (its wave failed).
    const [inWave, alone] = await Promise.all([pair, broken]);
    const sibling = (result: EnvironmentPlan) => result.plans.find((plan) => plan.stack === 'dev-sibling');
    expect(sibling(inWave)).toMatchObject({ status: 'planned' });
    // Only the time taken may differ.
    const waveSibling = { ...sibling(inWave), seconds: 0 };
    const aloneSibling = { ...sibling(alone), seconds: 0 };
    expect(waveSibling).toEqual(aloneSibling);
  });
});

describe('planText', () => {
  test('keeps the plan, drops reads and the advice to apply the saved plan', () => {
    const stdout = [
      'data.aws_iam_policy_document.p: Reading...',
      'data.aws_iam_policy_document.p: Read complete after 0s [id=1]',
      '',
      'Terraform will perform the following actions:',
      '',
      'Plan: 1 to add, 0 to change, 0 to destroy.',
      '',
      '─────────────',
      '',
      'Saved the plan to: /tmp/x.tfplan',
      '',
      'To perform exactly these actions, run the following command to apply:',
      '    terraform apply "/tmp/x.tfplan"',
    ].join('\n');
    expect(planText(stdout)).toBe(
      'Terraform will perform the following actions:\n\nPlan: 1 to add, 0 to change, 0 to destroy.\n',
    );
  });
});
