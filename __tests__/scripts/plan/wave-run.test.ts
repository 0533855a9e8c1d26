import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dependencyGraph, loadStacks, type StackNode } from '../../../scripts/plan/graph';
import { OFFLINE_PROVIDER_ARGUMENTS, OVERRIDE_FILE } from '../../../scripts/plan/offline';
import { planSlots } from '../../../scripts/plan/slots';
import {
  canJoinWave,
  planWave,
  wavePlanner,
  writeWaveRoot,
  type WaveOutcome,
  type WaveRequest,
} from '../../../scripts/plan/wave-run';
import { synthesizeProducerConsumer } from './fixtures';

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

let producer: StackNode;
let consumer: StackNode;
beforeAll(() => {
  const synthDir = synthesizeProducerConsumer();
  temporaryDirs.push(synthDir);
  const nodes = dependencyGraph(loadStacks(synthDir));
  producer = nodes.find((node) => node.name === 'dev-producer') as StackNode;
  consumer = nodes.find((node) => node.name === 'dev-consumer') as StackNode;
});

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('writeWaveRoot', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'wave-root-test-'));
    temporaryDirs.push(root);
  });

  test('each stack is a child module with its own provider configurations, offline, and its outputs', () => {
    const members = writeWaveRoot(root, [
      { node: producer, standIns: {} },
      { node: consumer, standIns: { 'dev-producer': '/stand-in/dev-producer.tfstate' } },
    ]);
    const { provider } = readJson(path.join(producer.workingDirectory, 'cdk.tf.json')) as {
      provider: { aws: Record<string, unknown>[] };
    };
    const [main, billing] = provider.aws;
    const billingArguments = Object.fromEntries(Object.entries(billing).filter(([key]) => key !== 'alias'));
    const root_ = readJson(path.join(root, 'main.tf.json')) as {
      terraform: object;
      provider: { aws: object[] };
      module: object;
      output: Record<string, object>;
    };
    expect(root_.terraform).toEqual({
      required_providers: { aws: { source: 'registry.terraform.io/hashicorp/aws' } },
      backend: { local: { path: 'terraform.tfstate' } },
    });
    // The consumer's provider blocks are the producer's (the fixture gives both stacks the same).
    expect(root_.provider.aws).toEqual([
      { ...main, ...OFFLINE_PROVIDER_ARGUMENTS, alias: 'dev-producer' },
      { ...billingArguments, ...OFFLINE_PROVIDER_ARGUMENTS, alias: 'dev-producer--billing' },
      { ...main, ...OFFLINE_PROVIDER_ARGUMENTS, alias: 'dev-consumer' },
      { ...billingArguments, ...OFFLINE_PROVIDER_ARGUMENTS, alias: 'dev-consumer--billing' },
    ]);
    expect(root_.module).toEqual({
      'dev-producer': {
        source: './stacks/dev-producer',
        providers: { aws: 'aws.dev-producer', 'aws.billing': 'aws.dev-producer--billing' },
      },
      'dev-consumer': {
        source: './stacks/dev-consumer',
        providers: { aws: 'aws.dev-consumer', 'aws.billing': 'aws.dev-consumer--billing' },
      },
    });
    const producerOutputs = Object.keys(
      readJson(path.join(producer.workingDirectory, 'cdk.tf.json')).output as object,
    );
    expect(Object.keys(root_.output).sort()).toEqual(
      producerOutputs.map((name) => `dev-producer--${name}`).sort(),
    );
    const [first] = producerOutputs;
    expect(root_.output[`dev-producer--${first}`]).toEqual({
      value: `\${module.dev-producer.${first}}`,
      sensitive: true,
    });
    expect(members).toEqual([
      {
        module: 'dev-producer',
        providerKeys: { 'aws.dev-producer': 'aws', 'aws.dev-producer--billing': 'aws.billing' },
        providerVersions: { aws: expect.any(String) },
      },
      {
        module: 'dev-consumer',
        providerKeys: { 'aws.dev-consumer': 'aws', 'aws.dev-consumer--billing': 'aws.billing' },
        providerVersions: { aws: expect.any(String) },
      },
    ]);
  });

  test("a stack's copy has no providers or backend; only its remote-state reads are overridden", () => {
    writeWaveRoot(root, [
      { node: producer, standIns: {} },
      { node: consumer, standIns: { 'dev-producer': '/stand-in/dev-producer.tfstate' } },
    ]);
    const copy = readJson(path.join(root, 'stacks', 'dev-consumer', 'cdk.tf.json')) as {
      provider?: object;
      terraform: { backend?: object };
    };
    expect(copy.provider).toBeUndefined();
    expect(copy.terraform.backend).toBeUndefined();
    const reads = Object.keys(consumer.config.data?.terraform_remote_state ?? {});
    expect(reads.length).toBeGreaterThan(0);
    expect(readJson(path.join(root, 'stacks', 'dev-consumer', OVERRIDE_FILE))).toEqual({
      data: {
        terraform_remote_state: Object.fromEntries(
          reads.map((name) => [
            name,
            { backend: 'local', config: { path: '/stand-in/dev-producer.tfstate' } },
          ]),
        ),
      },
    });
    expect(existsSync(path.join(root, 'stacks', 'dev-producer', OVERRIDE_FILE))).toBe(false);
  });

  test('a read without a stand-in is an error naming the stack, as for a stack planned alone', () => {
    expect(() => writeWaveRoot(root, [{ node: consumer, standIns: {} }])).toThrow(
      /^dev-consumer: data\.terraform_remote_state\..* reads a s3 state that no planned stack writes/,
    );
  });

  test('two stacks of the same name (two synths) get two module names', () => {
    const members = writeWaveRoot(root, [
      { node: producer, standIns: {} },
      { node: producer, standIns: {} },
    ]);
    expect(members.map((member) => member.module)).toEqual(['dev-producer', 'dev-producer_2']);
  });
});

describe('canJoinWave', () => {
  test('a stack that declares its providers joins; one that calls a module plans alone', () => {
    expect(canJoinWave(producer)).toBe(true);
    // `--` separates the module's name from its outputs' in the root: `dev` and `dev--x` would be ambiguous.
    expect(canJoinWave({ ...producer, name: 'dev--producer' })).toBe(false);
    expect(canJoinWave({ ...producer, name: 'dev-producer-' })).toBe(true);
    expect(
      canJoinWave({ ...producer, config: { ...producer.config, module: { m: { source: './m' } } } }),
    ).toBe(false);
  });
});

describe('wavePlanner', () => {
  const planned = (request: WaveRequest): WaveOutcome => ({
    status: 'alone',
    reason: `ran ${request.node.name}`,
    plannedWith: [],
  });

  test('the requests made in one turn form one wave; later ones the next', async () => {
    const waves: string[][] = [];
    const run = async (requests: readonly WaveRequest[]) => {
      waves.push(requests.map((request) => request.node.name));
      return requests.map(planned);
    };
    const planner = wavePlanner(planSlots(2), (text) => text, run);
    const first = await Promise.all([
      planner({ node: producer, standIns: {} }),
      planner({ node: consumer, standIns: {} }),
    ]);
    expect(first).toEqual([
      planned({ node: producer, standIns: {} }),
      planned({ node: consumer, standIns: {} }),
    ]);
    await planner({ node: producer, standIns: {} });
    expect(waves).toEqual([['dev-producer', 'dev-consumer'], ['dev-producer']]);
  });

  test('a request made while the planner waits for a place joins the wave', async () => {
    const waves: string[][] = [];
    const run = async (requests: readonly WaveRequest[]) => {
      waves.push(requests.map((request) => request.node.name));
      return requests.map(planned);
    };
    const slot = planSlots(1);
    let release = () => undefined as void;
    const busy = slot(() => new Promise<void>((resolve) => (release = resolve)));
    const planner = wavePlanner(slot, (text) => text, run);
    const first = planner({ node: producer, standIns: {} });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = planner({ node: consumer, standIns: {} });
    release();
    await Promise.all([busy, first, second]);
    expect(waves).toEqual([['dev-producer', 'dev-consumer']]);
  });

  test('a wave that throws sends each of its stacks to plan alone, with the reason', async () => {
    const planner = wavePlanner(
      planSlots(1),
      (text) => text,
      async () => {
        throw new Error('split failed');
      },
    );
    await expect(planner({ node: producer, standIns: {} })).resolves.toEqual({
      status: 'alone',
      reason: 'split failed',
      plannedWith: ['dev-producer'],
    });
  });

  test('a wave of one stack is planned alone without starting Terraform', async () => {
    await expect(planWave([{ node: producer, standIns: {} }], (text) => text)).resolves.toEqual([
      { status: 'alone', reason: 'the only stack of its wave', plannedWith: ['dev-producer'] },
    ]);
  });
});
