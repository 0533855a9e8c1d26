import { Testing } from 'cdktf';
import { ApplicationSecurityGroups } from '../../modules/security-groups';

type Rule = Record<string, unknown>;

const byText = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

function synthGroups(containerPort?: number, listenerPorts?: (80 | 443)[]) {
  const config = JSON.parse(
    Testing.synthScope((scope) => {
      new ApplicationSecurityGroups(scope, 'groups', {
        vpcId: 'vpc-123',
        namePrefix: 'proj-dev',
        containerPort,
        listenerPorts,
      });
    }),
  );
  const groupIds = Object.fromEntries(
    Object.entries(config.resource.aws_security_group as Record<string, { name_prefix: string }>).map(
      ([id, group]) => [
        `\${aws_security_group.${id}.id}`,
        group.name_prefix.replace(/^proj-dev-(.*)-$/, '$1'),
      ],
    ),
  );
  // Synthesized resources come sorted by logical id; compare rules as sets.
  const describe = (rules: Record<string, Rule> | undefined) =>
    Object.values(rules ?? {})
      .map((rule) => ({
        group: groupIds[rule.security_group_id as string],
        port: rule.from_port,
        toPort: rule.to_port,
        peer: groupIds[rule.referenced_security_group_id as string] ?? rule.cidr_ipv4 ?? rule.cidr_ipv6,
      }))
      .sort(byText);
  return {
    groups: Object.values(groupIds).sort(),
    ingress: describe(config.resource.aws_vpc_security_group_ingress_rule),
    egress: describe(config.resource.aws_vpc_security_group_egress_rule),
  };
}

describe('ApplicationSecurityGroups', () => {
  test('creates the six groups, named by role', () => {
    expect(synthGroups().groups).toEqual(['alb', 'db', 'db-admin', 'efs', 'tasks', 'web']);
  });

  test('groups take a name prefix, not a fixed name, so create-before-destroy can replace them', () => {
    const config = JSON.parse(
      Testing.synthScope((scope) => {
        new ApplicationSecurityGroups(scope, 'groups', { vpcId: 'vpc-123', namePrefix: 'proj-dev' });
      }),
    ) as { resource: { aws_security_group: Record<string, Record<string, unknown>> } };
    const alb = Object.values(config.resource.aws_security_group).find(
      (group) => group.description === 'Internet-facing load balancers',
    );
    expect(alb).toEqual({
      name_prefix: 'proj-dev-alb-',
      description: 'Internet-facing load balancers',
      vpc_id: 'vpc-123',
      tags: { Name: 'proj-dev-alb' },
      lifecycle: { create_before_destroy: true },
    });
  });

  test('only the load balancer group accepts the internet, by default on 80 only, over IPv4 only', () => {
    const open = synthGroups().ingress.filter((rule) => rule.peer === '0.0.0.0/0' || rule.peer === '::/0');
    expect(open).toEqual([{ group: 'alb', port: 80, toPort: 80, peer: '0.0.0.0/0' }]);
  });

  test('setting listenerPorts to 80 and 443 opens both, over IPv4 only (the load balancers are IPv4-only)', () => {
    const open = synthGroups(undefined, [443, 80]).ingress.filter(
      (rule) => rule.peer === '0.0.0.0/0' || rule.peer === '::/0',
    );
    expect(open).toEqual([
      { group: 'alb', port: 443, toPort: 443, peer: '0.0.0.0/0' },
      { group: 'alb', port: 80, toPort: 80, peer: '0.0.0.0/0' },
    ]);
  });

  test('empty listenerPorts fail at construction', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new ApplicationSecurityGroups(scope, 'groups', { vpcId: 'v', namePrefix: 'p', listenerPorts: [] });
      }),
    ).toThrow('listenerPorts must name at least one port (80, 443)');
  });

  test('groups reference each other: web from alb, db from web, tasks and db-admin, efs from web and tasks', () => {
    const ingress = synthGroups().ingress.filter((rule) => rule.peer !== '0.0.0.0/0' && rule.peer !== '::/0');
    expect(ingress).toEqual(
      [
        { group: 'web', port: 80, toPort: 80, peer: 'alb' },
        { group: 'tasks', port: 80, toPort: 80, peer: 'alb' },
        { group: 'db', port: 3306, toPort: 3306, peer: 'web' },
        { group: 'db', port: 3306, toPort: 3306, peer: 'tasks' },
        { group: 'db', port: 3306, toPort: 3306, peer: 'db-admin' },
        { group: 'efs', port: 2049, toPort: 2049, peer: 'web' },
        { group: 'efs', port: 2049, toPort: 2049, peer: 'tasks' },
      ].sort(byText),
    );
  });

  test('setting the container port changes the tasks path only', () => {
    const { ingress, egress } = synthGroups(8080);
    expect(ingress).toContainEqual({ group: 'tasks', port: 8080, toPort: 8080, peer: 'alb' });
    expect(egress).toContainEqual({ group: 'alb', port: 8080, toPort: 8080, peer: 'tasks' });
    expect(ingress).toContainEqual({ group: 'web', port: 80, toPort: 80, peer: 'alb' });
  });

  test('nothing opens SSH or RDP, and the database and file system send nothing out', () => {
    const { ingress, egress } = synthGroups();
    expect([...ingress, ...egress].filter((rule) => rule.port === 22 || rule.port === 3389)).toEqual([]);
    expect(egress.filter((rule) => rule.group === 'db' || rule.group === 'efs')).toEqual([]);
  });

  test('egress is explicit: load balancers to their targets, instances and tasks to HTTPS, MySQL and NFS', () => {
    expect(synthGroups().egress).toEqual(
      [
        { group: 'alb', port: 80, toPort: 80, peer: 'web' },
        { group: 'alb', port: 80, toPort: 80, peer: 'tasks' },
        { group: 'web', port: 3306, toPort: 3306, peer: 'db' },
        { group: 'tasks', port: 3306, toPort: 3306, peer: 'db' },
        { group: 'db-admin', port: 3306, toPort: 3306, peer: 'db' },
        { group: 'web', port: 2049, toPort: 2049, peer: 'efs' },
        { group: 'tasks', port: 2049, toPort: 2049, peer: 'efs' },
        { group: 'web', port: 443, toPort: 443, peer: '0.0.0.0/0' },
        { group: 'tasks', port: 443, toPort: 443, peer: '0.0.0.0/0' },
        { group: 'db-admin', port: 443, toPort: 443, peer: '0.0.0.0/0' },
      ].sort(byText),
    );
  });
});
