/**
 * The tiers of a network: public (route to an internet gateway), private (route to NAT, if any) and
 * database (no route out at all). The one definition: the network module builds them, the config
 * schema plans their ranges, stacks hand their subnet ids to each other (stacks/contracts.ts).
 */
export const SUBNET_TIERS = ['public', 'private', 'database'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];
