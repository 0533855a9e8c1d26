import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planEnvironment, planText, type EnvironmentPlan } from '../../../scripts/plan/pipeline';
import { synthesizeProducerConsumer } from './fixtures';

const root = path.resolve(__dirname, '../../..');
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

// Real Terraform, offline: the plans of both apps start together and run side by side.
describe('planEnvironment offline', () => {
  jest.setTimeout(600_000);

  let synthDir: string;
  let estate: Promise<EnvironmentPlan>;
  let pairDir: string;
  let pair: Promise<EnvironmentPlan>;
  let broken: Promise<EnvironmentPlan>;
  const quiet = () => undefined;
  beforeAll(() => {
    synthDir = path.join(temporaryDir('plan-synth-'), 'cdktf.out');
    const synth = spawnSync(
      process.execPath,
      ['-r', path.join(root, 'scripts', 'register.js'), 'scripts/synth.ts', '--outdir', synthDir],
      { cwd: root, encoding: 'utf8' },
    );
    if (synth.status !== 0) throw new Error(synth.stderr);
    estate = planEnvironment({
      synthDir,
      environment: 'dev',
      stacks: ['state', 'network'],
      planDir: temporaryDir('plan-out-'),
      offline: true,
      log: quiet,
    });
    const pairSynth = synthesizeProducerConsumer();
    temporaryDirs.push(pairSynth);
    pairDir = temporaryDir('plan-pair-out-');
    pair = planEnvironment({
      synthDir: pairSynth,
      environment: 'dev',
      planDir: pairDir,
      offline: true,
      log: quiet,
    });
    // The same pair with a producer Terraform rejects.
    const brokenSynth = synthesizeProducerConsumer();
    temporaryDirs.push(brokenSynth);
    const producerFile = path.join(brokenSynth, 'stacks', 'dev-producer', 'cdk.tf.json');
    const producer = JSON.parse(readFileSync(producerFile, 'utf8'));
    producer.resource.aws_vpc.vpc.bogus_attribute = 1;
    writeFileSync(producerFile, JSON.stringify(producer));
    broken = planEnvironment({
      synthDir: brokenSynth,
      environment: 'dev',
      planDir: temporaryDir('plan-broken-out-'),
      offline: true,
      log: quiet,
    });
  });

  test('the state and network stacks plan, each adding every resource it synthesizes', async () => {
    const result = await estate;
    expect(result.ok).toBe(true);
    for (const stack of ['dev-network', 'dev-state']) {
      const plan = result.plans.find((p) => p.stack === stack);
      expect(plan).toMatchObject({
        status: 'planned',
        counts: { add: resourceCount(synthDir, stack), change: 0, destroy: 0, replaced: [], destroyed: [] },
      });
    }
  });

  test('the counts agree with Terraform’s own Plan line', async () => {
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
      'dev-network.counts.txt',
      'dev-network.plan.json',
      'dev-network.plan.txt',
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
    expect(result.waves).toEqual([['dev-producer'], ['dev-consumer']]);
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

  test('a stack that fails to plan fails the run, and the stacks reading it are skipped', async () => {
    const result = await broken;
    expect(result.ok).toBe(false);
    expect(result.plans).toEqual([
      expect.objectContaining({
        stack: 'dev-producer',
        status: 'failed',
        reason: expect.stringContaining('No argument or block type is named "bogus_attribute".'),
      }),
      expect.objectContaining({
        stack: 'dev-consumer',
        status: 'skipped',
        reason: 'not planned: it reads the outputs of dev-producer, which did not plan',
      }),
    ]);
    const summary = readFileSync(path.join(result.outputDir, 'summary.md'), 'utf8');
    expect(summary).toContain(':x: **2 of 2 stacks did not plan:** `dev-producer`, `dev-consumer`');
    expect(readFileSync(path.join(result.outputDir, 'dev-producer.error.txt'), 'utf8')).toContain(
      'terraform plan failed:',
    );
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
