import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  MAX_USER_DATA_BYTES,
  renderWebUserData,
  terraformLiteral,
  userDataBytes,
} from '../../modules/web-user-data';
import { databaseSecretArn, heredoc, userDataProps as props } from './web-user-data-fixture';

const script = renderWebUserData(props);
const lines = script.split('\n');
const indexOf = (line: string) => {
  const index = lines.indexOf(line);
  expect(index).toBeGreaterThanOrEqual(0);
  return index;
};

const workDir = mkdtempSync(join(tmpdir(), 'web-user-data-'));
function writeScript(name: string, text: string): string {
  const path = join(workDir, name);
  writeFileSync(path, text);
  return path;
}

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;
if (!hasShellcheck && process.env.REQUIRE_SHELLCHECK === '1') {
  throw new Error('REQUIRE_SHELLCHECK=1 but shellcheck is not installed (apt-get install -y shellcheck)');
}
const withShellcheck = hasShellcheck ? test : test.skip;
if (!hasShellcheck) {
  console.warn('shellcheck is not installed: the rendered boot script is checked with bash -n only');
}

describe('renderWebUserData', () => {
  test('is a bash script that stops, and says where, at the first failure', () => {
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines).toContain('set -euo pipefail');
    expect(lines).toContain(`trap 'echo "FATAL: web boot failed at line $LINENO: $BASH_COMMAND" >&2' ERR`);
  });

  test('bash parses the script and every script it writes', () => {
    const files = [
      writeScript('user-data.sh', script),
      writeScript('wp-site.sh', heredoc(script, "cat > /usr/local/bin/wp-site <<'SH'", 'SH')),
      writeScript('install.sh', heredoc(script, "cat > /usr/local/sbin/wordpress-install-once <<'SH'", 'SH')),
      writeScript('cron.sh', heredoc(script, "cat > /usr/local/sbin/wordpress-cron <<'SH'", 'SH')),
    ];
    for (const file of files) expect(execFileSync('bash', ['-n', file]).toString()).toBe('');
  });

  withShellcheck('shellcheck finds no warning in the script or the scripts it writes', () => {
    const files = ['user-data.sh', 'wp-site.sh', 'install.sh', 'cron.sh'].map((name) => join(workDir, name));
    const result = spawnSync('shellcheck', ['--severity=warning', '--shell=bash', ...files]);
    expect(result.stdout.toString()).toBe('');
    expect(result.status).toBe(0);
  });

  test('fetches the database secret at boot by its ARN and carries no password', () => {
    expect(lines).toContain(`DB_SECRET_ARN='${databaseSecretArn}'`);
    expect(script).not.toMatch(/password\s*=\s*['"][^'"%]/i);
    expect(script).not.toMatch(/DB_PASSWORD',\s*'/);
  });

  test('installs Apache, PHP, the MySQL client, the EFS mount helper and the CloudWatch agent', () => {
    const install = indexOf(
      'retry dnf install -y httpd php php-fpm php-mysqlnd php-gd php-mbstring php-xml php-opcache \\',
    );
    expect(lines[install + 1]).toBe('  mariadb105 amazon-efs-utils amazon-cloudwatch-agent');
  });

  test('starts the CloudWatch agent right after the packages, before anything that can fail the boot', () => {
    const start = indexOf(
      '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -c file:/opt/aws/amazon-cloudwatch-agent/etc/web.json -s',
    );
    expect(start).toBeLessThan(
      indexOf("retry curl -fsSL -o /tmp/wordpress.tar.gz 'https://wordpress.org/wordpress-6.9.4.tar.gz'"),
    );
  });

  test('mounts the access point at wp-content with TLS and IAM, now and in fstab', () => {
    expect(lines).toContain("EFS_ID='fs-0123456789abcdef0'");
    expect(lines).toContain("EFS_ACCESS_POINT_ID='fsap-0123456789abcdef0'");
    expect(lines).toContain(
      'echo "$EFS_ID:/ $WP_CONTENT efs _netdev,tls,iam,accesspoint=$EFS_ACCESS_POINT_ID 0 0" >> /etc/fstab',
    );
    expect(lines).toContain('retry mount "$WP_CONTENT"');
  });

  test('core is made root-owned and read-only to others before the shared wp-content is mounted', () => {
    const chown = indexOf('chown -R root:root "$DOCROOT"');
    expect(lines[chown + 1]).toBe('chmod -R u=rwX,go=rX "$DOCROOT"');
    expect(chown).toBeLessThan(indexOf('retry mount "$WP_CONTENT"'));
  });

  test('creates the database if missing over TLS that verifies the server', () => {
    expect(script).toContain('ssl-verify-server-cert');
    expect(script).toContain('https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem');
    expect(script).toContain('CREATE DATABASE IF NOT EXISTS \\`$DB_NAME\\`');
  });

  test('wp-config requires the credentials, the shared salts and the site settings, defining nothing twice', () => {
    const config = heredoc(script, `cat > "$DOCROOT/wp-config.php" <<'PHP'`, 'PHP').split('\n');
    expect(config.slice(2, 5)).toEqual([
      "require '/etc/wordpress/database.php';",
      "require __DIR__ . '/wp-content/wp-salts.php';",
      "require '/etc/wordpress/site.php';",
    ]);
    const site = heredoc(script, "cat > /etc/wordpress/site.php <<'PHP'", 'PHP');
    const defined = (text: string) => [...text.matchAll(/define\('(\w+)'/g)].map((match) => match[1]);
    expect(defined(config.join('\n')).filter((name) => defined(site).includes(name))).toEqual([]);
  });

  test('re-reads the secret on a timer, as RDS rotates it', () => {
    expect(script).toContain('OnUnitActiveSec=10min');
    expect(renderWebUserData({ ...props, credentialsRefreshMinutes: 3 })).toContain('OnUnitActiveSec=3min');
  });

  test('installs once, then starts the timers, PHP-FPM and httpd, and writes the health endpoint last', () => {
    const install = indexOf('/usr/local/sbin/wordpress-install-once');
    const start = indexOf(
      'systemctl enable --now wordpress-db-credentials.timer wordpress-cron.timer php-fpm httpd',
    );
    expect(install).toBeLessThan(start);
    expect(start).toBeLessThan(indexOf(`cat > "$DOCROOT/healthz.php" <<'PHP'`));
    expect(lines.filter((line) => line !== '').at(-1)).toBe('chmod 0644 "$DOCROOT/healthz.php"');
  });

  test('the health endpoint path follows the configuration', () => {
    expect(renderWebUserData({ ...props, healthPagePath: '/status/health.php' })).toContain(
      `cat > "$DOCROOT/status/health.php" <<'PHP'`,
    );
  });

  test('quotes values for the shell', () => {
    const quoted = renderWebUserData({ ...props, database: { ...props.database, name: "it's" } });
    expect(quoted.split('\n')).toContain(`DB_NAME='it'\\''s'`);
  });

  test('stays well under the 16 KB EC2 limit, gzipped as the launch template sends it', () => {
    expect(userDataBytes(script)).toBeLessThan(MAX_USER_DATA_BYTES / 2);
  });
});

describe('terraformLiteral', () => {
  test('doubles %{ and ${ so Terraform renders them literally, leaving CDKTF tokens alone', () => {
    expect(terraformLiteral('a %{REQUEST_FILENAME} b ${aws:InstanceId} c ${TfToken[TOKEN.12]} $HOME')).toBe(
      'a %%{REQUEST_FILENAME} b $${aws:InstanceId} c ${TfToken[TOKEN.12]} $HOME',
    );
  });

  test('the rendered script needs it: Apache and agent syntax would otherwise be Terraform syntax', () => {
    expect(script).toContain('RewriteCond %{REQUEST_FILENAME} !-f');
    expect(script).toContain('"AutoScalingGroupName":"${aws:AutoScalingGroupName}"');
    const literal = terraformLiteral(script);
    expect(literal).not.toMatch(/(^|[^%])%\{/);
    expect(literal).not.toMatch(/(^|[^$])\$\{/);
  });
});

describe('userDataBytes', () => {
  test('counts the gzipped text, and each unresolved reference at its generous maximum', () => {
    expect(userDataBytes('abc')).toBe(gzipSync(Buffer.from('abc')).length);
    expect(userDataBytes('a=${TfToken[TOKEN.1]};b=${TfToken[TOKEN.22]}', 100)).toBe(
      gzipSync(Buffer.from('a=;b=')).length + 200,
    );
    expect(gunzipSync(gzipSync(Buffer.from(script))).toString()).toBe(script);
  });
});
