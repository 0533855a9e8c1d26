/**
 * Runs the rule pack (`rules.ts`) on every stack at every synth, with suppressions that name a rule
 * and give a reason.
 *
 * Why a stack validation rather than an Aspect per construct: half the rules correlate resources
 * (an S3 bucket and the encryption configuration, public-access block, versioning and policy that
 * reference it; an ingress rule and its group; a resource and its provider's default tags), and at
 * aspect time a resource's config holds unresolved tokens (`${TfToken[TOKEN.12]}`), not the
 * `${aws_s3_bucket.x.id}` references Terraform sees. A validation runs after every aspect and
 * before anything of the stack is written, so one `stack.toTerraform()` per stack gives the rules
 * exactly the JSON Terraform will read (overrides included), indexed once: linear in the stack's
 * size. `App.synth()` throws on a failed validation, so a violation fails `npm run synth` (and
 * `cdktf synth`) with every error of the stack listed. cdktf's error annotations would fail too,
 * but only after the stack's directory exists, and the CLI defers them.
 */
import { TerraformProvider, type TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { LoadBalancerIngress, Rule, RuleContext, Severity } from './rule';
import { RULES } from './rules';
import { providerAddress, SynthesizedStack, type SynthesizedResource } from './synthesized';

export interface GuardrailOptions {
  /**
   * Whether the environment is protected (`environment.deletionProtection`): the durability rules
   * marked `relaxedWhereUnprotected` are errors here and warnings elsewhere.
   */
  readonly protectedEnvironment: boolean;
}

/** A rule switched off for a construct and everything under it, with the reason why. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Construct path the suppression is declared on. */
  readonly path: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Construct path of the resource. */
  readonly path: string;
  /** Terraform address of the resource. */
  readonly address: string;
  readonly reason: string;
}

export interface StackReport {
  readonly stack: string;
  /** Findings no suppression covers: errors fail the synth, warnings are printed. */
  readonly findings: readonly Finding[];
  /** Suppressions that covered at least one finding, with what they covered. */
  readonly suppressed: readonly {
    readonly suppression: Suppression;
    readonly findings: readonly Finding[];
  }[];
  /** Suppressions that covered nothing (the resource was fixed, or the suppression is misplaced). */
  readonly unused: readonly Suppression[];
  /** Security groups declared load balancer groups, with the listener ports they admit from anywhere. */
  readonly loadBalancerGroups: readonly { readonly path: string; readonly ingress: LoadBalancerIngress }[];
}

/** The rules by id, for suppressions and messages. */
const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));

const SUPPRESSION = 'guardrails:suppression';
const LOAD_BALANCER_GROUP = 'guardrails:load-balancer-group';

/**
 * Switches `ruleId` off for `construct` and every resource under it. The reason is printed with
 * every synth; an unknown rule id or an empty reason throws.
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  if (!RULES_BY_ID.has(ruleId)) {
    throw new Error(
      `${construct.node.path}: suppression of unknown guardrail rule "${ruleId}"; the rules are ${[...RULES_BY_ID.keys()].join(', ')}`,
    );
  }
  if (reason.trim() === '') {
    throw new Error(`${construct.node.path}: suppression of ${ruleId} needs a reason`);
  }
  construct.node.addMetadata(SUPPRESSION, { ruleId, reason: reason.trim() });
}

/**
 * Declares `group` (an `aws_security_group` construct) an internet-facing load balancer group:
 * GR-SG-1 then accepts ingress from anywhere to it on the TCP ports its load balancers listen on
 * (80 and/or 443), from IPv6 only when they are dual-stack, and nothing else.
 */
export function allowLoadBalancerIngress(
  group: IConstruct,
  ingress: LoadBalancerIngress = { ports: [80, 443], ipv6: false },
): void {
  group.node.addMetadata(LOAD_BALANCER_GROUP, ingress);
}

/** Rules by the Terraform type they check; `aws_*` rules apply to every AWS resource. */
const RULES_BY_TYPE = new Map<string, Rule[]>();
const EVERY_AWS_RESOURCE: Rule[] = [];
for (const rule of RULES) {
  for (const type of rule.resourceTypes) {
    if (type === 'aws_*') EVERY_AWS_RESOURCE.push(rule);
    else RULES_BY_TYPE.set(type, [...(RULES_BY_TYPE.get(type) ?? []), rule]);
  }
}

function rulesFor(resource: SynthesizedResource): readonly Rule[] {
  if (resource.kind === 'data') return [];
  const typed = RULES_BY_TYPE.get(resource.type) ?? [];
  return resource.kind === 'resource' && resource.type.startsWith('aws_')
    ? [...typed, ...EVERY_AWS_RESOURCE]
    : typed;
}

/** Checks one stack against every rule. The stack must be prepared (as `App.synth()` does first). */
export function checkStack(stack: TerraformStack, options: GuardrailOptions): StackReport {
  const suppressions = new Map<string, Suppression[]>();
  const loadBalancerGroups = new Map<string, LoadBalancerIngress>();
  const providerPaths = new Map<string, string>();
  // The stack's ancestors too: a suppression on the app covers every stack.
  for (const construct of [...stack.node.scopes.slice(0, -1), ...stack.node.findAll()]) {
    const path = construct.node.path;
    if (TerraformProvider.isTerraformProvider(construct)) {
      providerPaths.set(providerAddress(construct.terraformResourceType, construct.alias), path);
    }
    for (const entry of construct.node.metadata) {
      if (entry.type === LOAD_BALANCER_GROUP) loadBalancerGroups.set(path, entry.data as LoadBalancerIngress);
      if (entry.type !== SUPPRESSION) continue;
      const data = entry.data as { ruleId: string; reason: string };
      suppressions.set(path, [...(suppressions.get(path) ?? []), { ...data, path }]);
    }
  }

  const view = new SynthesizedStack(stack.toTerraform(), providerPaths);
  const context: RuleContext = {
    stack: view,
    loadBalancerIngress: (group) => (group === undefined ? undefined : loadBalancerGroups.get(group.path)),
  };
  const findings: Finding[] = [];
  const covered = new Map<Suppression, Finding[]>();
  for (const resource of view.resources) {
    for (const rule of rulesFor(resource)) {
      const reasons = rule.check(resource, context);
      if (reasons.length === 0) continue;
      const severity =
        rule.relaxedWhereUnprotected && !options.protectedEnvironment ? 'warning' : rule.severity;
      const suppression = suppressionOf(suppressions, resource.path, rule.id);
      for (const reason of reasons) {
        const finding = { ruleId: rule.id, severity, path: resource.path, address: resource.address, reason };
        if (suppression === undefined) findings.push(finding);
        else covered.set(suppression, [...(covered.get(suppression) ?? []), finding]);
      }
    }
  }
  const declared = [...suppressions.values()].flat();
  return {
    stack: stack.node.path,
    findings,
    suppressed: declared
      .filter((s) => covered.has(s))
      .map((s) => ({ suppression: s, findings: covered.get(s) ?? [] })),
    unused: declared.filter((s) => !covered.has(s)),
    loadBalancerGroups: [...loadBalancerGroups].map(([path, ingress]) => ({ path, ingress })),
  };
}

/** The nearest suppression of `ruleId` on the construct at `path` or one of its ancestors. */
function suppressionOf(
  suppressions: Map<string, Suppression[]>,
  path: string,
  ruleId: string,
): Suppression | undefined {
  for (let at = path; at !== ''; at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : '') {
    const found = suppressions.get(at)?.find((s) => s.ruleId === ruleId);
    if (found) return found;
  }
  return suppressions.get('')?.find((s) => s.ruleId === ruleId);
}

/** `GR-S3-1 dev-state/state-backend/bucket/bucket: <reason> (<what the rule requires>)` */
export function formatFinding(finding: Finding): string {
  const rule = RULES_BY_ID.get(finding.ruleId);
  return `${finding.ruleId} ${finding.path}: ${finding.reason} (${rule?.info ?? ''})`;
}

/** The one block printed per synth: counts, warnings, suppressions in use, exceptions, unused suppressions. */
export function formatSummary(reports: readonly StackReport[]): string {
  const warnings = reports.flatMap((r) => r.findings.filter((f) => f.severity === 'warning'));
  const suppressed = reports.flatMap((r) => r.suppressed);
  const unused = reports.flatMap((r) => r.unused);
  const groups = reports.flatMap((r) => r.loadBalancerGroups);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `Guardrails: ${plural(reports.length, 'stack')} ${reports.length === 1 ? 'passes' : 'pass'} ${plural(RULES.length, 'rule')}; ` +
      `${plural(warnings.length, 'warning')}, ${plural(suppressed.length, 'suppression')} in use` +
      (unused.length > 0 ? `, ${unused.length} unused` : ''),
    ...warnings.map((f) => `  warning     ${formatFinding(f)}`),
    ...suppressed.map(
      ({ suppression: s, findings }) =>
        `  suppressed  ${s.ruleId} ${s.path}: ${s.reason} [${plural(findings.length, 'finding')}]`,
    ),
    ...groups.map(
      ({ path, ingress }) =>
        `  allowed     GR-SG-1 ${path}: load balancer group, TCP ${ingress.ports.join(' and ')} from anywhere${ingress.ipv6 ? ' (IPv4 and IPv6)' : ' (IPv4)'}`,
    ),
    ...unused.map((s) => `  unused      ${s.ruleId} ${s.path}: ${s.reason} [matches nothing; remove it]`),
  ];
  return lines.join('\n');
}

/** Per app: the report of every checked stack, keyed by stack path (a re-run replaces it). */
const appReports = new WeakMap<IConstruct, Map<string, StackReport>>();

function reportsOf(stack: TerraformStack): Map<string, StackReport> {
  const app = stack.node.root;
  let reports = appReports.get(app);
  if (reports === undefined) {
    const created = new Map<string, StackReport>();
    reports = created;
    appReports.set(app, created);
    // App.synth() validates the app itself after every stack passed and was written: the place for
    // the single summary of the synth.
    app.node.addValidation({
      validate: () => {
        if (created.size > 0) console.log(formatSummary([...created.values()]));
        return [];
      },
    });
  }
  return reports;
}

/**
 * Checks `stack` against the pack whenever it is synthesized: errors fail the synth, listed with
 * rule id, construct path and reason; warnings and suppressions are printed once per synth.
 */
export function applyGuardrails(stack: TerraformStack, options: GuardrailOptions): void {
  const reports = reportsOf(stack);
  stack.node.addValidation({
    validate: () => {
      const report = checkStack(stack, options);
      reports.set(report.stack, report);
      return report.findings.filter((f) => f.severity === 'error').map(formatFinding);
    },
  });
}
