import { execFileSync } from 'node:child_process';
import {
  MAX_USER_DATA_BYTES,
  RDS_CA_BUNDLE_PATH,
  renderWebUserData,
  userDataBytes,
  VERIFIED_TLS_WPDB_PHP,
  wordpressDownloadUrl,
  type WebUserDataProps,
} from '../../modules/web-user-data';

const secretArn =
  'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:aws-and-infra-dev-db-users/wordpress-AbCdEf';
const props: WebUserDataProps = {
  region: 'ap-northeast-1',
  database: {
    address: 'proj-dev-db.abcdefghijkl.ap-northeast-1.rds.amazonaws.com',
    port: '3306',
    name: 'wordpress',
    secretArn,
  },
  fileSystem: { fileSystemId: 'fs-0123456789abcdef0', accessPointId: 'fsap-0123456789abcdef0' },
};

describe('renderWebUserData', () => {
  const script = renderWebUserData(props);
  const lines = script.split('\n');

  test('is a bash script that stops at the first failure', () => {
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines).toContain('set -euo pipefail');
  });

  test('fetches the database secret at boot by its ARN and carries no password', () => {
    expect(lines).toContain(`DB_SECRET_ARN='${secretArn}'`);
    expect(script).toContain(
      "'aws', 'secretsmanager', 'get-secret-value', '--region', settings['REGION'],\n     '--secret-id', settings['DB_SECRET_ARN'], '--query', 'SecretString'",
    );
    expect(script).not.toMatch(/password\s*=\s*['"][^'"%]/i);
    expect(script).not.toMatch(/DB_PASSWORD',\s*'/);
  });

  test('installs Apache, PHP, the MySQL client and the EFS mount helper', () => {
    expect(script).toMatch(
      /dnf install -y httpd php php-fpm php-mysqlnd .*\\\n\s+mariadb105 amazon-efs-utils/,
    );
  });

  test('mounts the access point at wp-content with TLS and IAM, now and in fstab', () => {
    expect(lines).toContain("EFS_ID='fs-0123456789abcdef0'");
    expect(lines).toContain("EFS_ACCESS_POINT_ID='fsap-0123456789abcdef0'");
    expect(lines).toContain('WP_CONTENT=$DOCROOT/wp-content');
    expect(lines).toContain(
      'echo "$EFS_ID:/ $WP_CONTENT efs _netdev,tls,iam,accesspoint=$EFS_ACCESS_POINT_ID 0 0" >> /etc/fstab',
    );
    expect(lines).toContain('retry mount "$WP_CONTENT"');
  });

  test('creates no database and runs no SQL: the data stack made the database and the user', () => {
    expect(script).not.toMatch(/CREATE (DATABASE|USER)|GRANT /);
    expect(script).not.toMatch(/^\s*(retry )?mysql /m);
  });

  test('downloads the RDS CA bundle (the global one) to where the database TLS settings point', () => {
    expect(lines).toContain(`RDS_CA=${RDS_CA_BUNDLE_PATH}`);
    expect(lines).toContain(
      'retry curl -fsSL -o "$RDS_CA" https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem',
    );
  });

  test('wp-config reads the credentials file and asks for TLS verified against the RDS CAs', () => {
    expect(script).toContain("require '/etc/wordpress/database.php';");
    expect(script).toContain(
      "define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);\ndefine('MYSQL_SSL_CA', '/etc/pki/rds/global-bundle.pem');",
    );
    expect(script).not.toContain('DONT_VERIFY');
  });

  test('installs the verified-TLS database class on the instance and its db.php drop-in on wp-content', () => {
    expect(script).toContain(
      `cat > /etc/wordpress/verified-tls-wpdb.php <<'PHP'\n${VERIFIED_TLS_WPDB_PHP}PHP\n`,
    );
    expect(lines).toContain('chown root:apache /etc/wordpress/verified-tls-wpdb.php');
    expect(lines).toContain(
      `echo "<?php require '/etc/wordpress/verified-tls-wpdb.php';" > "$WP_CONTENT/db.php"`,
    );
    // The drop-in is written after wp-content is mounted (else it would land under the mount point).
    expect(lines.indexOf('retry mount "$WP_CONTENT"')).toBeLessThan(
      lines.findIndex((line) => line.endsWith('> "$WP_CONTENT/db.php"')),
    );
  });

  test('the class sets the CA and server-certificate verification before connecting, and replaces $wpdb', () => {
    const php = VERIFIED_TLS_WPDB_PHP.split('\n').map((line) => line.trim());
    const ssl = php.indexOf('mysqli_ssl_set($this->dbh, null, null, MYSQL_SSL_CA, null, null);');
    const verify = php.indexOf('mysqli_options($this->dbh, MYSQLI_OPT_SSL_VERIFY_SERVER_CERT, true);');
    const connect = php.findIndex((line) => line.includes('mysqli_real_connect('));
    expect(ssl).toBeGreaterThan(0);
    expect(ssl).toBeLessThan(verify);
    expect(verify).toBeLessThan(connect);
    expect(php).toContain('class Verified_Tls_Wpdb extends wpdb {');
    expect(php).toContain('$wpdb = new Verified_Tls_Wpdb(DB_USER, DB_PASSWORD, DB_NAME, DB_HOST);');
  });

  test('passes bash -n and shellcheck (errors and warnings)', () => {
    expect(() => execFileSync('bash', ['-n'], { input: script })).not.toThrow();
    let shellcheck = true;
    try {
      execFileSync('shellcheck', ['--version']);
    } catch {
      shellcheck = false; // not installed here: bash -n above still ran
    }
    if (shellcheck)
      expect(() => execFileSync('shellcheck', ['-S', 'warning', '-'], { input: script })).not.toThrow();
  });

  test('re-reads the secret on a timer, as it rotates', () => {
    expect(script).toContain('OnUnitActiveSec=10min');
    expect(renderWebUserData({ ...props, credentialsRefreshMinutes: 3 })).toContain('OnUnitActiveSec=3min');
  });

  test('starts httpd and writes the health page last', () => {
    expect(lines).toContain('systemctl enable --now wordpress-db-credentials.timer php-fpm httpd');
    expect(lines.filter((line) => line !== '').at(-1)).toBe('echo ok > "$DOCROOT$HEALTH_PAGE_PATH"');
    expect(lines).toContain("HEALTH_PAGE_PATH='/healthz.html'");
  });

  test('downloads WordPress in the configured locale, ja by default', () => {
    expect(lines).toContain("WP_DOWNLOAD_URL='https://ja.wordpress.org/latest-ja.tar.gz'");
    expect(renderWebUserData({ ...props, wordpressLocale: 'en_US' })).toContain(
      "WP_DOWNLOAD_URL='https://wordpress.org/latest.tar.gz'",
    );
    expect(wordpressDownloadUrl('de_DE')).toBe('https://de.wordpress.org/latest-de_DE.tar.gz');
  });

  test('has nothing Terraform would read as interpolation', () => {
    expect(script).not.toContain('${');
    expect(script).not.toContain('%{');
  });

  test('quotes values for the shell', () => {
    const quoted = renderWebUserData({ ...props, database: { ...props.database, name: "it's" } });
    expect(quoted).toContain(`DB_NAME='it'\\''s'`);
  });

  test('stays well under the 16 KB EC2 limit', () => {
    expect(Buffer.byteLength(script)).toBeLessThan(MAX_USER_DATA_BYTES / 2);
  });
});

describe('userDataBytes', () => {
  test('counts each unresolved reference at its generous maximum', () => {
    expect(userDataBytes('abc')).toBe(3);
    expect(userDataBytes('a=${TfToken[TOKEN.1]};b=${TfToken[TOKEN.22]}', 100)).toBe(5 + 200);
  });
});
