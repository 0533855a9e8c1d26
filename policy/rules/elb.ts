/**
 * Elastic Load Balancing: what ELB checks at apply when a load balancer's access logs are switched on.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import type { Rule } from '../rules';
import { asStrings, block, isTrue, referencedAddress, type PolicyStatement } from '../synthesized';

/** The log-delivery service principal of Regions opened from August 2022. */
export const ELB_LOG_DELIVERY_PRINCIPAL = 'logdelivery.elasticloadbalancing.amazonaws.com';

/** A Regional ELB account: the `aws_elb_service_account` data source, or a literal account root. */
function isElbAccount(identifier: string): boolean {
  return (
    referencedAddress(identifier)?.startsWith('data.aws_elb_service_account.') === true ||
    /^arn:[^:]+:iam::\d{12}:root$/.test(identifier)
  );
}

/** Whether `statement` lets ELB's log delivery put objects. */
function admitsElb(statement: PolicyStatement): boolean {
  return (
    statement.effect === 'Allow' &&
    statement.actions.some((action) => actionMatches(action, 's3:PutObject')) &&
    statement.principals.some(
      (p) =>
        (p.type === 'Service' && p.identifiers.includes(ELB_LOG_DELIVERY_PRINCIPAL)) ||
        (p.type === 'AWS' && p.identifiers.some(isElbAccount)),
    )
  );
}

export const ELB_RULES: readonly Rule[] = [
  {
    id: 'GR-ELB-4',
    info: 'A load balancer logging to a bucket of its stack depends on a bucket policy that lets ELB put the logs.',
    explanation:
      'When access logs are switched on, ELB checks that it may write to the bucket and refuses the ' +
      'change otherwise (Elastic Load Balancing, "Access logs for your Application Load Balancer", ' +
      '"Attach a policy to your S3 bucket"): the bucket policy must allow s3:PutObject to the Regional ' +
      'ELB account (Regions opened before August 2022) or to logdelivery.elasticloadbalancing.amazonaws.com ' +
      '(later Regions), and the load balancer must depend on that policy, or Terraform may create it ' +
      'first and the apply fails. Checked where the bucket is in the same stack.',
    resourceTypes: ['aws_lb', 'aws_alb'],
    severity: 'error',
    check: (lb, { stack }) => {
      const logs = block(lb.config.access_logs);
      if (!isTrue(logs.enabled)) return [];
      const bucket = stack.get(referencedAddress(logs.bucket));
      if (bucket?.type !== 'aws_s3_bucket') return [];
      const policies = stack.referencing('aws_s3_bucket_policy', 'bucket', bucket, 'bucket');
      const granting = policies.filter((policy) =>
        (stack.policyStatements(policy.config.policy) ?? []).some(admitsElb),
      );
      if (granting.length === 0)
        return [
          `the policy of its log bucket ${bucket.address} does not allow ELB log delivery s3:PutObject`,
        ];
      const dependsOn = asStrings(lb.config.depends_on);
      return granting.some((policy) => dependsOn.includes(policy.address))
        ? []
        : [
            `it does not depend_on ${granting[0].address}, so it may be created before ELB may write the logs`,
          ];
    },
  },
];
