/**
 * What the web instances need beyond their database secret and file system, as IAM statements: the
 * WordPress administrator's secret, and the CloudWatch agent.
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { AwsContext } from './aws-context';

/**
 * The administrator's secret: written once by the first install, read back by a retried install.
 * With a customer-managed key, PutSecretValue needs kms:GenerateDataKey and GetSecretValue needs
 * kms:Decrypt, both through Secrets Manager (Secrets Manager user guide, "Secret encryption and
 * decryption in AWS Secrets Manager").
 */
export function adminSecretStatements(
  secret: { readonly arn: string; readonly kmsKeyArn: string },
  context: AwsContext,
): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'WriteAdminSecret',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      resources: [secret.arn],
    },
    {
      sid: 'EncryptAdminSecret',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [secret.kmsKeyArn],
      condition: [
        {
          test: 'StringEquals',
          variable: 'kms:ViaService',
          values: [`secretsmanager.${context.region}.amazonaws.com`],
        },
      ],
    },
  ];
}

/**
 * What the CloudWatch agent needs, narrower than the managed CloudWatchAgentServerPolicy: streams and
 * events in the given log groups only (the groups exist: Terraform creates them, so no
 * logs:CreateLogGroup or PutRetentionPolicy), metrics in one namespace only (`cloudwatch:namespace`
 * condition key, CloudWatch user guide "Using condition keys to limit access to CloudWatch
 * namespaces"), and ec2:DescribeTags, which resolves `${aws:AutoScalingGroupName}` in
 * `append_dimensions` (it has no resource-level permissions, so `*`; CloudWatch user guide, "Create
 * IAM roles to use with the CloudWatch agent").
 */
export function cloudWatchAgentStatements(agent: {
  readonly logGroupArns: string[];
  readonly namespace: string;
}): DataAwsIamPolicyDocumentStatement[] {
  return [
    {
      sid: 'ShipWebLogs',
      actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
      // The group (DescribeLogStreams) and its streams (CreateLogStream, PutLogEvents).
      resources: agent.logGroupArns.flatMap((arn) => [arn, `${arn}:*`]),
    },
    {
      sid: 'PutAgentMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      condition: [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [agent.namespace] }],
    },
    { sid: 'ReadOwnTags', actions: ['ec2:DescribeTags'], resources: ['*'] },
  ];
}
