import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Backend, TerraformStack } from 'cdktf';
import { z } from 'zod';
import { environments } from '../../config/environments';
import { environmentSchema } from '../../config/schema';
import { settingRows, type SettingsInput } from '../../scripts/docs/config-tables';
import { cdktfUses } from '../../scripts/docs/cdktf-imports';
import { estateDiagram } from '../../scripts/docs/diagram';
import { generateDocs } from '../../scripts/docs/generate';
import { testApp } from '../helpers';
import { replaceGeneratedBlocks, table } from '../../scripts/docs/markdown';
import { readObjectDocs } from '../../scripts/docs/schema-docs';

const root = path.join(__dirname, '../..');

describe('the committed docs', () => {
  test('equal what npm run docs generates from the schema and the app', () => {
    const { files, problems } = generateDocs(root);
    expect(problems).toEqual([]);
    for (const { file, content } of files) {
      // On failure: run `npm run docs` and commit the result.
      expect({ file, content: readFileSync(path.join(root, file), 'utf8') }).toEqual({ file, content });
    }
  });

  test('every setting says what it does, but for those listed here before the check existed', () => {
    // Settings whose schema field has no doc comment yet: write one, run `npm run docs`, remove it here.
    // Nothing may be added to this list: a new setting comes with its comment.
    const undocumentedBefore = [
      'project',
      'region',
      'availabilityZones',
      'network.vpcCidr',
      'network.subnets.public',
      'network.subnets.private',
      'network.subnets.database',
      'data.fileSystem.webAccessPoint.gid',
      'data.fileSystem.appAccessPoint.gid',
      'containers.clusterName',
      'containers.minCapacity',
      'containers.maxCapacity',
      'web.minSize',
      'web.maxSize',
      'observability.thresholds.web.cpuPercent',
      'observability.thresholds.containers.cpuPercent',
      'observability.thresholds.containers.memoryPercent',
    ];
    const { rows } = settingRows({
      schema: environmentSchema,
      docs: readObjectDocs(path.join(root, 'config')),
      environments,
    });
    const undocumented = rows.filter((row) => row.description === '').map((row) => row.path);
    expect(undocumented.filter((setting) => !undocumentedBefore.includes(setting))).toEqual([]);
  });
});

describe('settings tables', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'docs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The rows of `schema`, documented by `source` (a config file's text), for environments `values`. */
  function rowsOf(schema: z.ZodTypeAny, source: string, values: SettingsInput['environments'] = []) {
    writeFileSync(path.join(dir, 'settings.ts'), source);
    return settingRows({ schema, docs: readObjectDocs(dir), environments: values });
  }

  const source = `
    const port = z.object({
      /** The port. @default 80 */
      number: z.number().int().min(1).max(65535).default(80),
      /**
       * The protocol, which
       * spans lines.
       * @default 'tcp' (the usual one)
       */
      protocol: z.enum(['tcp', 'udp']).default('tcp'),
      /** Contact, e.g. ops@example.com. */
      owner: z.string().optional(),
    });
    const settings = z.object({ port: port.default({}) });`;
  const schema = z
    .object({
      number: z.number().int().min(1).max(65535).default(80),
      protocol: z.enum(['tcp', 'udp']).default('tcp'),
      owner: z.string().optional(),
    })
    .strict();

  test('a row per setting: path, type with bounds, default with its remark, description', () => {
    const { rows, problems } = rowsOf(z.object({ port: schema.default({}) }), source);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        path: 'port.number',
        type: 'integer 1-65535',
        defaultValue: '`80`',
        environments: '',
        description: 'The port.',
      },
      {
        path: 'port.protocol',
        type: "`'tcp'`, `'udp'`",
        defaultValue: "`'tcp'` (the usual one)",
        environments: '',
        description: 'The protocol, which spans lines.',
      },
      {
        path: 'port.owner',
        type: 'string',
        defaultValue: 'none',
        environments: '',
        description: 'Contact, e.g. ops@example.com.',
      },
    ]);
  });

  test('a re-defaulted setting changes its row, and its stale @default comment is a problem', () => {
    const redefaulted = schema.extend({ number: z.number().int().min(1).max(65535).default(8080) });
    const { rows, problems } = rowsOf(z.object({ port: redefaulted.default({}) }), source);
    expect(rows[0].defaultValue).toBe('`8080`');
    expect(problems).toEqual(['port.number: the comment says @default 80, the schema defaults to 8080']);
  });

  test('a renamed setting changes its row (so the committed docs no longer match)', () => {
    const renamedSource = source.replace('number: z.number()', 'portNumber: z.number()');
    const renamed = schema.extend({ portNumber: schema.shape.number }).omit({ number: true });
    const before = rowsOf(z.object({ port: schema.default({}) }), source).rows;
    const after = rowsOf(z.object({ port: renamed.default({}) }), renamedSource);
    expect(after.problems).toEqual([]);
    expect(after.rows.map((row) => row.path)).toEqual(['port.protocol', 'port.owner', 'port.portNumber']);
    expect(after.rows.find((row) => row.path === 'port.portNumber')).toEqual({
      ...before[0],
      path: 'port.portNumber',
    });
  });

  test('an object no literal of the source describes is a problem', () => {
    const { problems } = rowsOf(z.object({ elsewhere: z.object({ x: z.string() }) }), source);
    expect(problems).toEqual([
      '(environment): no z.object({ ... }) or .extend({ ... }) in config/ has these fields',
      'elsewhere: no z.object({ ... }) or .extend({ ... }) in config/ has these fields',
    ]);
  });

  test('an object built with .extend takes the comments of its parts', () => {
    const extended = `const base = z.object({ /** The port. */ number: z.number() });
      const both = base.extend({ /** The host. */ host: z.string() });
      const root = z.object({ listener: both });`;
    const listener = z.object({ number: z.number() }).extend({ host: z.string() });
    const { rows, problems } = rowsOf(z.object({ listener }), extended);
    expect(problems).toEqual([]);
    expect(rows.map((row) => [row.path, row.description])).toEqual([
      ['listener.number', 'The port.'],
      ['listener.host', 'The host.'],
    ]);
  });

  test('each environment value that is not the default, in environment order', () => {
    const values = [
      { name: 'dev', port: { number: 8080, protocol: 'tcp' } },
      { name: 'prod', port: { number: 80, protocol: 'tcp' } },
    ];
    const { rows } = rowsOf(z.object({ port: schema.default({}) }), source, values);
    expect(rows.map((row) => row.environments)).toEqual(['`8080` / default', '', '']);
  });

  test('the default of a field without one is its value in its parent default', () => {
    const zones = `z.object({ plan: z.object({ /** CIDR per zone. */ subnets: z.record(z.string(), z.string()) }) });`;
    const plan = z
      .object({ subnets: z.record(z.string(), z.string()) })
      .default({ subnets: { a: '10.0.1.0/24' } });
    const { rows } = rowsOf(z.object({ plan }), zones);
    expect(rows).toEqual([
      {
        path: 'plan.subnets',
        type: 'map of string to string',
        defaultValue: "`{ a: '10.0.1.0/24' }`",
        environments: '',
        description: 'CIDR per zone.',
      },
    ]);
  });

  test('generated blocks are replaced, the text around them kept', () => {
    const markdown = 'intro\n\n<!-- generated: settings web -->\nold\n<!-- end generated -->\n\noutro\n';
    const result = replaceGeneratedBlocks(markdown, (name) => table(['a'], [[name], ['x|y']]));
    expect(result).toBe(
      'intro\n\n<!-- generated: settings web -->\n\n| a |\n| --- |\n| settings web |\n| x\\|y |\n\n<!-- end generated -->\n\noutro\n',
    );
  });
});

describe('estate diagram', () => {
  test('a node per stack with its main resources, an arrow per stack read with what is read, and who keeps the state', () => {
    const app = testApp();
    const stack = (id: string) => {
      const each = new TerraformStack(app, id);
      new AwsProvider(each, 'aws', { region: 'ap-northeast-1' });
      return each;
    };
    const state = stack('dev-state');
    new S3Bucket(state, 'bucket', { bucket: 'the-state-bucket' });
    const network = stack('dev-network');
    new S3Backend(network, { bucket: 'the-state-bucket', key: 'network' });
    const vpc = new Vpc(network, 'vpc', { cidrBlock: '10.0.0.0/16' });
    new SecurityGroup(network, 'unread', { vpcId: vpc.id });
    const data = stack('dev-data');
    new S3Backend(data, { bucket: 'the-state-bucket', key: 'data' });
    new SecurityGroup(data, 'db', { vpcId: vpc.id });
    new SecurityGroup(data, 'efs', { vpcId: vpc.id });

    expect(estateDiagram(app).split('\n')).toEqual([
      'flowchart TB',
      '  dev_state["<b>dev-state</b><br/>S3 bucket"]',
      '  dev_network["<b>dev-network</b><br/>VPC, security group"]',
      '  dev_data["<b>dev-data</b><br/>security group ×2"]',
      '  dev_network -->|VPC| dev_data',
      '  dev_state -.->|state| dev_network',
      '  dev_state -.->|state| dev_data',
    ]);
  });
});

describe('cdktf uses', () => {
  test('names imported from cdktf and paths into it, per file of the code, tests left out', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'docs-'));
    try {
      mkdirSync(path.join(dir, 'stacks'));
      mkdirSync(path.join(dir, '__tests__'));
      writeFileSync(
        path.join(dir, 'main.ts'),
        "import { App } from 'cdktf';\nimport type { Construct } from 'constructs';\n",
      );
      writeFileSync(
        path.join(dir, 'stacks', 'a.ts'),
        "import { Token, type TerraformStack as Stack } from 'cdktf';\nimport { Vpc } from '@cdktf/provider-aws/lib/vpc';\n" +
          "const file = path.join('cdktf', 'lib', 'private.js');\n",
      );
      writeFileSync(path.join(dir, 'stacks', 'b.ts'), "import { Vpc } from '@cdktf/provider-aws/lib/vpc';\n");
      writeFileSync(path.join(dir, '__tests__', 'a.test.ts'), "import { Testing } from 'cdktf';\n");
      expect(cdktfUses(dir)).toEqual([
        { file: 'main.ts', names: ['App'] },
        { file: 'stacks/a.ts', names: ['TerraformStack', 'Token', 'cdktf/lib/private.js'] },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
