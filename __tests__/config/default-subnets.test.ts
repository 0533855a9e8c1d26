import { parseEnvironments } from '../../config';
import { environments } from '../../config/environments';
import { NetworkStack } from '../../stacks/network-stack';
import { synthesize, testApp } from '../helpers';

/**
 * The subnets of the shipped estate as synthesized before subnets were derived: the derivation must
 * reproduce every state address and CIDR, or a deploy would replace subnets (and all in them).
 */
const PINNED: Record<string, [string, string]> = {
  'network_public-ap-northeast-1a_9C881FB0': ['ap-northeast-1a', '10.0.10.0/24'],
  'network_public-ap-northeast-1c_F7EDBC0E': ['ap-northeast-1c', '10.0.11.0/24'],
  'network_private-ap-northeast-1a_A7423BD0': ['ap-northeast-1a', '10.0.20.0/24'],
  'network_private-ap-northeast-1c_311CB5DC': ['ap-northeast-1c', '10.0.21.0/24'],
  'network_database-ap-northeast-1a_51EE8220': ['ap-northeast-1a', '10.0.30.0/24'],
  'network_database-ap-northeast-1c_69D00969': ['ap-northeast-1c', '10.0.31.0/24'],
};

describe('the default estate subnets', () => {
  test.each(parseEnvironments(environments).map((environment) => [environment.name, environment] as const))(
    '%s synthesizes the same subnet ids, zones and CIDRs as before derivation',
    (_, environment) => {
      const { config } = synthesize(new NetworkStack(testApp(), { environment }));
      const subnets = Object.fromEntries(
        Object.entries(config.resource?.aws_subnet ?? {}).map(([id, subnet]) => [
          id,
          [subnet.availability_zone, subnet.cidr_block],
        ]),
      );
      expect(subnets).toEqual(PINNED);
    },
  );
});
