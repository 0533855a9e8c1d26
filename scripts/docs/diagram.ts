import { TerraformStack, type App } from 'cdktf';

/**
 * A Mermaid diagram of the estate, read from the app itself: one node per stack with its main
 * resources (counted in its synthesized configuration), an arrow from each stack to every stack that
 * reads its outputs (cdktf's stack dependencies), labelled with what it reads, and a dotted arrow from
 * the stack whose bucket keeps another stack's state.
 */

/** What a resource type is called in the diagram (`×n` when there are several); types not listed count as supporting resources. */
export const MAIN_RESOURCES: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'S3 bucket',
  aws_dynamodb_table: 'DynamoDB table',
  aws_kms_key: 'KMS key',
  aws_vpc: 'VPC',
  aws_subnet: 'subnet',
  aws_internet_gateway: 'internet gateway',
  aws_nat_gateway: 'NAT gateway',
  aws_vpc_endpoint: 'VPC endpoint',
  aws_flow_log: 'flow log',
  aws_security_group: 'security group',
  aws_acm_certificate: 'ACM certificate',
  aws_wafv2_web_acl: 'WAF web ACL',
  aws_db_instance: 'RDS MySQL',
  aws_efs_file_system: 'EFS file system',
  aws_efs_access_point: 'EFS access point',
  aws_backup_vault: 'AWS Backup vault',
  aws_backup_plan: 'backup plan',
  aws_secretsmanager_secret: 'secret',
  aws_lambda_function: 'Lambda function',
  aws_lb: 'load balancer',
  aws_lb_target_group: 'target group',
  aws_launch_template: 'launch template',
  aws_autoscaling_group: 'Auto Scaling group',
  aws_ecr_repository: 'ECR repository',
  aws_ecs_cluster: 'ECS cluster',
  aws_ecs_task_definition: 'task definition',
  aws_ecs_service: 'Fargate service',
  aws_sns_topic: 'SNS topic',
  aws_cloudwatch_metric_alarm: 'alarm',
  aws_cloudwatch_dashboard: 'dashboard',
  aws_cloudtrail: 'CloudTrail',
  aws_iam_openid_connect_provider: 'OIDC provider',
};

interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, unknown>>;
  readonly output?: Record<string, { value?: unknown }>;
  readonly terraform?: { backend?: { s3?: { bucket?: string } } };
}

/** The diagram of every stack of `app` (prepared here: cross-stack references become outputs). */
export function estateDiagram(app: App): string {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  for (const stack of stacks) stack.prepareStack();
  const configs = new Map(stacks.map((stack) => [stack, stack.toTerraform() as SynthesizedStack]));
  const nodeId = (stack: TerraformStack) => stack.node.id.replace(/[^A-Za-z0-9_]/g, '_');

  const lines = ['flowchart TB'];
  for (const stack of stacks) {
    const config = configs.get(stack)!;
    const counts = Object.entries(config.resource ?? {}).map(
      ([type, byName]) => [type, Object.keys(byName).length] as const,
    );
    const main = counts
      .filter(([type]) => type in MAIN_RESOURCES)
      .map(([type, count]) => (count > 1 ? `${MAIN_RESOURCES[type]} ×${count}` : MAIN_RESOURCES[type]));
    const supporting = counts
      .filter(([type]) => !(type in MAIN_RESOURCES))
      .reduce((sum, [, n]) => sum + n, 0);
    const text = [`<b>${stack.node.id}</b>`, ...wrap(main, 4)];
    if (supporting > 0) text.push(`+ ${supporting} supporting resources`);
    lines.push(`  ${nodeId(stack)}["${text.join('<br/>')}"]`);
  }

  for (const consumer of stacks) {
    for (const producer of [...consumer.dependencies].sort(byPosition(stacks))) {
      if (!(producer instanceof TerraformStack)) continue;
      const read = typesRead(configs.get(producer)!, configs.get(consumer)!);
      const label = read.map((type) => MAIN_RESOURCES[type] ?? type).join(', ');
      lines.push(`  ${nodeId(producer)} -->${label ? `|${label}|` : ''} ${nodeId(consumer)}`);
    }
  }

  const buckets = new Map<string, TerraformStack>();
  for (const [stack, config] of configs)
    for (const bucket of Object.values(config.resource?.aws_s3_bucket ?? {}))
      if (typeof (bucket as { bucket?: unknown }).bucket === 'string')
        buckets.set((bucket as { bucket: string }).bucket, stack);
  for (const [stack, config] of configs) {
    const holder = buckets.get(config.terraform?.backend?.s3?.bucket ?? '');
    if (holder && holder !== stack) lines.push(`  ${nodeId(holder)} -.->|state| ${nodeId(stack)}`);
  }
  return lines.join('\n');
}

/** The resource types of `producer` whose attributes `consumer` reads through its remote state. */
function typesRead(producer: SynthesizedStack, consumer: SynthesizedStack): string[] {
  const consumerText = JSON.stringify(consumer);
  const types = new Set<string>();
  for (const [name, output] of Object.entries(producer.output ?? {})) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!new RegExp(`\\.outputs\\.${escaped}(?![\\w-])`).test(consumerText)) continue;
    for (const match of JSON.stringify(output.value ?? '').matchAll(/\$\{([a-z0-9_]+)\./g))
      types.add(match[1]);
  }
  return [...types].sort((a, b) => typeOrder(a) - typeOrder(b) || a.localeCompare(b));
}

function typeOrder(type: string): number {
  const index = Object.keys(MAIN_RESOURCES).indexOf(type);
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

function byPosition(stacks: readonly TerraformStack[]) {
  return (a: unknown, b: unknown) =>
    stacks.indexOf(a as TerraformStack) - stacks.indexOf(b as TerraformStack);
}

/** `items` joined with commas, `perLine` to a line. */
function wrap(items: readonly string[], perLine: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return lines;
}
