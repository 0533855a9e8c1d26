import { bindCatalog, type MetricCatalog } from './metric';

const NAMESPACE = 'AWS/NATGateway';
const gateway = (metricName: string, unit: 'Count' | 'Bytes') =>
  ({ namespace: NAMESPACE, metricName, dimensionNames: ['NatGatewayId'], statistic: 'Sum', unit }) as const;

/**
 * A NAT gateway, dimensioned by `NatGatewayId` (Amazon VPC user guide, "CloudWatch metrics for NAT
 * gateways", "NAT gateway metrics and dimensions"); counts per period, so `Sum`.
 */
export const NAT_GATEWAY_METRICS = {
  /** Source ports it could not allocate: too many connections to one destination. */
  portAllocationErrors: gateway('ErrorPortAllocation', 'Count'),
  packetsDropped: gateway('PacketsDropCount', 'Count'),
  bytesOut: gateway('BytesOutToDestination', 'Bytes'),
} as const satisfies MetricCatalog<'NatGatewayId'>;

/** The metrics of the NAT gateway `natGatewayId`. */
export function natGatewayMetrics(natGatewayId: string) {
  return bindCatalog(NAT_GATEWAY_METRICS, { NatGatewayId: natGatewayId });
}
