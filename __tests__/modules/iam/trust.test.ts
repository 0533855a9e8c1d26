import { Testing } from 'cdktf';
import {
  servicePrincipal,
  serviceRole,
  serviceTrustStatement,
  type TrustedService,
  type TrustedServiceName,
} from '../../../modules/iam/trust';
import { SOURCE_GUARDED_PRINCIPALS } from '../../../policy/rules/iam-trust';
import type { SynthesizedConfig } from '../../helpers';

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const assume = ['sts:AssumeRole'];
const service = (identifier: string) => [{ type: 'Service', identifiers: [identifier] }];
const thisAccount = { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] };

describe('serviceTrustStatement: one guard per service', () => {
  test('EC2 instances: ec2.amazonaws.com, no condition (the instance profile and PassRole guard it)', () => {
    expect(serviceTrustStatement({ service: 'ec2-instances' }, context)).toEqual({
      actions: assume,
      principals: service('ec2.amazonaws.com'),
      condition: undefined,
    });
  });

  test('ECS tasks: this account, and any ECS resource of this account and region (no cluster ARN)', () => {
    expect(serviceTrustStatement({ service: 'ecs-tasks' }, context)).toEqual({
      actions: assume,
      principals: service('ecs-tasks.amazonaws.com'),
      condition: [
        thisAccount,
        { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:ecs:ap-northeast-1:123456789012:*'] },
      ],
    });
  });

  test('VPC flow logs: this account, and any flow log of this account and region', () => {
    expect(serviceTrustStatement({ service: 'vpc-flow-logs' }, context)).toEqual({
      actions: assume,
      principals: service('vpc-flow-logs.amazonaws.com'),
      condition: [
        thisAccount,
        {
          test: 'ArnLike',
          variable: 'aws:SourceArn',
          values: ['arn:aws:ec2:ap-northeast-1:123456789012:vpc-flow-log/*'],
        },
      ],
    });
  });

  test('CloudTrail to CloudWatch Logs: no aws:SourceArn or aws:SourceAccount, which CloudTrail refuses', () => {
    expect(serviceTrustStatement({ service: 'cloudtrail-to-logs' }, context)).toEqual({
      actions: assume,
      principals: service('cloudtrail.amazonaws.com'),
      condition: undefined,
    });
  });

  test('Lambda: lambda.amazonaws.com, no condition', () => {
    expect(serviceTrustStatement({ service: 'lambda' }, context)).toEqual({
      actions: assume,
      principals: service('lambda.amazonaws.com'),
      condition: undefined,
    });
  });

  test('AWS Backup: backup.amazonaws.com, no condition', () => {
    expect(serviceTrustStatement({ service: 'backup' }, context)).toEqual({
      actions: assume,
      principals: service('backup.amazonaws.com'),
      condition: undefined,
    });
  });

  test('RDS Enhanced Monitoring: this account and the one DB instance', () => {
    expect(
      serviceTrustStatement(
        { service: 'rds-enhanced-monitoring', dbInstanceIdentifier: 'proj-prod-db' },
        context,
      ),
    ).toEqual({
      actions: assume,
      principals: service('monitoring.rds.amazonaws.com'),
      condition: [
        thisAccount,
        {
          test: 'ArnLike',
          variable: 'aws:SourceArn',
          values: ['arn:aws:rds:ap-northeast-1:123456789012:db:proj-prod-db'],
        },
      ],
    });
  });

  test('the partition, region and account come from the context (another partition, another account)', () => {
    const china = { accountId: '210987654321', region: 'cn-north-1', partition: 'aws-cn' };
    expect(serviceTrustStatement({ service: 'ecs-tasks' }, china).condition).toEqual([
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['210987654321'] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws-cn:ecs:cn-north-1:210987654321:*'] },
    ]);
  });

  test('every service has its own principal', () => {
    const names: TrustedServiceName[] = [
      'ec2-instances',
      'ecs-tasks',
      'vpc-flow-logs',
      'cloudtrail-to-logs',
      'lambda',
      'backup',
      'rds-enhanced-monitoring',
    ];
    const principals = names.map(servicePrincipal);
    expect(new Set(principals).size).toBe(names.length);
  });
});

describe('GR-IAM-2 and the builders agree', () => {
  const everyService: TrustedService[] = [
    { service: 'ec2-instances' },
    { service: 'ecs-tasks' },
    { service: 'vpc-flow-logs' },
    { service: 'cloudtrail-to-logs' },
    { service: 'lambda' },
    { service: 'backup' },
    { service: 'rds-enhanced-monitoring', dbInstanceIdentifier: 'db' },
  ];

  test('the services built with both source keys are exactly those the rule requires them of', () => {
    const guarded = everyService
      .map((trusted) => serviceTrustStatement(trusted, context))
      .filter((statement) => {
        const keys = ((statement.condition ?? []) as { variable: string }[]).map((c) => c.variable);
        return keys.includes('aws:SourceAccount') && keys.includes('aws:SourceArn');
      })
      .flatMap((statement) =>
        (statement.principals as { identifiers: string[] }[]).flatMap((p) => p.identifiers),
      );
    expect(guarded.sort()).toEqual([...SOURCE_GUARDED_PRINCIPALS].sort());
  });
});

describe('serviceRole', () => {
  function synth(trusted: TrustedService, trustId?: string): SynthesizedConfig {
    return JSON.parse(
      Testing.synthScope((scope) => {
        serviceRole(scope, 'the-role', {
          trusted,
          context,
          trustId,
          name: 'proj-dev-thing',
          description: 'd',
        });
      }),
    ) as SynthesizedConfig;
  }

  test('the trust document is named by trustId and the role assumes exactly its JSON', () => {
    const config = synth({ service: 'ecs-tasks' }, 'thing-trust');
    const documents = config.data?.aws_iam_policy_document ?? {};
    expect(Object.keys(documents)).toEqual([expect.stringMatching(/^thing-trust/)]);
    const [documentId] = Object.keys(documents);
    expect(documents[documentId]).toEqual({
      statement: [
        {
          actions: assume,
          principals: service('ecs-tasks.amazonaws.com'),
          condition: [
            thisAccount,
            {
              test: 'ArnLike',
              variable: 'aws:SourceArn',
              values: ['arn:aws:ecs:ap-northeast-1:123456789012:*'],
            },
          ],
        },
      ],
    });
    const roles = Object.values(config.resource?.aws_iam_role ?? {});
    expect(roles).toEqual([
      {
        name: 'proj-dev-thing',
        description: 'd',
        assume_role_policy: `\${data.aws_iam_policy_document.${documentId}.json}`,
      },
    ]);
  });

  test('the trust document is named "trust" by default', () => {
    expect(Object.keys(synth({ service: 'lambda' }).data?.aws_iam_policy_document ?? {})).toEqual([
      expect.stringMatching(/^trust/),
    ]);
  });
});
