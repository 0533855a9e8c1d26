/**
 * Security group rules: what may reach a group from anywhere, and ports no one may reach. Ingress is
 * read from all four ways Terraform declares it.
 */
import type { Rule, RuleContext } from '../rule';
import { asNumber, asStrings, blocks, type SynthesizedResource } from '../synthesized';

const anywhere = (cidr: string): boolean => /\/0$/.test(cidr.trim());

/**
 * A protocol as the AWS provider reads it (its ProtocolForValue): any case, `all` for `-1`, the
 * numbers 6 and 17 for tcp and udp. `ALL`, `TCP` and `6` must not slip past a check for `-1` and `tcp`.
 */
function protocolOf(value: unknown): string {
  const protocol = String(value ?? '').toLowerCase();
  return protocol === 'all'
    ? '-1'
    : (({ '6': 'tcp', '17': 'udp' } as Record<string, string>)[protocol] ?? protocol);
}

/** One ingress permission, from any of the four ways Terraform declares them. */
interface Ingress {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly sources: readonly string[];
  /** The group that accepts the traffic, when it is in this stack. */
  readonly group?: SynthesizedResource;
}

function ingressOf(resource: SynthesizedResource, context: RuleContext): Ingress[] {
  const c = resource.config;
  switch (resource.type) {
    case 'aws_security_group':
    case 'aws_default_security_group':
      return blocks(c.ingress).map((rule) => ({
        protocol: protocolOf(rule.protocol),
        fromPort: asNumber(rule.from_port),
        toPort: asNumber(rule.to_port),
        sources: [...asStrings(rule.cidr_blocks), ...asStrings(rule.ipv6_cidr_blocks)],
        group: resource,
      }));
    case 'aws_security_group_rule':
      if (c.type !== 'ingress') return [];
      return [
        {
          protocol: protocolOf(c.protocol),
          fromPort: asNumber(c.from_port),
          toPort: asNumber(c.to_port),
          sources: [...asStrings(c.cidr_blocks), ...asStrings(c.ipv6_cidr_blocks)],
          group: context.stack.follow(resource, 'security_group_id'),
        },
      ];
    case 'aws_vpc_security_group_ingress_rule':
      return [
        {
          protocol: protocolOf(c.ip_protocol),
          fromPort: asNumber(c.from_port),
          toPort: asNumber(c.to_port),
          sources: [...asStrings(c.cidr_ipv4), ...asStrings(c.cidr_ipv6)],
          group: context.stack.follow(resource, 'security_group_id'),
        },
      ];
    default:
      return [];
  }
}

const allTraffic = (ingress: Ingress): boolean => ingress.protocol === '-1';

function opensPort(ingress: Ingress, port: number): boolean {
  if (allTraffic(ingress)) return true;
  if (ingress.protocol !== 'tcp' && ingress.protocol !== 'udp') return false;
  const from = ingress.fromPort;
  const to = ingress.toPort ?? from;
  return from !== undefined && to !== undefined && from <= port && port <= to;
}

function describePorts(ingress: Ingress): string {
  if (allTraffic(ingress)) return 'all traffic';
  const range =
    ingress.fromPort === ingress.toPort ? `${ingress.fromPort}` : `${ingress.fromPort}-${ingress.toPort}`;
  return `${ingress.protocol} ${range}`;
}

const SECURITY_GROUP_INGRESS = [
  'aws_security_group',
  'aws_default_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
];

export const SECURITY_GROUP_RULES: readonly Rule[] = [
  {
    id: 'GR-SG-1',
    info: 'No ingress from 0.0.0.0/0 or ::/0, except on the listener ports (80, 443) of a load balancer group.',
    explanation:
      'Only internet-facing load balancers accept traffic from anywhere, and only on the HTTP and HTTPS ' +
      'ports they listen on. A group is a load balancer group when the stack declares it with ' +
      'allowLoadBalancerIngress(group, { ports, ipv6 }); the ingress rule must be in the same stack as ' +
      'the group. ::/0 is accepted only for dual-stack load balancers: an IPv4-only load balancer never ' +
      'receives IPv6 traffic (Elastic Load Balancing, "IP address types for your Application Load ' +
      'Balancer"), so such a rule only misleads.',
    resourceTypes: SECURITY_GROUP_INGRESS,
    severity: 'error',
    check: (resource, context) =>
      ingressOf(resource, context).flatMap((ingress) => {
        const open = ingress.sources.filter(anywhere);
        if (open.length === 0) return [];
        const web =
          ingress.protocol === 'tcp' &&
          ingress.fromPort === ingress.toPort &&
          (ingress.fromPort === 80 || ingress.fromPort === 443);
        const declared = context.loadBalancerIngress(ingress.group);
        if (!web || declared === undefined) {
          return [
            `ingress ${describePorts(ingress)} from ${open.join(', ')}` +
              (web ? ' on a group not declared a load balancer group' : ''),
          ];
        }
        return [
          ...(declared.ports.includes(ingress.fromPort ?? -1)
            ? []
            : [
                `ingress ${describePorts(ingress)} from anywhere, but no listener of the group's load balancers is on that port`,
              ]),
          ...(open.some((cidr) => cidr.includes(':')) && !declared.ipv6
            ? [`ingress ${describePorts(ingress)} from ::/0 to IPv4-only load balancers`]
            : []),
        ];
      }),
  },
  {
    id: 'GR-SG-2',
    info: 'No ingress to port 22 (SSH) or 3389 (RDP), from anywhere at all.',
    explanation:
      'Shells go through SSM Session Manager (instances) and ECS Exec (tasks), which are logged and ' +
      'need no open port. A port range that holds 22 or 3389 opens it, and so does an all-traffic rule ' +
      '(`-1`, or `all` in any case, which the AWS provider reads as `-1`).',
    resourceTypes: SECURITY_GROUP_INGRESS,
    severity: 'error',
    check: (resource, context) =>
      ingressOf(resource, context).flatMap((ingress) =>
        [22, 3389]
          .filter((port) => opensPort(ingress, port))
          .map((port) => `ingress ${describePorts(ingress)} opens port ${port}`),
      ),
  },
];
