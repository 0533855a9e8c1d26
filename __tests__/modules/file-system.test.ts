import { Testing } from 'cdktf';
import { SharedFileSystem, type SharedFileSystemProps } from '../../modules/file-system';
import { resourcesOf, type SynthesizedConfig } from '../helpers';

const webRole = 'arn:aws:iam::123456789012:role/proj-dev-web-instance';
const appRole = 'arn:aws:iam::123456789012:role/proj-dev-app-task';
const base: SharedFileSystemProps = {
  name: 'proj-dev-shared',
  kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/k',
  subnets: { 'ap-northeast-1a': 'subnet-a', 'ap-northeast-1c': 'subnet-c' },
  securityGroupIds: ['sg-efs'],
  accessPoints: {
    web: { path: '/wordpress/wp-content', uid: 48, gid: 48, clientRoleArns: [webRole] },
    app: { path: '/app', uid: 33, gid: 33, clientRoleArns: [appRole] },
  },
  automaticBackups: true,
  preventDestroy: false,
};

function synth(overrides: Partial<SharedFileSystemProps> = {}): { json: string; config: SynthesizedConfig } {
  const json = Testing.synthScope((scope) => {
    new SharedFileSystem(scope, 'files', { ...base, ...overrides });
  });
  return { json, config: JSON.parse(json) as SynthesizedConfig };
}

interface Statement {
  sid: string;
  effect?: string;
  actions: string[];
  condition: { test: string; variable: string; values: string[] }[];
}

describe('SharedFileSystem', () => {
  const { json, config } = synth();
  const policyStatements = (
    Object.values(config.data?.aws_iam_policy_document ?? {})[0] as { statement: Statement[] }
  ).statement;

  test('encrypted with the key, elastic throughput, to Infrequent Access after 30 days and back on first access', () => {
    const [fileSystem] = resourcesOf(config, 'aws_efs_file_system');
    expect(fileSystem).toMatchObject({
      creation_token: 'proj-dev-shared',
      encrypted: true,
      kms_key_id: base.kmsKeyArn,
      throughput_mode: 'elastic',
      lifecycle_policy: [
        { transition_to_ia: 'AFTER_30_DAYS' },
        { transition_to_primary_storage_class: 'AFTER_1_ACCESS' },
      ],
      tags: { Name: 'proj-dev-shared' },
    });
  });

  test('a mount target in each given subnet with the given group, keyed by zone', () => {
    const targets = config.resource?.aws_efs_mount_target ?? {};
    expect(Object.keys(targets).map((id) => id.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'files_mount-target-ap-northeast-1a',
      'files_mount-target-ap-northeast-1c',
    ]);
    expect(Object.values(targets).map((target) => [target.subnet_id, target.security_groups])).toEqual([
      ['subnet-a', ['sg-efs']],
      ['subnet-c', ['sg-efs']],
    ]);
  });

  test('automatic backups are on', () => {
    expect(json).toHaveResourceWithProperties(
      { tfResourceType: 'aws_efs_backup_policy' },
      { backup_policy: { status: 'ENABLED' } },
    );
  });

  test('each access point has its own POSIX user and a root directory created 0750 for it', () => {
    const accessPoints = resourcesOf(config, 'aws_efs_access_point');
    expect(accessPoints).toHaveLength(2);
    expect(accessPoints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          posix_user: { uid: 48, gid: 48 },
          root_directory: {
            path: '/wordpress/wp-content',
            creation_info: { owner_uid: 48, owner_gid: 48, permissions: '0750' },
          },
        }),
        expect.objectContaining({
          posix_user: { uid: 33, gid: 33 },
          root_directory: {
            path: '/app',
            creation_info: { owner_uid: 33, owner_gid: 33, permissions: '0750' },
          },
        }),
      ]),
    );
  });

  test('the policy denies every request without TLS', () => {
    expect(policyStatements[0]).toMatchObject({
      effect: 'Deny',
      actions: ['*'],
      condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
    });
  });

  test('each client role may mount and write only through its own access point, never as root', () => {
    const allows = policyStatements.filter((statement) => statement.effect === 'Allow');
    expect(allows).toHaveLength(2);
    for (const [statement, role, accessPoint] of [
      [allows[0], webRole, 'web'],
      [allows[1], appRole, 'app'],
    ] as const) {
      expect(statement.actions).toEqual(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']);
      expect(statement.condition).toEqual([
        { test: 'ArnEquals', variable: 'aws:PrincipalArn', values: [role] },
        {
          test: 'StringEquals',
          variable: 'elasticfilesystem:AccessPointArn',
          values: [expect.stringContaining(`aws_efs_access_point.files_access-point-${accessPoint}_`)],
        },
        { test: 'Bool', variable: 'elasticfilesystem:AccessedViaMountTarget', values: ['true'] },
      ]);
    }
    expect(JSON.stringify(policyStatements)).not.toContain('ClientRootAccess');
  });

  test('the policy is attached to the file system', () => {
    const [policy] = resourcesOf(config, 'aws_efs_file_system_policy');
    expect(policy.policy).toMatch(/^\$\{data\.aws_iam_policy_document\.files_policy-document_.*\.json\}$/);
  });

  test('prevent_destroy is a setting', () => {
    const [unprotected] = resourcesOf(config, 'aws_efs_file_system');
    expect(unprotected.lifecycle).toEqual({ prevent_destroy: false });
    const [protectedOne] = resourcesOf(synth({ preventDestroy: true }).config, 'aws_efs_file_system');
    expect(protectedOne.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('no subnets fail at construction', () => {
    expect(() => synth({ subnets: {} })).toThrow('subnets must name at least one subnet');
  });
});
