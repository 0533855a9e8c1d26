import { rmSync } from 'node:fs';
import {
  dependencyGraph,
  dependencyWaves,
  deployOrder,
  describeStack,
  loadStacks,
  selectStacks,
  type StackConfig,
  type TerraformJson,
} from '../../../scripts/plan/graph';
import { synthesizeProducerConsumer } from './fixtures';

/** A stack as `loadStacks` reads it, from its name, the manifest's dependencies and its Terraform JSON. */
function stack(name: string, config: TerraformJson, dependencies: string[] = []): StackConfig {
  return describeStack({ name, workingDirectory: `/out/stacks/${name}`, dependencies }, config);
}

/** Terraform JSON with an S3 backend at `key` reading the states at `reads` (name -> key). */
function s3Stack(key: string, reads: Record<string, string> = {}): TerraformJson {
  const remoteStates = Object.fromEntries(
    Object.entries(reads).map(([name, readKey]) => [
      name,
      { backend: 's3', config: { bucket: 'state', key: readKey, region: 'ap-northeast-1' } },
    ]),
  );
  return {
    terraform: { backend: { s3: { bucket: 'state', key, region: 'ap-northeast-1' } } },
    ...(Object.keys(reads).length === 0 ? {} : { data: { terraform_remote_state: remoteStates } }),
  };
}

const names = (stacks: readonly { name: string }[]) => stacks.map((s) => s.name);

describe('dependencyGraph of a synthesized app', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = synthesizeProducerConsumer();
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('a stack that reads another stack’s outputs comes after it', () => {
    // The manifest lists dev-consumer first (alphabetical).
    expect(names(loadStacks(outdir))).toEqual(['dev-consumer', 'dev-producer']);
    expect(names(dependencyGraph(loadStacks(outdir)))).toEqual(['dev-producer', 'dev-consumer']);
  });

  test('the remote-state read is matched to the stack whose backend writes that state', () => {
    const consumer = dependencyGraph(loadStacks(outdir)).find((s) => s.name === 'dev-consumer');
    expect(consumer?.producers).toEqual({ 'cross-stack-reference-input-dev-producer': 'dev-producer' });
    expect(consumer?.upstream).toEqual(['dev-producer']);
  });
});

describe('dependencyGraph', () => {
  test('a read is matched by its backend key, whatever the data source is called', () => {
    const graph = dependencyGraph([
      stack('dev-app', s3Stack('p/dev/app.tfstate', { network: 'p/dev/network.tfstate' })),
      stack('dev-network', s3Stack('p/dev/network.tfstate')),
    ]);
    expect(names(graph)).toEqual(['dev-network', 'dev-app']);
    expect(graph[1].producers).toEqual({ network: 'dev-network' });
  });

  test('local backends match by the state file, relative to each stack’s directory', () => {
    const graph = dependencyGraph([
      stack('dev-app', {
        data: {
          terraform_remote_state: { base: { backend: 'local', config: { path: '../dev-base/x.tfstate' } } },
        },
      }),
      stack('dev-base', { terraform: { backend: { local: { path: 'x.tfstate' } } } }),
    ]);
    expect(graph[1].producers).toEqual({ base: 'dev-base' });
  });

  test('manifest dependencies order stacks too', () => {
    const graph = dependencyGraph([stack('dev-b', {}, ['dev-a']), stack('dev-a', {})]);
    expect(names(graph)).toEqual(['dev-a', 'dev-b']);
  });

  test('independent stacks keep the manifest order', () => {
    expect(names(dependencyGraph([stack('dev-b', {}), stack('dev-a', {})]))).toEqual(['dev-b', 'dev-a']);
  });

  test('a read of a state no stack writes is no dependency', () => {
    const graph = dependencyGraph([stack('dev-app', s3Stack('a', { elsewhere: 'other/team.tfstate' }))]);
    expect(graph[0].upstream).toEqual([]);
    expect(graph[0].producers).toEqual({});
  });

  test('a cycle is an error that names it', () => {
    expect(() =>
      dependencyGraph([
        stack('dev-a', s3Stack('a', { c: 'c' })),
        stack('dev-b', s3Stack('b', { a: 'a' })),
        stack('dev-c', s3Stack('c', { b: 'b' })),
        stack('dev-d', {}),
      ]),
    ).toThrow('Dependency cycle between stacks: dev-a -> dev-c -> dev-b -> dev-a.');
  });

  test('a manifest dependency on a stack that does not exist is an error', () => {
    expect(() => dependencyGraph([stack('dev-a', {}, ['dev-gone'])])).toThrow(
      'dev-a depends on dev-gone, which is not a synthesized stack.',
    );
  });
});

describe('dependencyWaves', () => {
  test('each wave holds the stacks whose upstreams are all in earlier waves', () => {
    const graph = dependencyGraph([
      stack('dev-observability', {}, ['dev-compute', 'dev-network']),
      stack('dev-compute', {}, ['dev-data', 'dev-network']),
      stack('dev-data', {}, ['dev-network']),
      stack('dev-containers', {}, ['dev-data', 'dev-network']),
      stack('dev-network', {}),
      stack('dev-state', {}),
    ]);
    expect(dependencyWaves(graph)).toEqual([
      ['dev-network', 'dev-state'],
      ['dev-data'],
      ['dev-compute', 'dev-containers'],
      ['dev-observability'],
    ]);
  });
});

describe('selectStacks', () => {
  const graph = dependencyGraph([
    stack('dev-network', {}),
    stack('dev-data', {}, ['dev-network']),
    stack('dev-state', {}),
    stack('prod-network', {}),
  ]);

  test('an environment is the stacks named <env>-...', () => {
    expect(names(selectStacks(graph, 'dev', [], false))).toEqual(['dev-network', 'dev-state', 'dev-data']);
  });

  test('named stacks, with or without the environment, come with their upstreams when asked', () => {
    expect(names(selectStacks(graph, 'dev', ['data'], false))).toEqual(['dev-data']);
    expect(names(selectStacks(graph, 'dev', ['dev-data'], true))).toEqual(['dev-network', 'dev-data']);
  });

  test('an unknown environment lists the known ones', () => {
    expect(() => selectStacks(graph, 'qa', [], false)).toThrow(
      'No stacks of environment "qa". Environments: dev, prod.',
    );
  });

  test('an unknown stack lists the environment’s stacks', () => {
    expect(() => selectStacks(graph, 'dev', ['cache'], false)).toThrow(
      'No stack named dev-cache in environment "dev". Stacks: dev-network, dev-state, dev-data.',
    );
  });
});

describe('deployOrder', () => {
  /** The state stack: a local backend, and the bucket and lock table the other stacks' backends use. */
  const stateStack: TerraformJson = {
    terraform: { backend: { local: { path: 'state.tfstate' } } },
    resource: {
      aws_s3_bucket: { bucket: { bucket: 'state' } },
      aws_dynamodb_table: { lock: { name: 'lock' } },
    },
  };
  const withLock = (config: TerraformJson, table: string): TerraformJson => ({
    ...config,
    terraform: { backend: { s3: { ...config.terraform?.backend?.s3, dynamodb_table: table } } },
  });

  test('the stack that creates the state bucket comes first, though nothing reads its outputs', () => {
    // Manifest order is alphabetical: dev-app, dev-network, dev-state.
    const graph = dependencyGraph([
      stack('dev-app', s3Stack('p/dev/app.tfstate', { network: 'p/dev/network.tfstate' })),
      stack('dev-network', s3Stack('p/dev/network.tfstate')),
      stack('dev-state', stateStack),
    ]);
    expect(names(graph)).toEqual(['dev-network', 'dev-state', 'dev-app']);
    expect(deployOrder(graph)).toEqual(['dev-state', 'dev-network', 'dev-app']);
  });

  test('the stack that creates the lock table alone also comes first', () => {
    const graph = dependencyGraph([
      stack('dev-network', withLock(s3Stack('p/dev/network.tfstate'), 'lock')),
      stack('dev-tables', { resource: { aws_dynamodb_table: { lock: { name: 'lock' } } } }),
    ]);
    expect(deployOrder(graph)).toEqual(['dev-tables', 'dev-network']);
  });

  test('without a stack creating the backend bucket, the deploy order is the dependency order', () => {
    const graph = dependencyGraph([
      stack('dev-app', s3Stack('p/dev/app.tfstate', { network: 'p/dev/network.tfstate' })),
      stack('dev-network', s3Stack('p/dev/network.tfstate')),
      stack('dev-other', { resource: { aws_s3_bucket: { logs: { bucket: 'logs' } } } }),
    ]);
    expect(deployOrder(graph)).toEqual(names(graph));
  });
});
