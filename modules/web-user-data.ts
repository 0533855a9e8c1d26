/**
 * The web tier's first-boot script (cloud-init user data), rendered by a pure function so tests can
 * read it. It carries names and ARNs only: WordPress's own database user and password are read from
 * its Secrets Manager secret by the instance role at boot, and again every few minutes, because the
 * data stack's function rotates them (alternating users: the previous user keeps working until the
 * next rotation, so a re-read every few minutes never holds a dead password). The WordPress
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
    /** The WordPress database (the data stack's database-users function creates it). */
    readonly name: string;
    /** Secrets Manager secret of WordPress's own user (`username`, `password`), never the master's. */
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
  /** The load balancer's idle timeout: Apache keeps connections open longer (no 502 on reuse). */
  readonly loadBalancerIdleTimeoutSeconds: number;
  /** Log groups (created by Terraform) the CloudWatch agent ships each web log to. */
  readonly logGroupNames: Readonly<Record<WebLogName, string>>;
  /** Path of the health endpoint. @default DEFAULT_HEALTH_PAGE_PATH */
  readonly healthPagePath?: string;
  /** Minutes between re-reads of the secret (rotated every 30 days by default). @default 10 */
  readonly credentialsRefreshMinutes?: number;
}

/**
 * The bash script that turns Amazon Linux 2023 into a WordPress web server: Apache, PHP (FPM), the
 * MySQL client (MariaDB's, which AL2023 ships), the EFS mount helper and the CloudWatch agent
 * (started first, so a failed boot's output reaches CloudWatch Logs); the pinned WordPress and WP-CLI,
 * verified; the shared `wp-content` on EFS (mounted now and in `/etc/fstab`); its database settings
 * from WordPress's own secret; the verified-TLS database class (`db.php` drop-in); the one-time
 * install; cron; then PHP-FPM and httpd, and the health endpoint last.
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
RDS_CA=${RDS_CA_BUNDLE_PATH}

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

# The RDS CAs, every Region's (RDS user guide, "Using SSL/TLS to encrypt a connection").
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

# Database settings: names here, credentials from WordPress's own secret (re-read on a timer: it rotates).
install -d -m 0750 -o root -g apache /etc/wordpress
cat > /etc/wordpress/database.env <<EOF
REGION=$REGION
DB_HOST=$DB_HOST
DB_PORT=$DB_PORT
DB_NAME=$DB_NAME
DB_SECRET_ARN=$DB_SECRET_ARN
EOF
cat > /usr/local/sbin/wordpress-db-credentials <<'PY'
#!/usr/bin/python3
"""Writes /etc/wordpress/database.php from WordPress's own database secret (its current user)."""
import grp, json, os, subprocess, tempfile

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
Description=Re-read the WordPress database credentials (the secret rotates)

[Timer]
OnBootSec=1min
OnUnitActiveSec=${refreshMinutes}min
RandomizedDelaySec=60

[Install]
WantedBy=timers.target
UNIT

# Credentials now; the timer keeps them current.
retry /usr/local/sbin/wordpress-db-credentials
${databaseTlsDropIn()}
cat > "$DOCROOT/wp-config.php" <<'PHP'
<?php
// DB_NAME, DB_USER, DB_PASSWORD, DB_HOST: written from Secrets Manager by wordpress-db-credentials.
require '/etc/wordpress/database.php';
require __DIR__ . '/wp-content/wp-salts.php';
require '/etc/wordpress/site.php';
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${WP_CONFIG_DATABASE_TLS}
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
${renderApacheConfig(props.vpcCidr, props.loadBalancerIdleTimeoutSeconds, props.php)}
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

/** Where the user data puts the RDS CA bundle. */
export const RDS_CA_BUNDLE_PATH = '/etc/pki/rds/global-bundle.pem';

/**
 * wp-config's database TLS settings. WordPress core passes MYSQL_CLIENT_FLAGS to
 * mysqli_real_connect and never calls mysqli_ssl_set (wp-includes/class-wpdb.php, db_connect), and
 * without a CA PHP's mysqlnd encrypts but does not verify the server: the drop-in below verifies
 * against MYSQL_SSL_CA. MYSQLI_CLIENT_SSL_DONT_VERIFY_SERVER_CERT is never set.
 */
export const WP_CONFIG_DATABASE_TLS = `// TLS to MySQL (RDS requires it), verified against the RDS CAs (wp-content/db.php).
define('MYSQL_CLIENT_FLAGS', MYSQLI_CLIENT_SSL);
define('MYSQL_SSL_CA', '${RDS_CA_BUNDLE_PATH}');`;

/**
 * WordPress's database class with verified TLS, loaded through the \`db.php\` drop-in (WordPress
 * loads \`wp-content/db.php\` before it creates \`$wpdb\`): it connects as core does, with the CA set by
 * mysqli_ssl_set and MYSQLI_OPT_SSL_VERIFY_SERVER_CERT on (PHP manual, mysqli::options), so a server
 * whose certificate the RDS CAs did not sign for its host name is refused. Root-owned on the instance;
 * the drop-in on the shared file system only requires it.
 */
export const VERIFIED_TLS_WPDB_PHP = `<?php
class Verified_Tls_Wpdb extends wpdb {
  private $once = false;
  public function db_connect($allow_bail = true) {
    $this->is_mysql = true;
    mysqli_report(MYSQLI_REPORT_OFF);
    $this->dbh = mysqli_init();
    mysqli_ssl_set($this->dbh, null, null, MYSQL_SSL_CA, null, null);
    mysqli_options($this->dbh, MYSQLI_OPT_SSL_VERIFY_SERVER_CERT, true);
    list($host, $port, $socket) = $this->parse_db_host($this->dbhost) ?: array($this->dbhost, null, null);
    $flags = (defined('MYSQL_CLIENT_FLAGS') ? MYSQL_CLIENT_FLAGS : 0) | MYSQLI_CLIENT_SSL;
    if (!@mysqli_real_connect($this->dbh, $host, $this->dbuser, $this->dbpassword, null, $port, $socket, $flags)) {
      $this->dbh = null;
      if ($allow_bail) {
        wp_load_translations_early();
        $this->bail('<h1>' . __('Error establishing a database connection') . '</h1>', 'db_connect_fail');
      }
      return false;
    }
    if (!$this->once) $this->init_charset();
    $this->once = true;
    $this->set_charset($this->dbh);
    $this->ready = true;
    $this->set_sql_mode();
    $this->select($this->dbname, $this->dbh);
    return true;
  }
}
$wpdb = new Verified_Tls_Wpdb(DB_USER, DB_PASSWORD, DB_NAME, DB_HOST);
`;

/** The bash that installs the verified-TLS database class and its drop-in (after wp-content is mounted). */
function databaseTlsDropIn(): string {
  return `# Verified database TLS: the class on the instance, its drop-in on wp-content.
cat > /etc/wordpress/verified-tls-wpdb.php <<'PHP'
${VERIFIED_TLS_WPDB_PHP}PHP
chown root:apache /etc/wordpress/verified-tls-wpdb.php
chmod 0640 /etc/wordpress/verified-tls-wpdb.php
echo "<?php require '/etc/wordpress/verified-tls-wpdb.php';" > "$WP_CONTENT/db.php"`;
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
