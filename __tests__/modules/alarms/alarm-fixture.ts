import { Testing } from 'cdktf';
import type { Construct } from 'constructs';

/** Whom every alarm group of these tests notifies, and how it names its alarms. */
export const target = {
  namePrefix: 'proj-dev',
  topicArns: ['arn:aws:sns:ap-northeast-1:123456789012:proj-dev-alarms'],
};

export const loadBalancerThresholds = {
  elb5xxCount: 10,
  target5xxCount: 20,
  responseTimeP95Seconds: 1,
  responseTimeP99Seconds: 3,
  rejectedConnectionCount: 0,
};

export type Alarm = Record<string, unknown>;

/** The synthesized alarms, by alarm name. */
export function alarmsOf(build: (scope: Construct) => void): Record<string, Alarm> {
  const config = JSON.parse(Testing.synthScope(build)) as {
    resource?: { aws_cloudwatch_metric_alarm?: Record<string, Alarm> };
  };
  const alarms = Object.values(config.resource?.aws_cloudwatch_metric_alarm ?? {});
  return Object.fromEntries(alarms.map((alarm) => [alarm.alarm_name as string, alarm]));
}
