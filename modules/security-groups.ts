import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Construct } from 'constructs';

/** The groups of the estate: load balancers, web instances, container tasks, database, file system. */
export type SecurityGroupRole = 'alb' | 'web' | 'tasks' | 'db' | 'efs' | 'db-admin';

export interface ApplicationSecurityGroupsProps {
  readonly vpcId: string;
  /** Prefix of every group name, `<project>-<env>`. */
  readonly namePrefix: string;
  /** The port the container tasks listen on. @default 80 */
  readonly containerPort?: number;
  /**
   * The ports the load balancers in the `alb` group listen on, opened to the internet over IPv4 (the
   * load balancers are IPv4-only): 80 alone without a certificate, 80 and 443 with one (80 then
   * redirects). Must equal the listeners of every load balancer that uses the group.
   * @default [80]
   */
  readonly listenerPorts?: readonly (80 | 443)[];
}

/** Where a rule's traffic comes from or goes to: another group of this set, or an address range. */
type Peer = { readonly group: SecurityGroupRole } | { readonly ipv4: string };

interface Rule {
  readonly direction: 'ingress' | 'egress';
  readonly group: SecurityGroupRole;
  readonly port: number;
  readonly peer: Peer;
  readonly description: string;
}

const DESCRIPTIONS: Record<SecurityGroupRole, string> = {
  alb: 'Internet-facing load balancers',
  web: 'Web tier instances',
  tasks: 'Container tasks',
  db: 'MySQL database',
  efs: 'EFS mount targets',
  'db-admin': 'Database-users function (creates and rotates application users)',
};

/**
 * Every security group of the estate, with each rule a resource of its own keyed by meaning
 * (`db-ingress-3306-from-web`), so adding a rule never rewrites its neighbours. Only load balancers
 * accept traffic from the internet, and only on 80/443; nothing opens SSH (shells go through
 * SSM Session Manager and ECS Exec).
 */
export class ApplicationSecurityGroups extends Construct {
  readonly groups: Readonly<Record<SecurityGroupRole, SecurityGroup>>;
  readonly containerPort: number;
  /** The ports the `alb` group admits from the internet: its load balancers' listener ports. */
  readonly listenerPorts: readonly (80 | 443)[];

  constructor(scope: Construct, id: string, props: ApplicationSecurityGroupsProps) {
    super(scope, id);
    this.containerPort = props.containerPort ?? 80;
    this.listenerPorts = [...new Set<80 | 443>(props.listenerPorts ?? [80])].sort((a, b) => a - b);
    if (this.listenerPorts.length === 0)
      throw new Error(`${this.node.path}: listenerPorts must name at least one port (80, 443)`);

    const groups = {} as Record<SecurityGroupRole, SecurityGroup>;
    for (const role of Object.keys(DESCRIPTIONS) as SecurityGroupRole[]) {
      // Terraform removes the allow-all egress rule AWS adds to a new group; egress below is explicit.
      // name_prefix, not name: a forced replacement creates the new group before the old one is
      // gone, and EC2 refuses two groups of one name in a VPC (guardrail GR-REP-1).
      groups[role] = new SecurityGroup(this, role, {
        namePrefix: `${props.namePrefix}-${role}-`,
        description: DESCRIPTIONS[role],
        vpcId: props.vpcId,
        tags: { Name: `${props.namePrefix}-${role}` },
        lifecycle: { createBeforeDestroy: true },
      });
    }
    this.groups = groups;

    for (const rule of this.rules()) this.addRule(rule);
  }

  private rules(): Rule[] {
    const app = this.containerPort;
    // IPv4 only: the load balancers are IPv4-only, so an IPv6 rule would admit nothing.
    const fromInternet = (port: 80 | 443): Rule => ({
      direction: 'ingress',
      group: 'alb',
      port,
      peer: { ipv4: '0.0.0.0/0' },
      description: `${port === 443 ? 'HTTPS' : 'HTTP'} from anywhere (IPv4)`,
    });
    // Each pair opens one path: egress on the client, ingress on the server.
    const path = (from: SecurityGroupRole, to: SecurityGroupRole, port: number, what: string): Rule[] => [
      { direction: 'egress', group: from, port, peer: { group: to }, description: `${what} to ${to}` },
      { direction: 'ingress', group: to, port, peer: { group: from }, description: `${what} from ${from}` },
    ];
    // HTTPS out through NAT or endpoints: packages, image layers, SSM, Secrets Manager, CloudWatch.
    const httpsOut = (group: SecurityGroupRole): Rule => ({
      direction: 'egress',
      group,
      port: 443,
      peer: { ipv4: '0.0.0.0/0' },
      description: 'HTTPS to AWS APIs and package repositories',
    });
    return [
      ...this.listenerPorts.map(fromInternet),
      ...path('alb', 'web', 80, 'HTTP'),
      ...path('alb', 'tasks', app, 'App traffic'),
      ...path('web', 'db', 3306, 'MySQL'),
      ...path('tasks', 'db', 3306, 'MySQL'),
      ...path('db-admin', 'db', 3306, 'MySQL'),
      ...path('web', 'efs', 2049, 'NFS'),
      ...path('tasks', 'efs', 2049, 'NFS'),
      httpsOut('web'),
      httpsOut('tasks'),
      // Secrets Manager, through NAT or its interface endpoint.
      httpsOut('db-admin'),
    ];
  }

  private addRule(rule: Rule): void {
    const peer = rule.peer;
    const peerName =
      'group' in peer ? `${rule.direction === 'ingress' ? 'from' : 'to'}-${peer.group}` : 'ipv4-anywhere';
    const config = {
      securityGroupId: this.groups[rule.group].id,
      description: rule.description,
      ipProtocol: 'tcp',
      fromPort: rule.port,
      toPort: rule.port,
      referencedSecurityGroupId: 'group' in peer ? this.groups[peer.group].id : undefined,
      cidrIpv4: 'ipv4' in peer ? peer.ipv4 : undefined,
      tags: { Name: `${rule.group}-${rule.direction}-${rule.port}-${peerName}` },
    };
    const id = `${rule.group}-${rule.direction}-${rule.port}-${peerName}`;
    if (rule.direction === 'ingress') new VpcSecurityGroupIngressRule(this, id, config);
    else new VpcSecurityGroupEgressRule(this, id, config);
  }
}
