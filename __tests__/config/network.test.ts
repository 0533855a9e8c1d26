import { parseEnvironments, type EnvironmentInput } from '../../config';
import { deriveSubnets, MAX_DERIVED_ZONES } from '../../config/network';
import { OFFERED_ZONES, zoneProblem } from '../../config/zones';
import { configProblems, minimalEnvironment } from '../helpers';

const valid = minimalEnvironment;
const problemsOf = (overrides: Partial<EnvironmentInput>) => configProblems([{ ...valid, ...overrides }]);
const parse = (overrides: Partial<EnvironmentInput>) => parseEnvironments([{ ...valid, ...overrides }])[0];

describe('availability zones', () => {
  test('a zone listed twice is rejected, naming the duplicate and its first place', () => {
    expect(
      problemsOf({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1a'] }),
    ).toEqual(['dev: availabilityZones[2]: "ap-northeast-1a" is listed twice (also availabilityZones[0])']);
  });

  test('three distinct zones are accepted', () => {
    expect(
      parse({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'] }),
    ).toBeDefined();
  });

  test('a zone the region does not offer to a new account is rejected, listing those it does', () => {
    expect(problemsOf({ availabilityZones: ['ap-northeast-1a', 'ap-northeast-1b'] })).toEqual([
      'dev: availabilityZones[1]: "ap-northeast-1b" is not offered in ap-northeast-1 to a new account; use one of ap-northeast-1a, ap-northeast-1c, ap-northeast-1d',
    ]);
  });

  test('a zone past the last one the region offers is rejected; the last one is accepted', () => {
    expect(zoneProblem('us-east-1', 'us-east-1f')).toBeUndefined();
    expect(zoneProblem('us-east-1', 'us-east-1g')).toBe(
      '"us-east-1g" is not offered in us-east-1 to a new account; use one of us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f',
    );
  });

  test('a region missing from the zone table is an error that says where to add it', () => {
    expect(problemsOf({ region: 'me-south-1', availabilityZones: ['me-south-1a', 'me-south-1b'] })).toEqual([
      `dev: region: "me-south-1" is not in the zone table of config/zones.ts (${Object.keys(OFFERED_ZONES).join(', ')}); add it with the zones it offers`,
    ]);
  });

  test('a malformed region is reported by its shape, not again as missing from the zone table', () => {
    expect(problemsOf({ region: 'tokyo', availabilityZones: ['tokyoa', 'tokyoc'] })).toEqual([
      'dev: region: must be an AWS region code such as ap-northeast-1',
    ]);
  });

  test('another region of the table is accepted with its zones', () => {
    expect(parse({ region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b'] }).region).toBe(
      'eu-west-1',
    );
  });

  test('the zone table covers the default region, the billing region and every region it names, each with 2+ zones', () => {
    expect(Object.keys(OFFERED_ZONES)).toEqual(expect.arrayContaining(['ap-northeast-1', 'us-east-1']));
    for (const [region, zones] of Object.entries(OFFERED_ZONES)) {
      expect(zones.length).toBeGreaterThanOrEqual(2);
      for (const zone of zones) expect(zone).toMatch(new RegExp(`^${region}[a-z]$`));
    }
  });
});

describe('subnet derivation', () => {
  test('the default VPC and zones derive the reference estate subnets', () => {
    expect(parse({}).network.subnets).toEqual({
      public: { 'ap-northeast-1a': '10.0.10.0/24', 'ap-northeast-1c': '10.0.11.0/24' },
      private: { 'ap-northeast-1a': '10.0.20.0/24', 'ap-northeast-1c': '10.0.21.0/24' },
      database: { 'ap-northeast-1a': '10.0.30.0/24', 'ap-northeast-1c': '10.0.31.0/24' },
    });
  });

  test('adding a zone at the end is one line: the new zone gets the next block of each tier', () => {
    const { network } = parse({
      availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
    });
    expect(network.subnets).toEqual({
      public: {
        'ap-northeast-1a': '10.0.10.0/24',
        'ap-northeast-1c': '10.0.11.0/24',
        'ap-northeast-1d': '10.0.12.0/24',
      },
      private: {
        'ap-northeast-1a': '10.0.20.0/24',
        'ap-northeast-1c': '10.0.21.0/24',
        'ap-northeast-1d': '10.0.22.0/24',
      },
      database: {
        'ap-northeast-1a': '10.0.30.0/24',
        'ap-northeast-1c': '10.0.31.0/24',
        'ap-northeast-1d': '10.0.32.0/24',
      },
    });
  });

  test('subnets follow the VPC range', () => {
    expect(parse({ network: { vpcCidr: '172.20.0.0/16' } }).network.subnets.private).toEqual({
      'ap-northeast-1a': '172.20.20.0/24',
      'ap-northeast-1c': '172.20.21.0/24',
    });
  });

  test('explicit subnets are kept exactly as given', () => {
    const subnets = {
      public: { 'ap-northeast-1a': '10.0.0.0/24', 'ap-northeast-1c': '10.0.1.0/24' },
      private: { 'ap-northeast-1a': '10.0.100.0/24', 'ap-northeast-1c': '10.0.101.0/24' },
      database: { 'ap-northeast-1a': '10.0.200.0/26', 'ap-northeast-1c': '10.0.200.64/26' },
    };
    expect(parse({ network: { subnets } }).network.subnets).toEqual(subnets);
  });

  test(`${MAX_DERIVED_ZONES} zones derive without collisions; one more is an error`, () => {
    const zones = (count: number) => Array.from({ length: count }, (_, index) => `zone-${index}`);
    const ten = deriveSubnets('10.0.0.0/16', zones(MAX_DERIVED_ZONES));
    expect('message' in ten).toBe(false);
    if (!('message' in ten)) {
      expect(ten.public['zone-9']).toBe('10.0.19.0/24');
      expect(ten.private['zone-0']).toBe('10.0.20.0/24');
      expect(ten.database['zone-9']).toBe('10.0.39.0/24');
    }
    expect(deriveSubnets('10.0.0.0/16', zones(MAX_DERIVED_ZONES + 1))).toEqual({
      path: ['availabilityZones'],
      message:
        '11 zones: derived subnets support at most 10 (tiers start 10 /24 blocks apart); give network.subnets explicitly',
    });
  });

  test('a malformed VPC range is reported once, whatever reads the subnets derived from it', () => {
    expect(
      problemsOf({ network: { vpcCidr: '10.0.0.0/33' }, data: { database: { multiAz: true } } }),
    ).toEqual(['dev: network.vpcCidr: "10.0.0.0/33" is not an IPv4 CIDR block such as 10.0.0.0/16']);
    expect(deriveSubnets('10.0.0.0/33', ['ap-northeast-1a'])).toEqual({
      path: ['network', 'vpcCidr'],
      message: '"10.0.0.0/33" is not an IPv4 CIDR block such as 10.0.0.0/16',
    });
  });

  test('a VPC too small for the derived blocks is an error; the smallest that fits is accepted', () => {
    expect(parse({ network: { vpcCidr: '10.0.0.0/19' } }).network.subnets.database).toEqual({
      'ap-northeast-1a': '10.0.30.0/24',
      'ap-northeast-1c': '10.0.31.0/24',
    });
    expect(
      problemsOf({
        availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d'],
        network: { vpcCidr: '10.0.0.0/19' },
        // Reported once: the multi-AZ check does not count the subnets that could not be derived.
        data: { database: { multiAz: true } },
      }),
    ).toEqual([
      'dev: network.vpcCidr: 10.0.0.0/19 holds 32 /24 blocks but derived subnets for 3 zones need 33 (database tier from block 30); use a larger VPC or give network.subnets explicitly',
    ]);
  });
});

describe('NAT gateways', () => {
  test('"none" is rejected, saying what the private subnets would lack', () => {
    expect(
      problemsOf({ network: { natGateways: 'none', interfaceEndpoints: ['ecr.api', 'ecr.dkr'] } }),
    ).toEqual([
      'dev: network.natGateways: "none" leaves the private subnets without internet egress, but web instances download WordPress and the RDS CA bundle at boot and the default task image comes from public.ecr.aws; no VPC endpoint serves these and no setting names a pre-baked AMI or private mirror, so use "single" or "per-az"',
    ]);
  });

  test('"single" is accepted', () => {
    expect(parse({ network: { natGateways: 'single' } }).network.natGateways).toBe('single');
  });
});

describe('interface endpoints', () => {
  test('a service listed twice is rejected, naming its first place', () => {
    expect(problemsOf({ network: { interfaceEndpoints: ['ecr.api', 'logs', 'ecr.api'] } })).toEqual([
      'dev: network.interfaceEndpoints[2]: "ecr.api" is listed twice (also interfaceEndpoints[0])',
    ]);
  });

  test('distinct services are accepted', () => {
    expect(
      parse({ network: { interfaceEndpoints: ['ecr.api', 'ecr.dkr'] } }).network.interfaceEndpoints,
    ).toEqual(['ecr.api', 'ecr.dkr']);
  });
});

describe('VPC ranges', () => {
  test.each([
    ['172.17.0.0/16', 'used by some AWS services (AWS Cloud9, Amazon SageMaker AI), which would conflict'],
    ['172.17.128.0/17', 'used by some AWS services (AWS Cloud9, Amazon SageMaker AI), which would conflict'],
    ['169.254.0.0/16', 'link-local: the instance metadata service and the Amazon DNS server answer there'],
  ])('%s is rejected', (vpcCidr, why) => {
    const range = vpcCidr.startsWith('172') ? '172.17.0.0/16' : '169.254.0.0/16';
    expect(
      problemsOf({
        network: {
          vpcCidr,
          subnets: { public: {}, private: {}, database: {} },
        },
      }),
    ).toContainEqual(`dev: network.vpcCidr: ${vpcCidr} overlaps ${range}, ${why}`);
  });

  test.each(['172.16.0.0/16', '172.18.0.0/16', '100.64.0.0/16', '192.168.0.0/16'])(
    '%s, next to or outside the reserved ranges, is accepted',
    (vpcCidr) => {
      expect(parse({ network: { vpcCidr } }).network.vpcCidr).toBe(vpcCidr);
    },
  );
});
