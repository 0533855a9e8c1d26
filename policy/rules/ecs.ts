/**
 * Amazon ECS: ECS Exec sessions encrypted and logged; on Fargate, task sizes, capacity providers and platform versions the ECS API accepts
 * only at apply, or that start no task at run time.
 */
import {
  FARGATE_EFS_PLATFORM_VERSION,
  FARGATE_TASK_SIZES,
  platformVersionBelow,
} from '../../config/containers';
import type { Rule } from '../rule';
import { asNumber, asStrings, block, blocks, isSet, isTrue, type SynthesizedResource } from '../synthesized';
import { failIf } from './helpers';

/** Whether a service runs on Fargate: its launch type, or a Fargate capacity provider in its strategy. */
function onFargate(service: SynthesizedResource): boolean {
  return (
    service.config.launch_type === 'FARGATE' ||
    blocks(service.config.capacity_provider_strategy).some((s) =>
      ['FARGATE', 'FARGATE_SPOT'].includes(String(s.capacity_provider)),
    )
  );
}

/** The task architecture: `runtime_platform.cpu_architecture`, X86_64 when unset (ECS's default). */
function architectureOf(taskDefinition: SynthesizedResource): string {
  const architecture = block(taskDefinition.config.runtime_platform).cpu_architecture;
  return typeof architecture === 'string' ? architecture : 'X86_64';
}

export const ECS_RULES: readonly Rule[] = [
  {
    id: 'GR-ECS-1',
    info: 'ECS Exec sessions are encrypted with KMS and logged to an encrypted destination.',
    explanation:
      'ECS Exec is a shell in production: its session data must use a customer key ' +
      '(execute_command_configuration.kms_key_id) and every session must be logged (logging = OVERRIDE ' +
      'to a CloudWatch log group or S3 bucket, with encryption enabled).',
    resourceTypes: ['aws_ecs_cluster'],
    severity: 'error',
    check: (cluster) => {
      const exec = block(block(cluster.config.configuration).execute_command_configuration);
      const logs = block(exec.log_configuration);
      const logged =
        exec.logging === 'OVERRIDE' &&
        ((isSet(logs.cloud_watch_log_group_name) && isTrue(logs.cloud_watch_encryption_enabled)) ||
          (isSet(logs.s3_bucket_name) && isTrue(logs.s3_bucket_encryption_enabled)));
      return [
        ...failIf(
          !isSet(exec.kms_key_id),
          'configuration.execute_command_configuration.kms_key_id is not set',
        ),
        ...failIf(
          !logged,
          'execute_command_configuration does not log (OVERRIDE) to an encrypted log group or bucket',
        ),
      ];
    },
  },
  {
    id: 'GR-ECS-2',
    info: 'Services that use FARGATE_SPOT run X86_64 task definitions.',
    explanation:
      'Fargate Spot runs Linux tasks of the X86_64 architecture only; ARM64 tasks do not support it ' +
      '(Amazon ECS developer guide, "AWS Fargate capacity providers", considerations). With FARGATE_SPOT ' +
      '(weight or base above 0) in its strategy, the service hands ARM64 tasks to capacity that cannot run them. ' +
      'Checked where the task definition is in the same stack.',
    resourceTypes: ['aws_ecs_service'],
    severity: 'error',
    check: (service, { stack }) => {
      const spot = blocks(service.config.capacity_provider_strategy).some(
        (s) =>
          s.capacity_provider === 'FARGATE_SPOT' &&
          ((asNumber(s.weight) ?? 0) > 0 || (asNumber(s.base) ?? 0) > 0),
      );
      const taskDefinition = stack.follow(service, 'task_definition');
      if (!spot || taskDefinition?.type !== 'aws_ecs_task_definition') return [];
      const architecture = architectureOf(taskDefinition);
      return architecture === 'X86_64'
        ? []
        : [
            `capacity_provider_strategy uses FARGATE_SPOT for a task definition of architecture ${architecture}`,
          ];
    },
  },
  {
    id: 'GR-ECS-3',
    info: `Fargate services with EFS volumes or ECS Exec run platform version LATEST or ${FARGATE_EFS_PLATFORM_VERSION} and later.`,
    explanation:
      `Fargate mounts EFS volumes and runs ECS Exec from platform version ${FARGATE_EFS_PLATFORM_VERSION} ` +
      '(Amazon ECS developer guide, "Fargate Linux platform versions", "Use Amazon EFS volumes with ' +
      'Amazon ECS" and "Monitor Amazon ECS containers with ECS Exec"); a service pinned to an older ' +
      'version cannot start its tasks or open Exec sessions. Checked where the task definition is in the ' +
      'same stack.',
    resourceTypes: ['aws_ecs_service'],
    severity: 'error',
    check: (service, { stack }) => {
      const version = service.config.platform_version;
      if (typeof version !== 'string' || !onFargate(service)) return [];
      if (!platformVersionBelow(version, FARGATE_EFS_PLATFORM_VERSION)) return [];
      const taskDefinition = stack.follow(service, 'task_definition');
      const efs =
        taskDefinition?.type === 'aws_ecs_task_definition' &&
        blocks(taskDefinition.config.volume).some((v) => blocks(v.efs_volume_configuration).length > 0);
      return [
        ...(efs ? [`platform_version ${version} cannot mount the task definition's EFS volumes`] : []),
        ...(isTrue(service.config.enable_execute_command)
          ? [`platform_version ${version} cannot run ECS Exec (enable_execute_command)`]
          : []),
      ];
    },
  },
  {
    id: 'GR-ECS-4',
    info: 'Fargate task definitions set a task CPU and memory pair Fargate offers.',
    explanation:
      'Fargate runs only certain task sizes: 256 CPU units with 512, 1024 or 2048 MiB, 512 with 1-4 GiB, ' +
      '1024 with 2-8 GiB, 2048 with 4-16 GiB, 4096 with 8-30 GiB (1 GiB steps), 8192 with 16-60 GiB (4 GiB ' +
      'steps), 16384 with 32-120 GiB (8 GiB steps) (Amazon ECS developer guide, "Amazon ECS task ' +
      'definition parameters for Fargate", Task size). RegisterTaskDefinition refuses any other pair, ' +
      'and a task definition for Fargate must set both.',
    resourceTypes: ['aws_ecs_task_definition'],
    severity: 'error',
    check: (taskDefinition) => {
      if (!asStrings(taskDefinition.config.requires_compatibilities).includes('FARGATE')) return [];
      const { cpu: cpuValue, memory: memoryValue } = taskDefinition.config;
      if (cpuValue === undefined || memoryValue === undefined)
        return ['cpu and memory are not both set (Fargate needs the task size)'];
      const cpu = asNumber(cpuValue);
      const memory = asNumber(memoryValue);
      if (cpu === undefined || memory === undefined) return []; // references: known only at apply
      const memories = FARGATE_TASK_SIZES[cpu];
      if (memories === undefined) return [`cpu ${cpu} is not a Fargate task CPU size`];
      return memories.includes(memory)
        ? []
        : [`memory ${memory} MiB is not offered with cpu ${cpu} on Fargate`];
    },
  },
];
