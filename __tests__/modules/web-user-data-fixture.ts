import { WEB_LOG_FILES, webLogGroupName, type WebLogName } from '../../modules/web-server-config';
import type { WebUserDataProps } from '../../modules/web-user-data';

export const databaseSecretArn =
  'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aws-and-infra-dev-db-users/wordpress-AbCdEf';
export const adminSecretArn =
  'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:proj-dev/wordpress/admin-AbCdEf';

export const logGroupNames = Object.fromEntries(
  (Object.keys(WEB_LOG_FILES) as WebLogName[]).map((log) => [log, webLogGroupName('proj-dev', log)]),
) as Record<WebLogName, string>;

/** Boot-script props as the dev compute stack passes them, with literal values for its references. */
export const userDataProps: WebUserDataProps = {
  region: 'ap-northeast-1',
  database: {
    address: 'proj-dev-db.abcdefghijkl.ap-northeast-1.rds.amazonaws.com',
    port: '3306',
    name: 'wordpress',
    secretArn: databaseSecretArn,
  },
  fileSystem: { fileSystemId: 'fs-0123456789abcdef0', accessPointId: 'fsap-0123456789abcdef0' },
  wordpress: {
    release: {
      version: '6.9.4',
      locale: 'en_US',
      sha256: 'db610ad9f549e0abb5af3e3d5c6729c58d874439654cdf0afea425b2ea895f35',
    },
    wpCli: { version: '2.12.0', sha256: 'ce34ddd838f7351d6759068d09793f26755463b4a4610a5a5c0a97b68220d85c' },
    siteUrl: 'https://example.com',
    siteTitle: "Ann's site",
    adminUser: 'admin',
    adminEmail: 'admin@example.com',
    adminSecretArn,
    allowFileMods: false,
    cronIntervalMinutes: 5,
  },
  php: { uploadMaxMegabytes: 64, workerMegabytes: 128, reservedMegabytes: 512 },
  vpcCidr: '10.0.0.0/16',
  loadBalancerIdleTimeoutSeconds: 60,
  logGroupNames,
};

/** The body of the heredoc that starts with `opener` (e.g. `cat > /etc/x <<'EOF'`), up to `terminator`. */
export function heredoc(script: string, opener: string, terminator: string): string {
  const lines = script.split('\n');
  const start = lines.indexOf(opener);
  if (start < 0) throw new Error(`no line "${opener}"`);
  const end = lines.indexOf(terminator, start + 1);
  return lines.slice(start + 1, end).join('\n');
}
