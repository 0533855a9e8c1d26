/**
 * The availability zone names each region offers to a new account, by region. A zone outside this
 * table fails the configuration, because EC2 refuses a subnet in a zone the account cannot use only
 * at apply time, halfway through the network stack.
 *
 * Source: AWS documentation, "AWS Regions and Availability Zones" user guide, section "AWS
 * Availability Zones" (how many zones, by AZ ID, each region has; zone names are the region code and
 * a letter). Confirm a region with `aws ec2 describe-availability-zones --region <region>` before
 * relying on a zone added here. Two regions need a note:
 * - ap-northeast-1 has four AZ IDs, but one of them (named `ap-northeast-1b` in the older accounts that
 *   have it) is closed to newer accounts: a new account sees 1a, 1c and 1d.
 * - us-west-1 has two AZ IDs, named for older accounts as two of 1a, 1b, 1c (the names are mapped
 *   per account there): all three are accepted, check `aws ec2 describe-availability-zones`.
 *
 * A region missing here is an error that names this file: add the region with its zones (from
 * `aws ec2 describe-availability-zones --region <region>`) rather than skip the check.
 */
/** The shape of a region code, such as ap-northeast-1 or us-gov-west-1. */
export const REGION_CODE = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

export const OFFERED_ZONES: Readonly<Record<string, readonly string[]>> = {
  'ap-northeast-1': zones('ap-northeast-1', 'acd'),
  'ap-northeast-2': zones('ap-northeast-2', 'abcd'),
  'ap-northeast-3': zones('ap-northeast-3', 'abc'),
  'ap-southeast-1': zones('ap-southeast-1', 'abc'),
  'ap-southeast-2': zones('ap-southeast-2', 'abc'),
  'ap-south-1': zones('ap-south-1', 'abc'),
  'ca-central-1': zones('ca-central-1', 'abd'),
  'eu-central-1': zones('eu-central-1', 'abc'),
  'eu-north-1': zones('eu-north-1', 'abc'),
  'eu-west-1': zones('eu-west-1', 'abc'),
  'eu-west-2': zones('eu-west-2', 'abc'),
  'eu-west-3': zones('eu-west-3', 'abc'),
  'sa-east-1': zones('sa-east-1', 'abc'),
  // The billing alarm's region (billing metrics exist only there).
  'us-east-1': zones('us-east-1', 'abcdef'),
  'us-east-2': zones('us-east-2', 'abc'),
  'us-west-1': zones('us-west-1', 'abc'),
  'us-west-2': zones('us-west-2', 'abcd'),
};

function zones(region: string, letters: string): string[] {
  return [...letters].map((letter) => `${region}${letter}`);
}

/** Why `region` cannot be checked, or undefined when the table knows it. */
export function regionProblem(region: string): string | undefined {
  // A malformed code is reported by its own check.
  if (region in OFFERED_ZONES || !REGION_CODE.test(region)) return undefined;
  return `"${region}" is not in the zone table of config/zones.ts (${Object.keys(OFFERED_ZONES).join(', ')}); add it with the zones it offers`;
}

/** Why `zone` cannot be used in `region`, or undefined if it can (or the region is unknown). */
export function zoneProblem(region: string, zone: string): string | undefined {
  const offered = OFFERED_ZONES[region];
  if (offered === undefined || offered.includes(zone)) return undefined;
  return `"${zone}" is not offered in ${region} to a new account; use one of ${offered.join(', ')}`;
}
