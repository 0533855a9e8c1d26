/**
 * The web tier's first-boot script (cloud-init user data), rendered by a pure function so tests can
 * read it. It carries names and ARNs only: the database password is read from Secrets Manager by
 * the instance role at boot, and again every few minutes because RDS rotates it; the WordPress
 * administrator's password is generated on the instance (modules/wordpress-boot.ts).
 */
import { gzipSync } from 'node:zlib';
import {
  renderApacheConfig,
  renderCloudWatchAgent,
  renderHealthEndpoint,
  renderPhpConfig,
  type PhpLimits,
  type WebLogName,
} from './web-server-config';
import {
  renderCoreOwnership,
  renderFleetCron,
  renderInstallOnce,
  renderSiteSettings,
  renderWordPressDownload,
  renderWpCli,
  shellQuote,
  type WordPressSiteProps,
} from './wordpress-boot';

/** EC2 refuses user data over 16 KB (EC2 user guide, "Run commands when you launch an EC2 instance"). */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/** Where the PHP health endpoint is served: written last, so it answers only on a fully set-up instance. */
export const DEFAULT_HEALTH_PAGE_PATH = '/healthz.php';

export interface WebUserDataProps {
  /** Region of the secret (the AWS CLI on the instance needs it). */
  readonly region: string;
  readonly database: {
    /** Host name of the MySQL endpoint. */
    readonly address: string;
    readonly port: string;
    /** The WordPress database; created when missing. */
    readonly name: string;
    /** Secrets Manager secret with `username` and `password` (the RDS-managed master secret). */
    readonly secretArn: string;
  };
  /** The EFS access point mounted at `wp-content`, with TLS and IAM authorization. */
  readonly fileSystem: { readonly fileSystemId: string; readonly accessPointId: string };
  /** The pinned release, WP-CLI, the one-time install and cron. */
  readonly wordpress: Omit<WordPressSiteProps, 'region'>;
  /** PHP upload and memory limits; PHP-FPM is sized from them and the instance's memory. */
  readonly php: PhpLimits;
  /** The VPC's CIDR: the proxies (load balancer nodes) whose X-Forwarded-For Apache believes. */
  readonly vpcCidr: string;
  /** Log groups (created by Terraform) the CloudWatch agent ships each web log to. */
  readonly logGroupNames: Readonly<Record<WebLogName, string>>;
  /** Path of the health endpoint. @default DEFAULT_HEALTH_PAGE_PATH */
  readonly healthPagePath?: string;
  /** Minutes between re-reads of the secret (RDS rotates it). @default 10 */
  readonly credentialsRefreshMinutes?: number;
}

/**
 * The bash script that turns Amazon Linux 2023 into a WordPress web server: Apache, PHP (FPM), the
 * MySQL client (MariaDB's, which AL2023 ships), the EFS mount helper and the CloudWatch agent
 * (started first, so a failed boot's output reaches CloudWatch Logs); the pinned WordPress and WP-CLI,
 * verified; the shared `wp-content` on EFS (mounted now and in `/etc/fstab`); its database settings
 * from the secret; the database if missing (over verified TLS); the one-time install; cron; then
 * PHP-FPM and httpd, and the health endpoint last.
 *
 * The script is real bash; `terraformLiteral` escapes what Terraform would read as its own syntax.
 */
export function renderWebUserData(props: WebUserDataProps): string {
  const healthPagePath = props.healthPagePath ?? DEFAULT_HEALTH_PAGE_PATH;
  const refreshMinutes = props.credentialsRefreshMinutes ?? 10;
  const settings: [string, string][] = [
    ['REGION', props.region],
    ['DB_HOST', props.database.address],
    ['DB_PORT', props.database.port],
    ['DB_NAME', props.database.name],
    ['DB_SECRET_ARN', props.database.secretArn],
    ['EFS_ID', props.fileSystem.fileSystemId],
    ['EFS_ACCESS_POINT_ID', props.fileSystem.accessPointId],
  ];
  return `#!/bin/bash
# Web tier first boot (cloud-init runs this once, as root; output in /var/log/cloud-init-output.log).
# No password here: the instance role reads the database secret from Secrets Manager.
set -euo pipefail
trap 'echo "FATAL: web boot failed at line $LINENO: $BASH_COMMAND" >&2' ERR

${settings.map(([name, value]) => `${name}=${shellQuote(value)}`).join('\n')}
DOCROOT=/var/www/html
WP_CONTENT=$DOCROOT/wp-content
RDS_CA=/etc/pki/rds/global-bundle.pem

retry() {
  local attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    "$@" && return 0
    echo "attempt $attempt of 10 failed: $*" >&2
    sleep $((attempt * 5))
  done
  return 1
}

# Apache, PHP, the MySQL client, the EFS mount helper, the CloudWatch agent.
retry dnf install -y httpd php php-fpm php-mysqlnd php-gd php-mbstring php-xml php-opcache \\
  mariadb105 amazon-efs-utils amazon-cloudwatch-agent
${renderCloudWatchAgent(props.logGroupNames)}

# CA bundle to verify the database's TLS certificate.
mkdir -p /etc/pki/rds
retry curl -fsSL -o "$RDS_CA" https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem

# WordPress core on the instance; its bundled wp-content seeds the shared one.
${renderWordPressDownload(props.wordpress.release)}
tar -xzf /tmp/wordpress.tar.gz -C /tmp
mv /tmp/wordpress/wp-content /tmp/wp-content-seed
# Core stays root-owned (PHP cannot rewrite it); a new release arrives with new instances.
cp -R /tmp/wordpress/. "$DOCROOT"/
${renderCoreOwnership()}
mkdir -p "$WP_CONTENT"

# wp-content on EFS through the access point: TLS in transit, IAM authorization with the instance role.
echo "$EFS_ID:/ $WP_CONTENT efs _netdev,tls,iam,accesspoint=$EFS_ACCESS_POINT_ID 0 0" >> /etc/fstab
retry mount "$WP_CONTENT"
if [ ! -d "$WP_CONTENT/themes" ]; then cp -R /tmp/wp-content-seed/. "$WP_CONTENT"/; fi
rm -rf /tmp/wordpress /tmp/wp-content-seed /tmp/wordpress.tar.gz
install -d "$WP_CONTENT/.fleet"
${renderWpCli(props.wordpress.wpCli)}

# Salts shared by every instance (a login must hold on whichever instance the load balancer picks):
# created once on EFS, by whichever instance links its file first.
python3 - "$WP_CONTENT/wp-salts.php" <<'PY'
import os, secrets, sys
path = sys.argv[1]
if not os.path.exists(path):
    names = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY',
             'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT']
    text = '<?php\\n' + ''.join("define('%s', '%s');\\n" % (n, secrets.token_urlsafe(48)) for n in names)
    temporary = '%s.%d' % (path, os.getpid())
    with open(temporary, 'w') as handle:
        handle.write(text)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    os.unlink(temporary)
PY

# Database settings: names here, credentials from the secret (rewritten on a timer, as RDS rotates it).
install -d -m 0750 -o root -g apache /etc/wordpress
cat > /etc/wordpress/database.env <<EOF
REGION=$REGION
DB_HOST=$DB_HOST
DB_PORT=$DB_PORT
DB_NAME=$DB_NAME
DB_SECRET_ARN=$DB_SECRET_ARN
RDS_CA=$RDS_CA
EOF
cat > /usr/local/sbin/wordpress-db-credentials <<'PY'
#!/usr/bin/python3
"""Writes /etc/wordpress/database.php from the database secret; with a path, a MySQL option file too."""
import grp, json, os, subprocess, sys, tempfile

settings = dict(line.rstrip('\\n').split('=', 1) for line in open('/etc/wordpress/database.env') if '=' in line)
secret = json.loads(subprocess.run(
    ['aws', 'secretsmanager', 'get-secret-value', '--region', settings['REGION'],
     '--secret-id', settings['DB_SECRET_ARN'], '--query', 'SecretString', '--output', 'text'],
    check=True, capture_output=True, text=True).stdout)

def quoted(value, quote):
    return quote + str(value).replace('\\\\', '\\\\\\\\').replace(quote, '\\\\' + quote) + quote

def write(path, text, group):
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path))
    with os.fdopen(handle, 'w') as out:
        out.write(text)
    os.chmod(temporary, 0o640)
    os.chown(temporary, 0, grp.getgrnam(group).gr_gid)
    os.replace(temporary, path)

values = [('DB_NAME', settings['DB_NAME']), ('DB_USER', secret['username']),
          ('DB_PASSWORD', secret['password']), ('DB_HOST', settings['DB_HOST'] + ':' + settings['DB_PORT'])]
write('/etc/wordpress/database.php',
      '<?php\\n' + ''.join("define('%s', %s);\\n" % (name, quoted(value, "'")) for name, value in values),
      'apache')
if len(sys.argv) > 1:
    write(sys.argv[1], '[client]\\nhost=%s\\nport=%s\\nuser=%s\\npassword=%s\\nssl-ca=%s\\nssl-verify-server-cert\\n' % (
        settings['DB_HOST'], settings['DB_PORT'], secret['username'], quoted(secret['password'], '"'),
        settings['RDS_CA']), 'root')
PY
chmod 0750 /usr/local/sbin/wordpress-db-credentials

cat > /etc/systemd/system/wordpress-db-credentials.service <<'UNIT'
[Unit]
Description=Write the WordPress database credentials from Secrets Manager
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/wordpress-db-credentials
UNIT
cat > /etc/systemd/system/wordpress-db-credentials.timer <<UNIT
[Unit]
Description=Re-read the WordPress database credentials (RDS rotates the secret)

[Timer]
OnBootSec=1min
OnUnitActiveSec=${refreshMinutes}min
RandomizedDelaySec=60

[Install]
WantedBy=timers.target
UNIT

# The WordPress database, if missing, over TLS that verifies the server certificate.
MYSQL_OPTIONS=$(mktemp)
/usr/local/sbin/wordpress-db-credentials "$MYSQL_OPTIONS"
retry mysql --defaults-extra-file="$MYSQL_OPTIONS" \\
  -e "CREATE DATABASE IF NOT EXISTS \\\`$DB_NAME\\\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
rm -f "$MYSQL_OPTIONS"

cat > "$DOCROOT/wp-config.php" <<'PHP'
<?php
// DB_NAME, DB_USER, DB_PASSWORD, DB_HOST: written from Secrets Manager by wordpress-db-credentials.
require '/etc/wordpress/database.php';
require __DIR__ . '/wp-content/wp-salts.php';
require '/etc/wordpress/site.php';
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
// TLS to the database (RDS requires it).
define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);
// TLS ends at the load balancer: its X-Forwarded-Proto tells WordPress to build https links.
if (($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https') {
    $_SERVER['HTTPS'] = 'on';
}
$table_prefix = 'wp_';
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
chown root:apache "$DOCROOT/wp-config.php"
chmod 0640 "$DOCROOT/wp-config.php"

${renderSiteSettings(props.wordpress)}
${renderApacheConfig(props.vpcCidr)}
${renderPhpConfig(props.php)}
${renderInstallOnce({ ...props.wordpress, region: props.region })}
${renderFleetCron(props.wordpress.cronIntervalMinutes)}

systemctl daemon-reload
/usr/local/sbin/wordpress-install-once
systemctl enable --now wordpress-db-credentials.timer wordpress-cron.timer php-fpm httpd

# Last: the load balancer sends traffic only once everything above has succeeded.
${renderHealthEndpoint(healthPagePath)}
`;
}

/**
 * The script as a Terraform string literal: `%{` and every `${` that is not a CDKTF token are
 * doubled (`%%{`, `$${`), which Terraform renders as the literal text (Terraform language,
 * "Strings and Templates", escape sequences), so Apache's `%{VAR}` and the agent's `${aws:...}`
 * reach the instance unchanged while references still resolve.
 */
export function terraformLiteral(script: string): string {
  return script.replace(/%\{/g, '%%{').replace(/\$\{(?!TfToken\[)/g, () => '$${');
}

/**
 * Bytes EC2 receives for a rendered script, which the launch template sends gzip-compressed
 * (Terraform `base64gzip`; cloud-init decompresses gzip user data, cloud-init docs "User data
 * formats"; EC2 counts the 16 KB on the raw data before base64, EC2 user guide "Run commands when
 * you launch an EC2 instance"). Each unresolved Terraform reference (`${TfToken[...]}`) counts as
 * `tokenBytes` on top of the compressed text, a generous bound on the ARN, id or host name it stands for.
 */
export function userDataBytes(script: string, tokenBytes = 256): number {
  const tokens = script.match(/\$\{TfToken\[[^\]]*\]\}/g) ?? [];
  const literal = tokens.reduce((text, token) => text.replace(token, ''), script);
  return gzipSync(Buffer.from(literal, 'utf8')).length + tokens.length * tokenBytes;
}
