import type { Construct } from 'constructs';
import { natGatewayMetrics } from '../metrics';
import { AlarmGroup, type AlarmGroupProps } from './alarm-group';

export interface NatGatewayAlarmsProps extends AlarmGroupProps {
  /** NAT gateway ids keyed by a stable name (their zone); the key is part of the alarm name. */
  readonly natGateways: Readonly<Record<string, string>>;
  readonly thresholds: {
    /** Packets dropped per 5 minutes. */
    readonly packetsDropped: number;
  };
}

/**
 * Per NAT gateway (`AWS/NATGateway`, `modules/metrics/nat-gateway.ts`): source-port allocation errors
 * and dropped packets.
 */
export class NatGatewayAlarms extends AlarmGroup {
  constructor(scope: Construct, id: string, props: NatGatewayAlarmsProps) {
    super(scope, id, props, 'nat');
    for (const [key, natGatewayId] of Object.entries(props.natGateways)) {
      const metrics = natGatewayMetrics(natGatewayId);
      // Error counts: no traffic, no errors.
      this.addAlarm(`${key}-port-allocation-errors`, {
        description: `The NAT gateway in ${key} could not allocate a source port: too many concurrent connections to one destination. Spread the traffic or use VPC endpoints.`,
        metric: { ...metrics.portAllocationErrors, period: 300 },
        comparison: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      });
      this.addAlarm(`${key}-packets-dropped`, {
        description: `The NAT gateway in ${key} dropped more than ${props.thresholds.packetsDropped} packets in 5 minutes. Check the AWS Health Dashboard and the gateway's connection counts.`,
        metric: { ...metrics.packetsDropped, period: 300 },
        comparison: 'GreaterThanThreshold',
        threshold: props.thresholds.packetsDropped,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
      });
    }
  }
}
