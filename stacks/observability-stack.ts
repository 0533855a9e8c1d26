import type { Construct } from 'constructs';
import { AlarmTopic } from '../modules/alarm-topic';
import {
  BillingAlarm,
  ContainerServiceAlarms,
  DatabaseAlarms,
  FileSystemAlarms,
  NatGatewayAlarms,
  WebTierAlarms,
} from '../modules/alarms';
import { logToBucket } from '../modules/access-log-bucket';
import { AuditTrail } from '../modules/audit-trail';
import { TrailAlarms } from '../modules/trail-alarms';
import { Dashboard } from '../modules/dashboard';
import { estateWidgets } from '../modules/estate-dashboard';
import { BaseStack, type BaseStackProps } from './base-stack';
import { ACCESS_LOG_PREFIXES, auditTrailBucketName } from './contracts';
import type {
  ContainerServiceMetrics,
  DatabaseAccess,
  FileSystemMetrics,
  NetworkAccess,
  WebTierMetrics,
} from './contracts';

export interface ObservabilityStackProps extends BaseStackProps {
  /** The NAT gateways (`<env>-network`). */
  readonly network: Pick<NetworkAccess, 'natGatewayIdsByZone'>;
  /** The database (`<env>-data`); its alarms and widgets exist only when given. */
  readonly database?: DatabaseAccess;
  /** The shared file system (`<env>-data`). */
  readonly fileSystem?: FileSystemMetrics;
  /** The web tier (`<env>-compute`). */
  readonly webTier?: WebTierMetrics;
  /** The container service (`<env>-containers`). */
  readonly containers?: ContainerServiceMetrics;
}

/** Billing metrics exist only in this region (CloudWatch user guide, "Create a billing alarm"). */
export const BILLING_REGION = 'us-east-1';

/**
 * `<env>-observability`: the alarm topic and its subscribers, an alarm for every part of the
 * estate it is given, the environment's dashboard, the billing alarm (in us-east-1) and, where
 * this environment owns it, the account's CloudTrail, with the security alarms on its events where
 * it delivers to CloudWatch Logs.
 */
export class ObservabilityStack extends BaseStack {
  readonly alarmTopic: AlarmTopic;
  readonly dashboard: Dashboard;
  readonly webTierAlarms?: WebTierAlarms;
  readonly containerAlarms?: ContainerServiceAlarms;
  readonly databaseAlarms?: DatabaseAlarms;
  readonly fileSystemAlarms?: FileSystemAlarms;
  readonly natGatewayAlarms: NatGatewayAlarms;
  readonly billingTopic?: AlarmTopic;
  readonly billingAlarm?: BillingAlarm;
  readonly auditTrail?: AuditTrail;
  readonly trailAlarms?: TrailAlarms;

  constructor(scope: Construct, props: ObservabilityStackProps) {
    super(scope, 'observability', props);
    const { observability, namePrefix } = this.environment;
    const { thresholds } = observability;

    this.alarmTopic = new AlarmTopic(this, 'alarm-topic', {
      topicName: this.resourceName('alarms'),
      context: this.context,
      emailAddresses: observability.alarmEmails,
    });
    const alarms = { namePrefix, topicArns: [this.alarmTopic.arn] };

    if (props.webTier) {
      this.webTierAlarms = new WebTierAlarms(this, 'web-tier-alarms', {
        ...alarms,
        webTier: props.webTier,
        thresholds: thresholds.web,
        loadBalancerThresholds: thresholds.loadBalancer,
      });
    }
    if (props.containers) {
      this.containerAlarms = new ContainerServiceAlarms(this, 'container-alarms', {
        ...alarms,
        service: props.containers,
        thresholds: thresholds.containers,
        loadBalancerThresholds: thresholds.loadBalancer,
      });
    }
    if (props.database) {
      this.databaseAlarms = new DatabaseAlarms(this, 'database-alarms', {
        ...alarms,
        instanceIdentifier: props.database.instanceIdentifier,
        thresholds: thresholds.database,
      });
    }
    if (props.fileSystem) {
      this.fileSystemAlarms = new FileSystemAlarms(this, 'file-system-alarms', {
        ...alarms,
        ...props.fileSystem,
        thresholds: thresholds.fileSystem,
      });
    }
    // Keyed by zone, so adding a zone adds alarms without renaming the others.
    const natGateways = props.network.natGatewayIdsByZone;
    this.natGatewayAlarms = new NatGatewayAlarms(this, 'nat-gateway-alarms', {
      ...alarms,
      natGateways,
      thresholds: thresholds.natGateway,
    });

    if (observability.billingAlarm) {
      const provider = this.aliasedProvider('billing', BILLING_REGION);
      this.billingTopic = new AlarmTopic(this, 'billing-topic', {
        topicName: this.resourceName('billing-alarms'),
        context: { ...this.context, region: BILLING_REGION },
        emailAddresses: observability.alarmEmails,
        provider,
      });
      this.billingAlarm = new BillingAlarm(this, 'billing-alarm', {
        namePrefix,
        topicArns: [this.billingTopic.arn],
        thresholdUsd: thresholds.billingUsd,
        provider,
      });
    }

    this.dashboard = new Dashboard(this, 'dashboard', {
      dashboardName: namePrefix,
      region: this.environment.region,
      widgets: estateWidgets({
        environmentName: this.environment.name,
        webTier: props.webTier,
        containerService: props.containers,
        database: props.database,
        fileSystem: props.fileSystem,
        natGateways,
      }),
    });

    const { auditTrail } = observability;
    if (auditTrail.owner) {
      this.auditTrail = new AuditTrail(this, 'audit-trail', {
        trailName: this.resourceName('trail'),
        bucketName: auditTrailBucketName(namePrefix, this.environment.accountId),
        context: this.context,
        // The state bucket holds every stack's state: who read or wrote it matters.
        dataEventBucketNames: [this.environment.state.bucket],
        retentionDays: auditTrail.retentionDays,
        cloudWatchLogs: auditTrail.cloudWatchLogs
          ? { logGroupName: `/${namePrefix}/cloudtrail`, retentionDays: this.environment.logRetentionDays }
          : undefined,
        preventDestroy: this.environment.deletionProtection,
      });
      // Who read the audit log: S3 server access logs into <env>-state's log bucket, named (that
      // stack is deployed first and has local state; its policy admits this bucket and prefix).
      logToBucket(this, 'audit-trail-access-logging', {
        bucket: this.auditTrail.bucket.bucket.id,
        targetBucket: this.environment.state.accessLogBucket,
        targetPrefix: ACCESS_LOG_PREFIXES.cloudTrail,
      });
      // Metric filters need the events in CloudWatch Logs: only where the trail delivers there.
      if (this.auditTrail.logGroup) {
        this.trailAlarms = new TrailAlarms(this, 'trail-alarms', {
          ...alarms,
          logGroupName: this.auditTrail.logGroup.name,
        });
      }
    }
  }
}
