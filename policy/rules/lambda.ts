/**
 * Lambda rules: what the Lambda API refuses when it creates or updates a function.
 */
import type { Rule } from '../rules';

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
];
