import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { checkStack } from '../../policy/guardrails';
import { ELB_FIXTURES } from './fixtures/elb';

const app = Testing.app();
let stacks = 0;

/** The GR-ELB-4 reasons for one fixture, with the addresses' hashes left out. */
function reasonsOf(what: string): string[] {
  const fixture = [...ELB_FIXTURES.violating, ...ELB_FIXTURES.compliant].find((f) => f.what === what)!;
  const stack = new TerraformStack(app, `elb-${++stacks}`);
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  fixture.build(stack);
  return checkStack(stack, { protectedEnvironment: true })
    .findings.filter((f) => f.ruleId === 'GR-ELB-4')
    .map((f) => f.reason.replace(/_[0-9A-F]{8}\b/g, ''));
}

describe('GR-ELB-4 names what ELB would refuse', () => {
  test.each([
    [
      'an ALB logging to a bucket whose policy admits no ELB principal',
      'the policy of its log bucket aws_s3_bucket.logs_bucket does not allow ELB log delivery s3:PutObject',
    ],
    [
      'an ALB whose log bucket lets the ELB account only read',
      'the policy of its log bucket aws_s3_bucket.logs_bucket does not allow ELB log delivery s3:PutObject',
    ],
    [
      'an ALB whose log bucket admits ELB, created without depending on that policy',
      'it does not depend_on aws_s3_bucket_policy.logs_policy, so it may be created before ELB may write the logs',
    ],
  ])('%s', (what, reason) => {
    expect(reasonsOf(what)).toEqual([reason]);
  });
});
