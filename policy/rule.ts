/**
 * What a guardrail rule is: a pure function of one synthesized resource (snake_case, as Terraform
 * sees it) and the indexed stack around it, returning the reasons the resource fails, or none. The
 * rules themselves live in `rules/<service>.ts`; `rules.ts` lists them; `guardrails.ts` runs them.
 */
import type { SynthesizedResource, SynthesizedStack } from './synthesized';

export type Severity = 'error' | 'warning';

/** What a load balancer group admits from anywhere: its load balancers' listener ports. */
export interface LoadBalancerIngress {
  readonly ports: readonly number[];
  /** Whether the load balancers are dual-stack (an IPv4-only load balancer never sees IPv6). */
  readonly ipv6: boolean;
}

/** What a rule sees besides the resource: the stack, and the exceptions declared on constructs. */
export interface RuleContext {
  readonly stack: SynthesizedStack;
  /** What a security group declared a load balancer group admits (`allowLoadBalancerIngress`). */
  loadBalancerIngress(group: SynthesizedResource | undefined): LoadBalancerIngress | undefined;
}

export interface Rule {
  /** `GR-<area>-<n>`; what suppressions name. Never reuse an id for a different check. */
  readonly id: string;
  /** One line: what the rule requires. */
  readonly info: string;
  /** Why, and which exceptions AWS itself forces (and how the rule allows them). */
  readonly explanation: string;
  /** Terraform types checked (`provider.aws` for provider blocks, `aws_*` for every AWS resource). */
  readonly resourceTypes: readonly string[];
  readonly severity: Severity;
  /**
   * A durability setting an environment may relax: an error where the environment is protected
   * (`deletionProtection`), a warning elsewhere.
   */
  readonly relaxedWhereUnprotected?: boolean;
  /** The reasons `resource` breaks the rule; empty when it complies. */
  check(resource: SynthesizedResource, context: RuleContext): readonly string[];
}
