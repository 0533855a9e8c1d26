import { LOG_RETENTION_DAYS, parseEnvironments, type EnvironmentInput } from '../../config';
import { environments } from '../../config/environments';
import { configProblems, minimalEnvironment } from '../helpers';

const valid = minimalEnvironment;

const problemsOf = configProblems;

function withNetwork(network: Record<string, unknown>, rest: Partial<EnvironmentInput> = {}): unknown[] {
  return [{ ...valid, ...rest, network }];
}

const defaultSubnets = {
  public: { 'ap-northeast-1a': '10.0.10.0/24', 'ap-northeast-1c': '10.0.11.0/24' },
  private: { 'ap-northeast-1a': '10.0.20.0/24', 'ap-northeast-1c': '10.0.21.0/24' },
  database: { 'ap-northeast-1a': '10.0.30.0/24', 'ap-northeast-1c': '10.0.31.0/24' },
};

describe('parseEnvironments', () => {
  test('the shipped environments are dev, stg and prod, and valid', () => {
    const parsed = parseEnvironments(environments);
    expect(parsed.map((environment) => environment.name)).toEqual(['dev', 'stg', 'prod']);
    expect(parsed.find((environment) => environment.name === 'dev')?.network.natGateways).toBe('single');
    expect(parsed.find((environment) => environment.name === 'prod')?.network.natGateways).toBe('per-az');
    expect(parsed.find((environment) => environment.name === 'prod')?.deletionProtection).toBe(true);
  });

  test('defaults model the reference estate', () => {
    const [environment] = parseEnvironments([valid]);
    expect(environment).toMatchObject({
      project: 'aws-and-infra',
      region: 'ap-northeast-1',
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
      namePrefix: 'aws-and-infra-dev',
      partition: 'aws',
      network: {
        vpcCidr: '10.0.0.0/16',
        subnets: defaultSubnets,
        natGateways: 'per-az',
        interfaceEndpoints: [],
      },
      state: { bucket: 'aws-and-infra-dev-tfstate-123456789012', lockTable: 'aws-and-infra-dev-tflock' },
    });
  });

  test('a malformed CIDR is named by its path', () => {
    const subnets = {
      ...defaultSubnets,
      public: { ...defaultSubnets.public, 'ap-northeast-1a': '10.0.300.0/24' },
    };
    expect(problemsOf(withNetwork({ subnets }))).toEqual([
      'dev: network.subnets.public.ap-northeast-1a: "10.0.300.0/24" is not an IPv4 CIDR block such as 10.0.0.0/16',
    ]);
  });

  test('a CIDR with host bits set suggests the network address', () => {
    expect(problemsOf(withNetwork({ vpcCidr: '10.0.1.0/16' }))).toContainEqual(
      'dev: network.vpcCidr: "10.0.1.0/16" is not a network address (did you mean 10.0.0.0/16?)',
    );
  });

  test('a subnet outside the VPC is rejected', () => {
    const subnets = {
      ...defaultSubnets,
      private: { ...defaultSubnets.private, 'ap-northeast-1c': '10.1.21.0/24' },
    };
    expect(problemsOf(withNetwork({ subnets }))).toEqual([
      'dev: network.subnets.private.ap-northeast-1c: 10.1.21.0/24 is outside the VPC 10.0.0.0/16',
    ]);
  });

  test('overlapping subnets are rejected, naming both', () => {
    const subnets = {
      ...defaultSubnets,
      database: { ...defaultSubnets.database, 'ap-northeast-1a': '10.0.20.0/25' },
    };
    expect(problemsOf(withNetwork({ subnets }))).toEqual([
      'dev: network.subnets.database.ap-northeast-1a: 10.0.20.0/25 overlaps 10.0.20.0/24 (network.subnets.private.ap-northeast-1a)',
    ]);
  });

  test('a subnet in a zone outside the environment is rejected', () => {
    const subnets = {
      ...defaultSubnets,
      public: { ...defaultSubnets.public, 'ap-northeast-1d': '10.0.12.0/24' },
    };
    expect(problemsOf(withNetwork({ subnets }))).toEqual([
      'dev: network.subnets.public.ap-northeast-1d: availability zone ap-northeast-1d is not in availabilityZones (ap-northeast-1a, ap-northeast-1c)',
    ]);
  });

  test('a zone outside the region is rejected', () => {
    expect(problemsOf([{ ...valid, availabilityZones: ['ap-northeast-1a', 'us-east-1c'] }])).toContainEqual(
      'dev: availabilityZones[1]: "us-east-1c" is not an availability zone of region ap-northeast-1',
    );
  });

  test('fewer than two zones are rejected', () => {
    expect(problemsOf([{ ...valid, availabilityZones: ['ap-northeast-1a'] }])).toContainEqual(
      'dev: availabilityZones: at least two distinct availability zones are required',
    );
  });

  test('a tier missing a subnet in a zone is rejected', () => {
    const subnets = { ...defaultSubnets, database: { 'ap-northeast-1a': '10.0.30.0/24' } };
    expect(problemsOf(withNetwork({ subnets }))).toEqual([
      'dev: network.subnets.database: no subnet for availability zone ap-northeast-1c',
    ]);
  });

  test('a bad account id is rejected', () => {
    expect(problemsOf([{ ...valid, accountId: '12345' }])).toEqual([
      'dev: accountId: must be a 12-digit AWS account id',
    ]);
  });

  test('duplicate environment names are rejected', () => {
    expect(problemsOf([valid, { ...valid, accountId: '210987654321' }])).toEqual([
      'environments[1].name: duplicate environment name "dev" (also environments[0]); stack ids, the name prefix and the state bucket derive from it',
    ]);
  });

  test('a project name that would break the 32-character load balancer limit is rejected', () => {
    expect(problemsOf([{ ...valid, project: 'a-very-long-project-name' }])).toEqual([
      'dev: project: "a-very-long-project-name-dev" (<project>-<env>) is 28 characters; at most 22 keep load balancer and target group names within AWS\'s 32-character limit',
    ]);
  });

  test('a log retention CloudWatch does not accept is rejected', () => {
    const [problem] = problemsOf([{ ...valid, logRetentionDays: 10 }]);
    expect(problem).toMatch(/^dev: logRetentionDays: must be one of the values CloudWatch Logs accepts/);
    expect(LOG_RETENTION_DAYS).toContain(14);
  });

  test('unknown keys are rejected rather than ignored', () => {
    expect(problemsOf([{ ...valid, netwrok: {} }])).toEqual([
      "dev: Unrecognized key(s) in object: 'netwrok'",
    ]);
  });

  test('every problem is reported at once', () => {
    const problems = problemsOf([
      { ...valid, accountId: 'x', network: { vpcCidr: '10.0.0.0/16', natGateways: 'two' } },
      { ...valid, name: 'Prod!', accountId: '210987654321' },
    ]);
    expect(problems).toEqual([
      'dev: accountId: must be a 12-digit AWS account id',
      expect.stringMatching(/^dev: network\.natGateways: Invalid enum value/),
      'environments[1].name: must be 1-10 lowercase letters or digits, starting with a letter',
    ]);
  });

  test('the error message lists each problem on its own line', () => {
    expect(() =>
      parseEnvironments([
        { ...valid, accountId: '1' },
        { ...valid, name: 'stg', accountId: '2' },
      ]),
    ).toThrow(
      'Invalid environment configuration (2 problems):\n' +
        '  - dev: accountId: must be a 12-digit AWS account id\n' +
        '  - stg: accountId: must be a 12-digit AWS account id',
    );
  });
});
