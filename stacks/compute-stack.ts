import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Annotations, TerraformOutput, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { instanceArchitecture } from '../config/web';
import { assertListenerPortsOpen, PublicLoadBalancer } from '../modules/public-load-balancer';
import { AMAZON_LINUX_2023_IMAGE_PARAMETERS, ssmImageId, WebServerFleet } from '../modules/web-server-fleet';
import { WEB_AGENT_NAMESPACE } from '../modules/web-server-config';
import { WebTierResources } from '../modules/web-tier-resources';
import { renderWebUserData } from '../modules/web-user-data';
import { wordpressSha256 } from '../config/wordpress';
import { BaseStack, type BaseStackProps } from './base-stack';
import {
  efsClientRoleNames,
  type DatabaseAccess,
  type FileSystemAccess,
  type NetworkAccess,
  type WebTierMetrics,
} from './contracts';

export interface ComputeStackProps extends BaseStackProps {
  /** The public and private subnets, the `alb` and `web` groups, the certificate and web ACL. */
  readonly network: NetworkAccess;
  readonly database: DatabaseAccess;
  readonly sharedFiles: FileSystemAccess;
}

/**
 * `<env>-compute`: the web tier. An internet-facing Application Load Balancer in the public
 * subnets (HTTPS with the network stack's certificate when the environment has a domain, plain
 * HTTP otherwise; the network stack's WAF web ACL when it is on) in front of an Auto Scaling group
 * of Amazon Linux 2023 instances in the private subnets that serve WordPress from the data stack's
 * database and shared file system.
 */
export class ComputeStack extends BaseStack {
  readonly loadBalancer: PublicLoadBalancer;
  readonly fleet: WebServerFleet;
  /** The web logs' key and groups, and the WordPress administrator's secret. */
  readonly webResources: WebTierResources;
  /** The instances' first-boot script, before encoding. */
  readonly userData: string;
  /** The apex alias to the load balancer; only with a domain. */
  readonly apexRecord?: Route53Record;
  /** What the observability stack watches: the dimensions of the web tier's ELB and Auto Scaling metrics. */
  readonly webTier: WebTierMetrics;
  /** Where the site answers: `https://<domain>`, or `http://<load balancer DNS name>` without a domain. */
  readonly url: string;

  constructor(scope: Construct, props: ComputeStackProps) {
    super(scope, 'compute', props);
    const { network, database, sharedFiles } = props;
    const { web, domain } = this.environment;
    const certificateArn = network.certificateArn;
    if (domain !== undefined && certificateArn === undefined) {
      throw new Error(
        `${this.node.path}: the environment has a domain but the network stack has no certificate`,
      );
    }

    this.loadBalancer = new PublicLoadBalancer(this, 'load-balancer', {
      context: this.context,
      name: this.resourceName('web'),
      vpcId: network.vpcId,
      subnetIds: [...network.subnetIds.public],
      securityGroupId: network.securityGroupIds.alb,
      accessLogBucketName: this.resourceName(`web-alb-logs-${this.environment.accountId}`),
      accessLogRetentionDays: web.accessLogRetentionDays,
      accessLogBucketForceDestroy: !this.environment.deletionProtection,
      certificateArn,
      webAclArn: network.webAclArn,
      deletionProtection: this.environment.deletionProtection,
      idleTimeoutSeconds: web.idleTimeoutSeconds,
      targetType: 'instance',
      targetPort: 80,
      healthCheck: {
        path: web.healthCheck.path,
        matcher: web.healthCheck.matcher,
        intervalSeconds: web.healthCheck.intervalSeconds,
        timeoutSeconds: web.healthCheck.timeoutSeconds,
        healthyThreshold: web.healthCheck.healthyThreshold,
        unhealthyThreshold: web.healthCheck.unhealthyThreshold,
      },
      deregistrationDelaySeconds: web.deregistrationDelaySeconds,
    });
    // The network stack opened the load balancer group for these listeners, and only these.
    assertListenerPortsOpen(this, this.loadBalancer, network);

    this.webResources = new WebTierResources(this, 'web-resources', {
      context: this.context,
      namePrefix: this.environment.namePrefix,
      logRetentionDays: this.environment.logRetentionDays,
      // Unprotected environments are rebuilt often: a deleted secret must free its name at once.
      secretRecoveryWindowInDays: this.environment.deletionProtection ? 30 : 0,
    });
    const { wordpress } = web;
    this.url = domain !== undefined ? `https://${domain.name}` : this.loadBalancer.url;

    this.userData = renderWebUserData({
      region: this.environment.region,
      database: {
        address: database.address,
        port: Token.asString(database.port),
        name: database.wordpress.databaseName,
        secretArn: database.wordpress.secretArn,
      },
      fileSystem: { fileSystemId: sharedFiles.fileSystemId, accessPointId: sharedFiles.accessPointId },
      wordpress: {
        release: { version: wordpress.version, locale: wordpress.locale, sha256: wordpressSha256(wordpress) },
        wpCli: wordpress.wpCli,
        siteUrl: this.url,
        siteTitle: wordpress.siteTitle,
        adminUser: wordpress.adminUser,
        adminEmail: wordpress.adminEmail,
        adminSecretArn: this.webResources.adminSecret.arn,
        allowFileMods: wordpress.allowFileMods,
        cronIntervalMinutes: wordpress.cronIntervalMinutes,
      },
      php: {
        uploadMaxMegabytes: wordpress.uploadMaxMegabytes,
        workerMegabytes: wordpress.phpWorkerMegabytes,
        reservedMegabytes: wordpress.reservedMegabytes,
      },
      vpcCidr: this.environment.network.vpcCidr,
      loadBalancerIdleTimeoutSeconds: web.idleTimeoutSeconds,
      logGroupNames: this.webResources.logGroupNames,
      healthPagePath: web.healthCheck.path,
    });

    const architecture = instanceArchitecture(web.instanceType);
    if (architecture === undefined) {
      throw new Error(`${this.node.path}: web.instanceType "${web.instanceType}" has no known architecture`);
    }
    this.fleet = new WebServerFleet(this, 'web-servers', {
      context: this.context,
      name: this.resourceName('web'),
      // The data stack's file-system policy admits this role by name.
      roleName: efsClientRoleNames(this.environment.namePrefix).web,
      subnetIds: [...network.subnetIds.private],
      securityGroupId: network.securityGroupIds.web,
      imageId: web.imageId ?? ssmImageId(AMAZON_LINUX_2023_IMAGE_PARAMETERS[architecture]),
      instanceType: web.instanceType,
      userData: this.userData,
      targetGroupArns: [this.loadBalancer.targetGroup.arn],
      minSize: web.minSize,
      maxSize: web.maxSize,
      desiredCapacity: web.desiredCapacity,
      rootVolumeSizeGiB: web.rootVolumeSizeGiB,
      detailedMonitoring: web.detailedMonitoring,
      healthCheckGracePeriodSeconds: web.healthCheck.gracePeriodSeconds,
      cpuTargetPercent: web.cpuTargetPercent,
      cpuCredits: web.cpuCredits,
      instanceRefreshMinHealthyPercent: web.instanceRefreshMinHealthyPercent,
      mixedInstances: web.mixedInstances,
      // WordPress's own user's secret: the instance role can read no other (not the master secret).
      secret: { arn: database.wordpress.secretArn, kmsKeyArn: database.wordpress.secretKmsKeyArn },
      fileSystem: { arn: sharedFiles.fileSystemArn, accessPointArn: sharedFiles.accessPointArn },
      adminSecret: { arn: this.webResources.adminSecret.arn, kmsKeyArn: this.webResources.key.arn },
      cloudWatchAgent: {
        logGroupArns: Object.values(this.webResources.logGroups).map((group) => group.arn),
        namespace: WEB_AGENT_NAMESPACE,
      },
      instanceTags: this.defaultTags,
    });

    if (domain !== undefined) {
      this.apexRecord = new Route53Record(this, 'apex-alias', {
        zoneId: domain.hostedZoneId,
        name: domain.name,
        type: 'A',
        alias: {
          name: this.loadBalancer.dnsName,
          zoneId: this.loadBalancer.zoneId,
          evaluateTargetHealth: true,
        },
      });
    } else {
      Annotations.of(this).addWarning(
        "no domain configured: the web tier serves plain HTTP only, on the load balancer's AWS DNS name; set domain.name and domain.hostedZoneId for HTTPS",
      );
    }

    if (web.imageId === undefined) {
      Annotations.of(this).addWarning(
        'web.imageId is not set: every launch (scale-out, replacement) boots the latest Amazon Linux 2023 image, so the OS can change without a reviewed commit; pin web.imageId (docs/operations.md, "Pinning the image")',
      );
    }

    this.webTier = {
      loadBalancerArnSuffix: this.loadBalancer.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroupArnSuffix,
      autoScalingGroupName: this.fleet.autoScalingGroupName,
    };
    new TerraformOutput(this, 'url', { value: this.url, description: 'Where the web tier answers' });
  }
}
