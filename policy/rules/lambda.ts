/**
 * Lambda rules: what the Lambda API refuses when it creates or updates a function.
 */
import { actionMatches } from '../../modules/ci-read-permissions';
import type { Rule } from '../rule';
import {
  asStrings,
  block,
  type PolicyStatement,
  type SynthesizedResource,
  type SynthesizedStack,
} from '../synthesized';

/**
 * The Node.js runtimes Lambda still lists, with the day it stops creating functions on each
 * (AWS Lambda developer guide, "Building Lambda functions with Node.js", supported runtimes table:
 * "Block function create"; a day later it also refuses updates). A runtime not listed here is
 * either older (nodejs18.x and before: creation and updates already blocked) or newer than this
 * table: add it, with its dates from that page.
 */
export const NODE_RUNTIME_BLOCK_CREATE: Readonly<Record<string, string>> = {
  'nodejs20.x': '2026-08-31',
  'nodejs22.x': '2027-06-01',
  'nodejs24.x': '2028-06-01',
};

/**
 * Why Lambda refuses to create a function on `runtime` on `day` (YYYY-MM-DD), or undefined when
 * it creates it. Only Node.js runtimes are judged; the project builds no other kind.
 */
export function runtimeRefusal(runtime: string, day: string): string | undefined {
  if (!runtime.startsWith('nodejs')) return undefined;
  const blocked = NODE_RUNTIME_BLOCK_CREATE[runtime];
  if (blocked === undefined)
    return `runtime ${runtime} is not in the table of Node.js runtimes Lambda supports (policy/rules/lambda.ts)`;
  return day >= blocked
    ? `runtime ${runtime} is deprecated: Lambda refuses to create functions on it since ${blocked}, and to update them soon after`
    : undefined;
}

/**
 * What a function's execution role needs for Lambda to create and remove the function's network
 * interfaces in a VPC (AWS Lambda developer guide, "Giving Lambda functions access to resources in an
 * Amazon VPC", required IAM permissions; the AWS managed policy AWSLambdaVPCAccessExecutionRole).
 */
export const VPC_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;

/** AWS managed policies that grant VPC_ENI_ACTIONS. */
const ENI_MANAGED_POLICY =
  /:policy\/service-role\/(AWSLambdaVPCAccessExecutionRole|AWSLambdaENIManagementAccess)$/;

/** The role's grants in this stack that cover VPC_ENI_ACTIONS: inline policies and attachments. */
function eniGrants(stack: SynthesizedStack, role: SynthesizedResource): SynthesizedResource[] {
  const allows = (statements: readonly PolicyStatement[] | undefined, action: string) =>
    (statements ?? []).some(
      (s) => s.effect === 'Allow' && s.actions.some((pattern) => actionMatches(pattern, action)),
    );
  const grantsAll = (statements: readonly PolicyStatement[] | undefined) =>
    VPC_ENI_ACTIONS.every((action) => allows(statements, action));
  const inline = [...stack.referencing('aws_iam_role_policy', 'role', role, 'name')].filter((policy) =>
    grantsAll(stack.policyStatements(policy.config.policy)),
  );
  const attached = stack.referencing('aws_iam_role_policy_attachment', 'role', role, 'name').filter((a) => {
    const arn = asStrings(a.config.policy_arn)[0] ?? '';
    if (ENI_MANAGED_POLICY.test(arn)) return true;
    const policy = stack.follow(a, 'policy_arn');
    return policy?.type === 'aws_iam_policy' && grantsAll(stack.policyStatements(policy.config.policy));
  });
  return [...inline, ...attached];
}

/** Today in UTC, as the Lambda API sees it. */
const today = (): string => new Date().toISOString().slice(0, 10);

export const LAMBDA_RULES: readonly Rule[] = [
  {
    id: 'GR-LMB-1',
    info: 'Lambda functions use a Node.js runtime that Lambda still creates functions on.',
    explanation:
      'Lambda deprecates a runtime when its language version leaves long-term support, then blocks ' +
      'CreateFunction and, a month later, UpdateFunctionConfiguration and UpdateFunctionCode on it ' +
      '(AWS Lambda developer guide, "Lambda runtimes", "Runtime deprecation policy"; dates in ' +
      '"Building Lambda functions with Node.js"). Terraform validates only the name, so a deprecated ' +
      'runtime fails the first deploy into a new account, and every later code change, at apply.',
    resourceTypes: ['aws_lambda_function'],
    severity: 'error',
    check: (fn) => {
      const runtime = fn.config.runtime;
      if (typeof runtime !== 'string') return [];
      const refusal = runtimeRefusal(runtime, today());
      return refusal === undefined ? [] : [refusal];
    },
  },
  {
    id: 'GR-LMB-2',
    info: "A function in a VPC has its role's network-interface grant in place before Lambda creates it.",
    explanation:
      'Lambda creates the network interfaces of a function in a VPC with its execution role, and ' +
      'CreateFunction fails (InvalidParameterValueException: the role lacks ec2:CreateNetworkInterface) ' +
      'unless the role already allows the EC2 actions of AWSLambdaVPCAccessExecutionRole (AWS Lambda ' +
      'developer guide, "Giving Lambda functions access to resources in an Amazon VPC"). The function ' +
      'references only the role, so it also depends on the grant, or Terraform may create both at once. ' +
      'Checked where the role is in the same stack.',
    resourceTypes: ['aws_lambda_function'],
    severity: 'error',
    check: (fn, { stack }) => {
      if (asStrings(block(fn.config.vpc_config).subnet_ids).length === 0) return [];
      const role = stack.follow(fn, 'role');
      if (role?.type !== 'aws_iam_role') return [];
      const grants = eniGrants(stack, role);
      if (grants.length === 0)
        return [`role ${role.address} grants none of its policies all of ${VPC_ENI_ACTIONS.join(', ')}`];
      const dependsOn = asStrings(fn.config.depends_on);
      return grants.some((grant) => dependsOn.includes(grant.address))
        ? []
        : [
            `the function does not depend on ${grants.map((g) => g.address).join(' or ')}, its network-interface grant`,
          ];
    },
  },
];
