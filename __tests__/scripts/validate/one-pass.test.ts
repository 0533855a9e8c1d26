import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listSynthesizedStacks, type SynthesizedStack } from '../../../scripts/terraform';
import {
  mapDiagnostics,
  validateStacks,
  type OnePassResult,
  type StackDiagnostic,
  type ValidateJson,
} from '../../../scripts/validate/one-pass';
import { synthesizeProducerConsumer } from '../plan/fixtures';

const temporaryDirs: string[] = [];

function temporaryDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'one-pass-test-'));
  temporaryDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

const stackAt = (name: string, workingDirectory: string): SynthesizedStack => ({
  name,
  workingDirectory,
  dependencies: [],
});

describe('mapDiagnostics', () => {
  test('each diagnostic names its stack, resource and construct', () => {
    // GIVEN a stack directory whose resource carries cdktf's construct metadata
    const outdir = temporaryDir();
    const stackDir = path.join(outdir, 'stacks', 'dev-network');
    mkdirSync(stackDir, { recursive: true });
    writeFileSync(
      path.join(stackDir, 'cdk.tf.json'),
      JSON.stringify({
        resource: { aws_vpc: { main: { '//': { metadata: { path: 'dev-network/network/vpc' } } } } },
      }),
    );
    const rootDir = path.join(outdir, 'root');
    const file = path.relative(rootDir, path.join(stackDir, 'cdk.tf.json'));
    const result: ValidateJson = {
      valid: false,
      diagnostics: [
        {
          severity: 'error',
          summary: 'Extraneous JSON object property',
          detail: 'No argument or block type is named "bogus".',
          range: { filename: file, start: { line: 8 } },
          snippet: { context: 'resource.aws_vpc.main' },
        },
        {
          severity: 'warning',
          summary: 'Deprecated Parameter',
          detail: 'The parameter "x" is deprecated.',
          range: { filename: file, start: { line: 20 } },
          snippet: { context: 'data.terraform_remote_state.reads' },
        },
        { severity: 'error', summary: 'Provider failed', detail: 'no location' },
      ],
    };
    // WHEN
    const mapped = mapDiagnostics(result, [stackAt('dev-network', stackDir)], rootDir);
    // THEN
    expect(mapped).toEqual<StackDiagnostic[]>([
      {
        severity: 'error',
        stack: 'dev-network',
        address: 'aws_vpc.main',
        constructPath: 'dev-network/network/vpc',
        location: 'cdk.tf.json:8',
        summary: 'Extraneous JSON object property',
        detail: 'No argument or block type is named "bogus".',
      },
      {
        severity: 'warning',
        stack: 'dev-network',
        address: 'data.terraform_remote_state.reads',
        constructPath: undefined,
        location: 'cdk.tf.json:20',
        summary: 'Deprecated Parameter',
        detail: 'The parameter "x" is deprecated.',
      },
      {
        severity: 'error',
        stack: undefined,
        address: undefined,
        constructPath: undefined,
        location: undefined,
        summary: 'Provider failed',
        detail: 'no location',
      },
    ]);
  });
});

// Real Terraform, offline through the mirror: one init and one validate for both stacks of the fixture
// (each with its own S3 backend, an aliased provider, and a remote-state read).
describe('validateStacks', () => {
  jest.setTimeout(120_000);

  let result: Promise<OnePassResult>;
  /** The 1-based line of the first line of the consumer's file holding `text`. */
  let consumerLine: (text: string) => number;
  beforeAll(() => {
    const outdir = synthesizeProducerConsumer();
    temporaryDirs.push(outdir);
    const consumerFile = path.join(outdir, 'stacks', 'dev-consumer', 'cdk.tf.json');
    const consumer = JSON.parse(readFileSync(consumerFile, 'utf8'));
    consumer.resource.aws_subnet.subnet.bogus_attribute = 1;
    // The billing provider block: checked against the provider schema, not by Terraform.
    consumer.provider.aws[1].bogus_setting = true;
    const text = JSON.stringify(consumer, null, 2);
    writeFileSync(consumerFile, text);
    consumerLine = (needle) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
    result = validateStacks(listSynthesizedStacks(outdir));
  });

  test('a broken stack fails in one pass with errors naming the stack, the resource or provider block, and the line', async () => {
    const { ok, mode, diagnostics } = await result;
    expect({ ok, mode }).toEqual({ ok: false, mode: 'one-pass' });
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'error')).toEqual<StackDiagnostic[]>([
      {
        severity: 'error',
        stack: 'dev-consumer',
        address: 'aws_subnet.subnet',
        constructPath: 'dev-consumer/subnet',
        location: `cdk.tf.json:${consumerLine('"bogus_attribute"')}`,
        summary: 'Extraneous JSON object property',
        detail: 'No argument or block type is named "bogus_attribute".',
      },
      {
        severity: 'error',
        stack: 'dev-consumer',
        address: 'provider.aws.billing',
        constructPath: undefined,
        location: `cdk.tf.json:${consumerLine('"alias": "billing"') - 1}`,
        summary: 'Unsupported argument',
        detail: 'An argument named "bogus_setting" is not expected here.',
      },
    ]);
  });

  test('warnings name their stack and block too', async () => {
    // The fixture uses cdktf's own S3Backend, whose reads still carry dynamodb_table.
    const { diagnostics } = await result;
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 'warning')).toEqual<StackDiagnostic[]>([
      {
        severity: 'warning',
        stack: 'dev-consumer',
        address: 'data.terraform_remote_state.cross-stack-reference-input-dev-producer',
        constructPath: undefined,
        location: expect.stringMatching(/^cdk\.tf\.json:\d+$/),
        summary: 'Deprecated Parameter',
        detail: 'The parameter "dynamodb_table" is deprecated. Use parameter "use_lockfile" instead.',
      },
    ]);
  });
});

// Real Terraform, no provider loaded: a stack asks for a provider version nobody has.
describe('validateStacks when the one-pass init fails', () => {
  jest.setTimeout(120_000);

  test('each stack is validated on its own, and the failure names its stack', async () => {
    // GIVEN a synth output with a stack needing nothing and a stack needing an AWS provider that does not exist
    const outdir = temporaryDir();
    const stacks: Record<string, object> = {
      'dev-plain': { locals: { answer: 42 } },
      'dev-impossible': {
        terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '0.0.1' } } },
      },
    };
    const manifest: { stacks: Record<string, object> } = { stacks: {} };
    for (const [name, config] of Object.entries(stacks)) {
      mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
      writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(config));
      manifest.stacks[name] = { name, workingDirectory: `stacks/${name}`, dependencies: [] };
    }
    writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest));
    // WHEN
    const result = await validateStacks(listSynthesizedStacks(outdir));
    // THEN
    expect({
      ok: result.ok,
      mode: result.mode,
      fallbackReason: result.fallbackReason,
      perStack: result.perStack?.map(({ name, ok, output }) => ({ name, ok, output: output.split('\n')[0] })),
    }).toEqual({
      ok: false,
      mode: 'per-stack',
      fallbackReason: expect.stringContaining('0.0.1'),
      perStack: [
        { name: 'dev-plain', ok: true, output: 'Success! The configuration is valid.' },
        { name: 'dev-impossible', ok: false, output: 'terraform init failed:' },
      ],
    });
  });
});
