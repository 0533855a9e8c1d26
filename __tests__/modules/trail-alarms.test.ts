import { Testing } from 'cdktf';
import { anyEvent, TRAIL_EVENT_FILTERS, TrailAlarms } from '../../modules/trail-alarms';

const topicArns = ['arn:aws:sns:ap-northeast-1:123456789012:proj-prod-alarms'];

type Body = Record<string, unknown>;
const config = JSON.parse(
  Testing.synthScope((scope) => {
    new TrailAlarms(scope, 'trail', {
      namePrefix: 'proj-prod',
      topicArns,
      logGroupName: '/proj-prod/cloudtrail',
    });
  }),
) as { resource: Record<string, Record<string, Body>> };
const byName = (type: string, key: string) =>
  Object.fromEntries(Object.values(config.resource[type]).map((body) => [body[key] as string, body]));
const filters = byName('aws_cloudwatch_log_metric_filter', 'name');
const alarms = byName('aws_cloudwatch_metric_alarm', 'alarm_name');

describe('TrailAlarms', () => {
  test('one filter and one alarm per Security Hub control the issue names', () => {
    expect(Object.values(TRAIL_EVENT_FILTERS).map((f) => f.control)).toEqual([
      'CloudWatch.1',
      'CloudWatch.2',
      'CloudWatch.3',
      'CloudWatch.4',
      'CloudWatch.5',
      'CloudWatch.10',
      'CloudWatch.11',
    ]);
    expect(Object.keys(filters).sort()).toEqual(
      Object.keys(TRAIL_EVENT_FILTERS)
        .map((t) => `proj-prod-${t}`)
        .sort(),
    );
    expect(Object.keys(alarms).sort()).toEqual(
      Object.keys(TRAIL_EVENT_FILTERS)
        .map((t) => `proj-prod-trail-${t}`)
        .sort(),
    );
  });

  test('root use: the filter counts root activity on the trail log group, and any match alarms the topic', () => {
    const { name, log_group_name, pattern, metric_transformation } = filters['proj-prod-root-user'];
    expect({ name, log_group_name, pattern, metric_transformation }).toEqual({
      name: 'proj-prod-root-user',
      log_group_name: '/proj-prod/cloudtrail',
      pattern:
        '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      metric_transformation: { name: 'root-user-count', namespace: 'proj-prod/CloudTrail', value: '1' },
    });
    const alarm = alarms['proj-prod-trail-root-user'];
    const { namespace, metric_name, dimensions, statistic, period, comparison_operator, threshold } = alarm;
    expect({ namespace, metric_name, dimensions, statistic, period, comparison_operator, threshold }).toEqual(
      {
        namespace: 'proj-prod/CloudTrail',
        metric_name: 'root-user-count',
        dimensions: undefined,
        statistic: 'Sum',
        period: 300,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
      },
    );
    expect(alarm).toMatchObject({
      alarm_actions: topicArns,
      ok_actions: topicArns,
      treat_missing_data: 'notBreaching',
    });
  });

  test('IAM policy changes: the sixteen policy events of CloudWatch.4, each once', () => {
    expect(filters['proj-prod-iam-policy-changes'].pattern).toBe(
      anyEvent([
        'DeleteGroupPolicy',
        'PutGroupPolicy',
        'DeleteRolePolicy',
        'PutRolePolicy',
        'DeleteUserPolicy',
        'PutUserPolicy',
        'CreatePolicy',
        'DeletePolicy',
        'CreatePolicyVersion',
        'DeletePolicyVersion',
        'AttachRolePolicy',
        'DetachRolePolicy',
        'AttachUserPolicy',
        'DetachUserPolicy',
        'AttachGroupPolicy',
        'DetachGroupPolicy',
      ]),
    );
  });

  test('event patterns are JSON filter patterns: one brace pair, terms joined by ||', () => {
    expect(anyEvent(['StopLogging', 'DeleteTrail'])).toBe(
      '{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) }',
    );
    expect(filters['proj-prod-security-group-changes'].pattern).toBe(
      anyEvent([
        'AuthorizeSecurityGroupIngress',
        'RevokeSecurityGroupIngress',
        'AuthorizeSecurityGroupEgress',
        'RevokeSecurityGroupEgress',
        'CreateSecurityGroup',
        'DeleteSecurityGroup',
      ]),
    );
    expect(filters['proj-prod-console-sign-in-without-mfa'].pattern).toBe(
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    );
  });
});
