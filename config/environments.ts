import type { EnvironmentInput } from './schema';

/**
 * The environments this project deploys. Everything not set here takes the defaults documented in
 * `schema.ts`, which model the reference estate (Tokyo, two AZs, 10.0.0.0/16).
 *
 * The account ids are placeholders: set each to the account that environment deploys to. Every
 * provider is pinned to its account (`allowed_account_ids`), so a plan run with credentials for any
 * other account fails before it reads or changes anything.
 */
export const environments: EnvironmentInput[] = [
  {
    name: 'dev',
    accountId: '111111111111',
    network: { natGateways: 'single' },
    logRetentionDays: 14,
    deletionProtection: false,
    web: {
      // Short drains make a dev deploy quick; Spot above one on-demand instance halves the bill.
      deregistrationDelaySeconds: 30,
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
    network: { natGateways: 'single' },
    logRetentionDays: 30,
    deletionProtection: false,
  },
  {
    name: 'prod',
    accountId: '333333333333',
    network: { natGateways: 'per-az' },
    logRetentionDays: 365,
    deletionProtection: true,
    waf: { enabled: true },
    web: { detailedMonitoring: true },
  },
];
