import type { EnvironmentInput } from './schema';

/**
 * The environments this project deploys. Everything not set here takes the defaults documented in
 * `schema.ts`, which model the reference estate (Tokyo, two AZs, 10.0.0.0/16).
 *
 * The account ids, prod's domain and hosted zone id and its alarm address are placeholders: set each to the account that environment deploys to. Every
 * provider is pinned to its account (`allowed_account_ids`), so a plan run with credentials for any
 * other account fails before it reads or changes anything.
 */
/**
 * The repository whose workflow plans and deploys every environment (`github.ts`); like the account
 * ids, set it to yours. Each environment has its own account, so each creates its OIDC provider.
 */
const github = { repository: 'example-org/aws-and-infra' };

export const environments: EnvironmentInput[] = [
  {
    name: 'dev',
    accountId: '111111111111',
    github,
    network: { natGateways: 'single' },
    logRetentionDays: 14,
    deletionProtection: false,
    // The smallest class, without Performance Insights (it does not run on micro) or AWS Backup.
    data: {
      database: { instanceClass: 'db.t4g.micro', performanceInsights: false },
      backup: { enabled: false },
    },
    // Mostly Spot: one on-demand task, then three Spot tasks for every on-demand one.
    containers: { capacityProviders: { FARGATE: { base: 1, weight: 1 }, FARGATE_SPOT: { weight: 3 } } },
    observability: {
      // Add the addresses that should hear about this environment's alarms (each confirms by e-mail).
      alarmEmails: [],
      // Five-minute CPU alarm: dev saves the detailed-monitoring charge (web.detailedMonitoring below).
      thresholds: { billingUsd: 10, web: { cpuPeriodSeconds: 300 } },
      // One trail per account: each environment has its own account, so each owns its trail.
      auditTrail: { owner: true, cloudWatchLogs: false },
    },
    web: {
      // Burstable, unlimited credits: idle most of the day, the 24-hour average stays below the 20 %
      // baseline; a sustained load test above it bills surplus credits instead of being throttled.
      instanceType: 't4g.small',
      cpuCredits: 'unlimited',
      // Short drains make a dev deploy quick; Spot above one on-demand instance halves the bill.
      deregistrationDelaySeconds: 30,
      detailedMonitoring: false,
      mixedInstances: {
        onDemandBaseCapacity: 1,
        onDemandPercentageAboveBaseCapacity: 0,
        extraInstanceTypes: ['t4g.medium'],
      },
    },
  },
  {
    name: 'stg',
    accountId: '222222222222',
    github,
    network: { natGateways: 'single' },
    logRetentionDays: 30,
    deletionProtection: false,
    data: { backup: { enabled: false } },
    // As dev: burstable and unlimited, mostly idle between test runs.
    web: { instanceType: 't4g.small', cpuCredits: 'unlimited' },
    containers: { capacityProviders: { FARGATE: { base: 1, weight: 1 }, FARGATE_SPOT: { weight: 1 } } },
    observability: {
      alarmEmails: [],
      thresholds: { billingUsd: 30 },
      auditTrail: { owner: true, cloudWatchLogs: false },
    },
  },
  {
    name: 'prod',
    accountId: '333333333333',
    github,
    network: { natGateways: 'per-az' },
    logRetentionDays: 365,
    deletionProtection: true,
    // Vault lock in governance mode (removable by a principal allowed to, never by accident) and a
    // copy of every recovery point in Osaka, under keys of their own.
    data: {
      database: { multiAz: true },
      backup: { enabled: true, vaultLock: true, copyRegion: 'ap-northeast-3' },
    },
    // On-demand only, one task per zone at all times.
    containers: { capacityProviders: { FARGATE: { base: 1, weight: 1 } }, desiredCount: 2, minCapacity: 2 },
    observability: {
      // A protected environment must name at least one subscriber: set the team's address.
      alarmEmails: ['ops@example.com'],
      // Per-zone NAT gateways and a Multi-AZ database cost more than the dev default of 10 USD.
      thresholds: { billingUsd: 150 },
      auditTrail: { owner: true, cloudWatchLogs: true, retentionDays: 2557 },
    },
    // Placeholders like the account id: prod serves HTTPS only (deletionProtection requires a domain).
    // Set the apex the site answers on and the id of its Route 53 public hosted zone in this account.
    domain: { name: 'example.com', hostedZoneId: 'Z00000000000000000000' },
    waf: { enabled: true },
    // Not burstable: auto scaling holds the average at 50 % CPU, above a t4g's 20 % baseline, which
    // would bill surplus credits around the clock (unlimited) or throttle the site (standard).
    web: { instanceType: 'm7g.medium' },
  },
];
