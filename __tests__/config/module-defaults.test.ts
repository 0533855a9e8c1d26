import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { AuditTrail, type AuditTrailProps } from '../../modules/audit-trail';
import { DailyBackups, type DailyBackupsProps } from '../../modules/backup-plan';
import { ContainerRepository, type ContainerRepositoryProps } from '../../modules/container-repository';
import { MysqlDatabase, type MysqlDatabaseProps } from '../../modules/database';
import { DatabaseUsers, type DatabaseUsersProps } from '../../modules/database-users';
import { FargateCluster } from '../../modules/fargate-cluster';
import { FargateService, type FargateServiceProps } from '../../modules/fargate-service';
import { Network, type NetworkProps } from '../../modules/network';
import { PublicLoadBalancer, type PublicLoadBalancerProps } from '../../modules/public-load-balancer';
import {
  ApplicationSecurityGroups,
  type ApplicationSecurityGroupsProps,
} from '../../modules/security-groups';
import { WebAcl, type WebAclProps } from '../../modules/web-acl';
import {
  AMAZON_LINUX_2023_IMAGE_PARAMETERS,
  ssmImageId,
  WebServerFleet,
  type WebServerFleetProps,
} from '../../modules/web-server-fleet';
import { DEFAULT_HEALTH_PAGE_PATH } from '../../modules/web-user-data';
import { testEnvironment } from '../helpers';

/**
 * One home per default. A setting the configuration defaults (config/*.ts) that a module defaults too
 * (`@default` + `??`) keeps its module default only for the module's other users, and then the two
 * must be equal: each module below, built with its own defaults and built with the configuration's
 * defaults for those props, synthesizes the same Terraform (props a stack derives from a setting,
 * such as force-destroy from `deletionProtection`, included). Where they disagreed (web.detailedMonitoring,
 * web.cpuTargetPercent, web.desiredCapacity, the load balancer's health-check path and deletion
 * protection, waf.bodyRuleExemptPaths, the file system's prevent-destroy and automatic backups) the
 * module prop is required and the configuration is the only home.
 */

const config = testEnvironment();
const { web, data, containers, waf, network, observability } = config;
const mixed = testEnvironment({ web: { mixedInstances: {} } }).web.mixedInstances!;
const healthCheck = testEnvironment({ containers: { containerHealthCheck: { command: 'true' } } }).containers
  .containerHealthCheck!;

const context = { accountId: '123456789012', region: 'ap-northeast-1', partition: 'aws' };
const KEY = 'arn:aws:kms:ap-northeast-1:123456789012:key/k';

interface DefaultPair<P> {
  /** The configuration settings this module also defaults. */
  readonly settings: readonly string[];
  /** The module with the props it requires, and `given`. */
  readonly build: (scope: Construct, given: Partial<P>) => void;
  /** The configuration's defaults, as the module's props. */
  readonly configured: Partial<P>;
}

const pair = <P>(value: DefaultPair<P>): DefaultPair<unknown> => value as DefaultPair<unknown>;

const PAIRS: Readonly<Record<string, DefaultPair<unknown>>> = {
  Network: pair<NetworkProps>({
    settings: ['network.natGateways', 'network.interfaceEndpoints'],
    build: (scope, given) =>
      new Network(scope, 'network', {
        context,
        namePrefix: 'proj-dev',
        cidr: '10.0.0.0/16',
        availabilityZones: ['ap-northeast-1a'],
        subnets: {
          public: { 'ap-northeast-1a': '10.0.10.0/24' },
          private: { 'ap-northeast-1a': '10.0.20.0/24' },
          database: { 'ap-northeast-1a': '10.0.30.0/24' },
        },
        flowLogs: { retentionDays: 30, kmsKeyArn: KEY },
        ...given,
      }),
    configured: { natGateways: network.natGateways, interfaceEndpoints: network.interfaceEndpoints },
  }),
  ApplicationSecurityGroups: pair<ApplicationSecurityGroupsProps>({
    settings: ['containers.containerPort'],
    build: (scope, given) =>
      new ApplicationSecurityGroups(scope, 'groups', { vpcId: 'vpc-1', namePrefix: 'proj-dev', ...given }),
    configured: { containerPort: containers.containerPort },
  }),
  WebAcl: pair<WebAclProps>({
    settings: ['waf.rateLimitPer5Minutes'],
    build: (scope, given) =>
      new WebAcl(scope, 'web-acl', {
        name: 'proj-dev-web-acl',
        bodyRuleExemptPaths: [],
        logs: { retentionDays: 30, kmsKeyArn: KEY },
        ...given,
      }),
    configured: { rateLimitPer5Minutes: waf.rateLimitPer5Minutes },
  }),
  'PublicLoadBalancer (web tier)': pair<PublicLoadBalancerProps>({
    settings: [
      'web.healthCheck.{matcher,intervalSeconds,timeoutSeconds,healthyThreshold,unhealthyThreshold}',
      'web.idleTimeoutSeconds',
      'web.accessLogRetentionDays',
      'web.deregistrationDelaySeconds',
      'deletionProtection (access-log bucket force-destroy)',
    ],
    build: (scope, given) =>
      new PublicLoadBalancer(scope, 'web', {
        context,
        name: 'proj-dev-web',
        vpcId: 'vpc-1',
        subnetIds: ['subnet-a', 'subnet-c'],
        securityGroupId: 'sg-alb',
        accessLogBucketName: 'proj-dev-web-logs-123456789012',
        targetType: 'instance',
        healthCheck: { path: '/' },
        deletionProtection: config.deletionProtection,
        ...given,
      }),
    configured: {
      healthCheck: {
        path: '/',
        matcher: web.healthCheck.matcher,
        intervalSeconds: web.healthCheck.intervalSeconds,
        timeoutSeconds: web.healthCheck.timeoutSeconds,
        healthyThreshold: web.healthCheck.healthyThreshold,
        unhealthyThreshold: web.healthCheck.unhealthyThreshold,
      },
      idleTimeoutSeconds: web.idleTimeoutSeconds,
      accessLogRetentionDays: web.accessLogRetentionDays,
      deregistrationDelaySeconds: web.deregistrationDelaySeconds,
      accessLogBucketForceDestroy: !config.deletionProtection,
    },
  }),
  'PublicLoadBalancer (containers)': pair<PublicLoadBalancerProps>({
    settings: ['containers.containerPort'],
    build: (scope, given) =>
      new PublicLoadBalancer(scope, 'app', {
        context,
        name: 'proj-dev-app',
        vpcId: 'vpc-1',
        subnetIds: ['subnet-a', 'subnet-c'],
        securityGroupId: 'sg-alb',
        accessLogBucketName: 'proj-dev-app-logs-123456789012',
        targetType: 'ip',
        healthCheck: { path: '/' },
        deletionProtection: config.deletionProtection,
        ...given,
      }),
    configured: { targetPort: containers.containerPort },
  }),
  WebServerFleet: pair<WebServerFleetProps>({
    settings: [
      'web.minSize',
      'web.maxSize',
      'web.rootVolumeSizeGiB',
      'web.healthCheck.gracePeriodSeconds',
      'web.instanceRefreshMinHealthyPercent',
      'web.mixedInstances.*',
    ],
    build: (scope, given) =>
      new WebServerFleet(scope, 'web', {
        context,
        name: 'proj-dev-web',
        roleName: 'proj-dev-web-instance',
        subnetIds: ['subnet-a', 'subnet-c'],
        securityGroupId: 'sg-web',
        imageId: ssmImageId(AMAZON_LINUX_2023_IMAGE_PARAMETERS.arm64),
        instanceType: 't4g.small',
        userData: '#!/bin/bash\n',
        targetGroupArns: ['arn:tg'],
        desiredCapacity: 2,
        detailedMonitoring: true,
        cpuTargetPercent: 50,
        mixedInstances: {},
        ...given,
      }),
    configured: {
      minSize: web.minSize,
      maxSize: web.maxSize,
      rootVolumeSizeGiB: web.rootVolumeSizeGiB,
      healthCheckGracePeriodSeconds: web.healthCheck.gracePeriodSeconds,
      instanceRefreshMinHealthyPercent: web.instanceRefreshMinHealthyPercent,
      mixedInstances: mixed,
    },
  }),
  MysqlDatabase: pair<MysqlDatabaseProps>({
    settings: ['data.database.*', 'logRetentionDays', 'deletionProtection'],
    build: (scope, given) =>
      new MysqlDatabase(scope, 'mysql', {
        context,
        identifier: 'proj-dev-mysql',
        engineVersion: '8.4',
        instanceClass: 'db.t4g.medium',
        subnetIds: ['subnet-a', 'subnet-c'],
        securityGroupIds: ['sg-db'],
        kmsKeyArn: KEY,
        databaseName: 'wordpress',
        ...given,
      }),
    configured: {
      extendedSupport: data.database.extendedSupport,
      masterUsername: data.database.masterUsername,
      allocatedStorageGb: data.database.allocatedStorageGb,
      maxAllocatedStorageGb: data.database.maxAllocatedStorageGb,
      multiAz: data.database.multiAz,
      backupRetentionDays: data.database.backupRetentionDays,
      backupWindow: data.database.backupWindow,
      maintenanceWindow: data.database.maintenanceWindow,
      performanceInsights: data.database.performanceInsights,
      performanceInsightsRetentionDays: data.database.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: data.database.monitoringIntervalSeconds,
      logRetentionDays: config.logRetentionDays,
      protect: config.deletionProtection,
    },
  }),
  DatabaseUsers: pair<DatabaseUsersProps>({
    settings: ['data.database.credentialsRotationDays', 'logRetentionDays'],
    build: (scope, given) =>
      new DatabaseUsers(scope, 'users', {
        context,
        name: 'proj-dev-db-users',
        code: { zipPath: __filename, inputHash: 'abc123', sourceCodeHash: 'c29tZSBoYXNo' },
        subnetIds: ['subnet-a', 'subnet-c'],
        securityGroupId: 'sg-db-admin',
        database: { address: 'db.internal', port: 3306, masterSecretArn: 'arn:secret' },
        kmsKeyArn: KEY,
        applications: { wordpress: { databaseName: 'wordpress' } },
        ...given,
      }),
    configured: {
      rotationDays: data.database.credentialsRotationDays,
      logRetentionDays: config.logRetentionDays,
    },
  }),
  DailyBackups: pair<DailyBackupsProps>({
    settings: ['data.backup.vaultLock', 'deletionProtection (force-destroy)'],
    build: (scope, given) =>
      new DailyBackups(scope, 'backups', {
        context,
        name: 'proj-dev-data',
        kmsKeyArn: KEY,
        resourceArns: ['arn:db'],
        retentionDays: 35,
        ...given,
      }),
    configured: { vaultLock: data.backup.vaultLock, forceDestroy: !config.deletionProtection },
  }),
  ContainerRepository: pair<ContainerRepositoryProps>({
    settings: [
      'containers.repositories.<name>.mutableTags',
      'containers.untaggedImageExpiryDays',
      'containers.taggedImagesKept',
      'deletionProtection (force-delete)',
    ],
    build: (scope, given) =>
      new ContainerRepository(scope, 'app', { name: 'proj-dev/app', kmsKeyArn: KEY, ...given }),
    configured: {
      mutableTags: containers.repositories.app.mutableTags,
      untaggedImageExpiryDays: containers.untaggedImageExpiryDays,
      taggedImagesKept: containers.taggedImagesKept,
      forceDelete: !config.deletionProtection,
    },
  }),
  FargateService: pair<FargateServiceProps>({
    settings: [
      'containers.architecture',
      'containers.readonlyRootFilesystem',
      'containers.execEnabled',
      'containers.platformVersion',
      'containers.capacityProviders',
      'containers.desiredCount',
      'containers.healthCheckGracePeriodSeconds',
      'containers.{cpuTargetPercent,scaleOutCooldownSeconds,scaleInCooldownSeconds}',
    ],
    build: (scope, given) => {
      const cluster = new FargateCluster(scope, 'cluster', {
        context,
        name: 'proj-dev',
        execLogGroupName: '/proj-dev/ecs/exec',
        execLogRetentionDays: 30,
        logsKmsKeyArn: KEY,
      });
      new FargateService(scope, 'app', {
        context,
        name: 'proj-dev-app',
        cluster,
        cpu: 512,
        memory: 1024,
        taskRoleName: 'proj-dev-app-task',
        container: { name: 'app', image: 'public.ecr.aws/nginx/nginx:stable', port: 80 },
        logs: { groupName: '/proj-dev/ecs/app', retentionDays: 30, kmsKeyArn: KEY },
        subnetIds: ['subnet-a', 'subnet-c'],
        securityGroupIds: ['sg-tasks'],
        loadBalancer: { targetGroupArn: 'arn:tg', dependsOn: [] },
        autoScaling: { minCapacity: 1, maxCapacity: 3 },
        ...given,
      });
    },
    configured: {
      architecture: containers.architecture,
      container: {
        name: 'app',
        image: 'public.ecr.aws/nginx/nginx:stable',
        port: 80,
        readonlyRootFilesystem: containers.readonlyRootFilesystem,
      },
      execEnabled: containers.execEnabled,
      platformVersion: containers.platformVersion,
      capacityProviderStrategy: Object.entries(containers.capacityProviders).map(([name, share]) => ({
        capacityProvider: name as 'FARGATE' | 'FARGATE_SPOT',
        base: share.base,
        weight: share.weight,
      })),
      desiredCount: containers.desiredCount,
      loadBalancer: {
        targetGroupArn: 'arn:tg',
        dependsOn: [],
        healthCheckGracePeriodSeconds: containers.healthCheckGracePeriodSeconds,
      },
      autoScaling: {
        minCapacity: 1,
        maxCapacity: 3,
        cpuTargetPercent: containers.cpuTargetPercent,
        scaleOutCooldownSeconds: containers.scaleOutCooldownSeconds,
        scaleInCooldownSeconds: containers.scaleInCooldownSeconds,
      },
    },
  }),
  'FargateService (container health check)': pair<FargateServiceProps>({
    settings: ['containers.containerHealthCheck.{intervalSeconds,timeoutSeconds,retries,startPeriodSeconds}'],
    build: (scope, given) =>
      PAIRS.FargateService.build(scope, {
        container: {
          name: 'app',
          image: 'public.ecr.aws/nginx/nginx:stable',
          port: 80,
          healthCheck: { command: 'true' },
        },
        ...given,
      }),
    configured: {
      container: {
        name: 'app',
        image: 'public.ecr.aws/nginx/nginx:stable',
        port: 80,
        healthCheck: healthCheck,
      },
    },
  }),
  AuditTrail: pair<AuditTrailProps>({
    settings: ['observability.auditTrail.retentionDays', 'deletionProtection'],
    build: (scope, given) =>
      new AuditTrail(scope, 'audit', {
        trailName: 'proj-dev-trail',
        bucketName: 'proj-dev-cloudtrail-123456789012',
        context,
        ...given,
      }),
    configured: {
      retentionDays: observability.auditTrail.retentionDays,
      preventDestroy: config.deletionProtection,
    },
  }),
};

const synth = (build: (scope: Construct) => void) => JSON.parse(Testing.synthScope(build)) as unknown;

describe('a setting defaulted by both the configuration and a module has the same default in both', () => {
  test.each(Object.entries(PAIRS).map(([name, value]) => [`${name}: ${value.settings.join(', ')}`, value]))(
    '%s',
    (_name, { build, configured }) => {
      expect(synth((scope) => build(scope, configured))).toEqual(synth((scope) => build(scope, {})));
    },
  );

  test('the drift check notices a disagreement (a configured value other than the default)', () => {
    const { build } = PAIRS.WebServerFleet;
    expect(synth((scope) => build(scope, { rootVolumeSizeGiB: web.rootVolumeSizeGiB + 1 }))).not.toEqual(
      synth((scope) => build(scope, {})),
    );
  });

  test("the web tier's health page is where the configuration's health check looks by default", () => {
    expect(web.healthCheck.path).toBe(DEFAULT_HEALTH_PAGE_PATH);
  });
});
