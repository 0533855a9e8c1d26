import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { checkStack } from '../../policy/guardrails';
import { ECS_FIXTURES } from './fixtures/ecs';

const app = Testing.app();
let stacks = 0;

/** The reasons the ECS rules give for one fixture. */
function reasonsOf(what: string): string[] {
  const fixture = [...ECS_FIXTURES.violating, ...ECS_FIXTURES.compliant].find((f) => f.what === what)!;
  const stack = new TerraformStack(app, `ecs-${++stacks}`);
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  fixture.build(stack);
  return checkStack(stack, { protectedEnvironment: true })
    .findings.filter((f) => f.ruleId === fixture.rule)
    .map((f) => f.reason);
}

describe('ECS rules name what AWS refuses', () => {
  test.each([
    [
      'an ARM64 service weighted onto FARGATE_SPOT',
      ['capacity_provider_strategy uses FARGATE_SPOT for a task definition of architecture ARM64'],
    ],
    [
      'a service on platform 1.3.0 whose task mounts EFS',
      ["platform_version 1.3.0 cannot mount the task definition's EFS volumes"],
    ],
    [
      'a service on platform 1.3.0 with ECS Exec',
      ['platform_version 1.3.0 cannot run ECS Exec (enable_execute_command)'],
    ],
    [
      'a Fargate task of 512 CPU units and 5120 MiB (above the range)',
      ['memory 5120 MiB is not offered with cpu 512 on Fargate'],
    ],
    ['a Fargate task of 3072 CPU units (not a Fargate size)', ['cpu 3072 is not a Fargate task CPU size']],
    ['a Fargate task without memory', ['cpu and memory are not both set (Fargate needs the task size)']],
  ])('%s', (what, reasons) => {
    expect(reasonsOf(what)).toEqual(reasons);
  });
});
