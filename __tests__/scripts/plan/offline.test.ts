import {
  describeStack,
  dependencyGraph,
  type StackNode,
  type TerraformJson,
} from '../../../scripts/plan/graph';
import {
  OFFLINE_PROVIDER_ARGUMENTS,
  blockType,
  offlineOverride,
  outputSource,
  pinnedAccountId,
  standInOutputs,
  standInState,
  typeAt,
  type PlanJson,
  type ResourceTypes,
} from '../../../scripts/plan/offline';

const consumerConfig: TerraformJson = {
  terraform: { backend: { s3: { bucket: 'state', key: 'p/dev/app.tfstate', region: 'ap-northeast-1' } } },
  provider: {
    aws: [
      { region: 'ap-northeast-1', allowed_account_ids: ['123456789012'] },
      { alias: 'billing', region: 'us-east-1', allowed_account_ids: ['123456789012'] },
    ],
  },
  data: {
    terraform_remote_state: {
      'cross-stack-reference-input-dev-network': {
        backend: 's3',
        config: { bucket: 'state', key: 'p/dev/network.tfstate', region: 'ap-northeast-1' },
        defaults: { flag: true },
        workspace: '${terraform.workspace}',
      },
    },
  },
};
const networkConfig: TerraformJson = {
  terraform: { backend: { s3: { bucket: 'state', key: 'p/dev/network.tfstate', region: 'ap-northeast-1' } } },
};

function graph(): StackNode[] {
  const at = (name: string) => ({ name, workingDirectory: `/out/stacks/${name}`, dependencies: [] });
  return dependencyGraph([
    describeStack(at('dev-app'), consumerConfig),
    describeStack(at('dev-network'), networkConfig),
  ]);
}

describe('offlineOverride', () => {
  const [network, app] = graph();
  const override = offlineOverride(app, {
    state: '/tmp/x/state/dev-app.tfstate',
    standIns: { 'dev-network': '/tmp/x/stand-in/dev-network.tfstate' },
  });

  test('the backend becomes a local file in the given place', () => {
    expect(override.terraform).toEqual({ backend: { local: { path: '/tmp/x/state/dev-app.tfstate' } } });
  });

  test('every aws provider, aliased ones by their alias, gets mock credentials and the skip flags', () => {
    expect(override.provider).toEqual({
      aws: [OFFLINE_PROVIDER_ARGUMENTS, { alias: 'billing', ...OFFLINE_PROVIDER_ARGUMENTS }],
    });
    expect(OFFLINE_PROVIDER_ARGUMENTS).toMatchObject({
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      allowed_account_ids: null,
    });
  });

  test('each remote-state read points at its producer’s stand-in state, nothing else changed', () => {
    expect(override.data).toEqual({
      terraform_remote_state: {
        'cross-stack-reference-input-dev-network': {
          backend: 'local',
          config: { path: '/tmp/x/stand-in/dev-network.tfstate' },
        },
      },
    });
  });

  test('a stack without providers or reads gets only the backend', () => {
    const result = offlineOverride(network, { state: '/tmp/s', standIns: {} });
    expect(Object.keys(result)).toEqual(['//', 'terraform']);
  });

  test('a read without a planned producer is an error that names it', () => {
    expect(() => offlineOverride(app, { state: '/tmp/s', standIns: {} })).toThrow(
      'dev-app: data.terraform_remote_state.cross-stack-reference-input-dev-network reads a s3 state that no planned stack writes',
    );
  });
});

describe('outputSource', () => {
  test('a plain attribute reference', () => {
    expect(outputSource('${aws_vpc.network_vpc_1A2B.id}')).toEqual({
      mode: 'resource',
      resourceType: 'aws_vpc',
      resourceName: 'network_vpc_1A2B',
      path: ['id'],
    });
  });

  test('instance keys are dropped, indexes into values kept', () => {
    expect(outputSource('${data.aws_subnet.s["a"].ipv6_cidr_block_association[0].id}')).toEqual({
      mode: 'data',
      resourceType: 'aws_subnet',
      resourceName: 's',
      path: ['ipv6_cidr_block_association', 0, 'id'],
    });
  });

  test('anything but a plain reference has no source', () => {
    expect(outputSource('${tolist(aws_lb.alb.subnets)}')).toBeUndefined();
    expect(outputSource('${aws_vpc.a.id}-${aws_vpc.b.id}')).toBeUndefined();
    expect(outputSource(42)).toBeUndefined();
  });
});

describe('blockType and typeAt', () => {
  const vpcType = blockType({
    attributes: { id: { type: 'string' }, tags: { type: ['map', 'string'] } },
    block_types: {
      ingress: { nesting_mode: 'set', block: { attributes: { from_port: { type: 'number' } } } },
      timeouts: { nesting_mode: 'single', block: { attributes: { create: { type: 'string' } } } },
    },
  });

  test('nested blocks become sets, lists or objects of their attributes', () => {
    expect(vpcType).toEqual([
      'object',
      {
        id: 'string',
        tags: ['map', 'string'],
        ingress: ['set', ['object', { from_port: 'number' }]],
        timeouts: ['object', { create: 'string' }],
      },
    ]);
  });

  test('a path walks attributes and elements', () => {
    expect(typeAt(vpcType, ['ingress', 0, 'from_port'])).toBe('number');
    expect(typeAt(vpcType, ['tags', 'Name'])).toBe('string');
    expect(typeAt(vpcType, ['id', 'nope'])).toBeUndefined();
  });
});

describe('standInOutputs', () => {
  const types: ResourceTypes = {
    resource: {
      aws_vpc: ['object', { id: 'string', arn: 'string', ipv6_netmask_length: 'number' }],
      aws_lb: ['object', { subnets: ['set', 'string'], security_groups: ['set', 'string'] }],
    },
    data: {},
  };
  const output = (expression: string) => ({ sensitive: true, expression: { constant_value: expression } });
  const plan: PlanJson = {
    terraform_version: '1.11.4',
    configuration: {
      provider_config: { aws: { expressions: { region: { constant_value: 'ap-northeast-1' } } } },
      root_module: {
        outputs: {
          vpc_id: output('${aws_vpc.main.id}'),
          vpc_arn: output('${aws_vpc.main.arn}'),
          netmask: output('${aws_vpc.main.ipv6_netmask_length}'),
          lb_subnets: output('${aws_lb.web.subnets}'),
          lb_groups: output('${aws_lb.web.security_groups}'),
          name: { expression: { constant_value: 'web' } },
          gone: output('${aws_vpc.old.id}'),
          nothing: { expression: { constant_value: null } },
        },
        resources: [{ address: 'aws_vpc.main', provider_config_key: 'aws' }],
      },
    },
    output_changes: {
      vpc_id: { actions: ['create'], after_unknown: true },
      vpc_arn: { actions: ['create'], after_unknown: true },
      netmask: { actions: ['create'], after_unknown: true },
      lb_subnets: { actions: ['create'], after_unknown: true },
      lb_groups: { actions: ['create'], after: ['sg-1', null], after_unknown: [false, true] },
      name: { actions: ['create'], after: 'web', after_unknown: false },
      gone: { actions: ['delete'], after: null },
      nothing: { actions: ['create'], after: null, after_unknown: false },
    },
  };
  const outputs = standInOutputs(plan, { types, accountId: '123456789012' });

  test('an unknown id takes the AWS prefix of its resource', () => {
    expect(outputs.vpc_id).toEqual({
      value: expect.stringMatching(/^vpc-[0-9a-f]{17}$/),
      type: 'string',
      sensitive: true,
    });
  });

  test('an unknown ARN is an ARN of the resource’s service, region and account', () => {
    expect(outputs.vpc_arn.value).toMatch(
      /^arn:aws:ec2:ap-northeast-1:123456789012:vpc\/placeholder-[0-9a-f]{8}$/,
    );
  });

  test('unknown values take their schema type: a number, a set of strings', () => {
    expect(outputs.netmask).toMatchObject({ value: 0, type: 'number' });
    expect(outputs.lb_subnets).toMatchObject({
      value: [expect.stringMatching(/^subnet-/)],
      type: ['set', 'string'],
    });
  });

  test('known parts are kept and unknown elements filled', () => {
    expect(outputs.lb_groups).toMatchObject({
      value: ['sg-1', expect.stringMatching(/^sg-/)],
      type: ['set', 'string'],
    });
    expect(outputs.name).toEqual({ value: 'web', type: 'string', sensitive: false });
  });

  test('removed and null outputs are left out, as in a real state', () => {
    expect(Object.keys(outputs)).not.toContain('gone');
    expect(Object.keys(outputs)).not.toContain('nothing');
  });

  test('without schema types an unknown value is a string placeholder', () => {
    expect(standInOutputs(plan).netmask).toMatchObject({
      value: expect.stringMatching(/^placeholder-/),
      type: 'string',
    });
  });

  test('placeholders are stable from one plan to the next', () => {
    expect(standInOutputs(plan, { types }).vpc_id.value).toBe(outputs.vpc_id.value);
  });
});

describe('standInState', () => {
  test('a version-4 state with the outputs, their types and sensitivity, and no resources', () => {
    const state = standInState(
      {
        id: { value: 'vpc-1', type: 'string', sensitive: true },
        n: { value: 1, type: 'number', sensitive: false },
      },
      '1.11.4',
    );
    expect(state).toEqual({
      version: 4,
      terraform_version: '1.11.4',
      serial: 1,
      lineage: expect.stringMatching(/^[0-9a-f-]{36}$/),
      outputs: { id: { value: 'vpc-1', type: 'string', sensitive: true }, n: { value: 1, type: 'number' } },
      resources: [],
      check_results: null,
    });
  });
});

describe('pinnedAccountId', () => {
  test('the account of the default aws provider', () => {
    expect(pinnedAccountId(consumerConfig)).toBe('123456789012');
    expect(pinnedAccountId({})).toBeUndefined();
  });
});
