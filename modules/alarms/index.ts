/** The estate's alarm groups, one file per service; each takes its metrics from `modules/metrics`. */
export {
  AlarmGroup,
  queryInput,
  type AlarmGroupProps,
  type AlarmSpec,
  type TreatMissingData,
} from './alarm-group';
export { BillingAlarm, type BillingAlarmProps } from './billing';
export { ContainerServiceAlarms, type ContainerServiceAlarmsProps } from './container-service';
export { DatabaseAlarms, type DatabaseAlarmsProps } from './database';
export { FileSystemAlarms, type FileSystemAlarmsProps } from './file-system';
export {
  LoadBalancerAlarms,
  type LoadBalancerAlarmsProps,
  type LoadBalancerThresholds,
} from './load-balancer';
export { NatGatewayAlarms, type NatGatewayAlarmsProps } from './nat-gateway';
export { WebTierAlarms, type WebTierAlarmsProps } from './web-tier';
