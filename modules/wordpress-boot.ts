/**
 * The WordPress parts of the web tier's boot script, each a pure function returning bash: the pinned
 * release and WP-CLI (verified by SHA-256), the site settings, the one-time install, and the
 * fleet-wide cron. `renderWebUserData` puts them in order.
 */

/** Where WordPress lives on every instance; `wp-content` under it is the shared EFS mount. */
export const DOCROOT = '/var/www/html';
/** Fleet coordination files on EFS (locks, last cron run, health probes); Apache denies the path. */
export const FLEET_DIR = `${DOCROOT}/wp-content/.fleet`;

export interface PinnedDownload {
  readonly version: string;
  /** SHA-256 of the file, 64 hex digits; the boot stops when the download differs. */
  readonly sha256: string;
}

export interface WordPressRelease extends PinnedDownload {
  /** `en_US`, `ja`, `de_DE`... */
  readonly locale: string;
}

export interface WordPressSiteProps {
  /** Region of the administrator's secret (the AWS CLI needs it). */
  readonly region: string;
  readonly release: WordPressRelease;
  readonly wpCli: PinnedDownload;
  /** The address the site answers on (`https://example.com`), set by the install. */
  readonly siteUrl: string;
  readonly siteTitle: string;
  readonly adminUser: string;
  readonly adminEmail: string;
  /**
   * Secrets Manager secret, created empty by Terraform, that receives the administrator's generated
   * credentials (JSON: username, password, email) just before the install uses them.
   */
  readonly adminSecretArn: string;
  /** Let the dashboard install plugins and themes (`DISALLOW_FILE_MODS` false). */
  readonly allowFileMods: boolean;
  /** Minutes between fleet-wide WP-Cron runs. */
  readonly cronIntervalMinutes: number;
}

/** `value` in single quotes for bash. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where wordpress.org serves a release: en_US from `wordpress.org/wordpress-<v>.tar.gz`, every other
 * locale from `downloads.wordpress.org/release/<locale>/wordpress-<v>.tar.gz` (the URL wordpress.org's
 * locale pages and WP-CLI's `core download` use; `<lang>.wordpress.org` is not a host every locale has).
 */
export function wordpressReleaseUrl(version: string, locale: string): string {
  return locale === 'en_US'
    ? `https://wordpress.org/wordpress-${version}.tar.gz`
    : `https://downloads.wordpress.org/release/${locale}/wordpress-${version}.tar.gz`;
}

export function wpCliUrl(version: string): string {
  return `https://github.com/wp-cli/wp-cli/releases/download/v${version}/wp-cli-${version}.phar`;
}

/** Download `url` to `path` and stop the boot, loudly, unless its SHA-256 is `sha256`. */
function verifiedDownload(what: string, url: string, path: string, sha256: string): string {
  return `retry curl -fsSL -o ${path} ${shellQuote(url)}
if ! echo ${shellQuote(`${sha256}  ${path}`)} | sha256sum -c --strict -; then
  echo "FATAL: ${what} at ${url} does not match the pinned SHA-256 ${sha256}; boot stopped" >&2
  exit 1
fi`;
}

/** The pinned release to /tmp/wordpress.tar.gz, verified. */
export function renderWordPressDownload(release: WordPressRelease): string {
  const url = wordpressReleaseUrl(release.version, release.locale);
  return `# WordPress ${release.version} (${release.locale}), exactly the reviewed package: a new release is a config change.
${verifiedDownload(`WordPress ${release.version}`, url, '/tmp/wordpress.tar.gz', release.sha256)}`;
}

/**
 * Core files root-owned and read-only to everyone else: PHP (apache) can run them, not change them.
 * Runs before the EFS mount, so it never touches the shared wp-content.
 */
export function renderCoreOwnership(): string {
  return `chown -R root:root "$DOCROOT"
chmod -R u=rwX,go=rX "$DOCROOT"`;
}

/** WP-CLI, pinned and verified, and `wp-site`: WP-CLI as the PHP user on this site. */
export function renderWpCli(wpCli: PinnedDownload): string {
  return `# WP-CLI ${wpCli.version}, pinned and verified: it installs WordPress and runs its cron.
${verifiedDownload(`WP-CLI ${wpCli.version}`, wpCliUrl(wpCli.version), '/usr/local/bin/wp', wpCli.sha256)}
chmod 0755 /usr/local/bin/wp
install -d -o apache -g apache -m 0750 /var/lib/wp-cli
cat > /usr/local/bin/wp-site <<'SH'
#!/bin/bash
# WP-CLI as apache (what PHP runs as), on this site: operators use it too (sudo wp-site ...).
exec runuser -u apache -- env HOME=/var/lib/wp-cli WP_CLI_CACHE_DIR=/var/lib/wp-cli/cache \\
  /usr/local/bin/wp --path=${DOCROOT} "$@"
SH
chmod 0755 /usr/local/bin/wp-site`;
}

/** The site's own settings, required by wp-config.php: cron, file modifications, updates. */
export function renderSiteSettings(props: Pick<WordPressSiteProps, 'allowFileMods'>): string {
  return `cat > /etc/wordpress/site.php <<'PHP'
<?php
// The wordpress-cron timer runs WP-Cron once per interval for the fleet; page views never call the site.
define('DISABLE_WP_CRON', true);
// Code changes arrive through reviewed changes: no editor, and no installs from the dashboard unless allowed.
define('DISALLOW_FILE_EDIT', true);
define('DISALLOW_FILE_MODS', ${props.allowFileMods ? 'false' : 'true'});
define('FS_METHOD', 'direct');
// Core is pinned in configuration; the dashboard must not replace it on one instance.
define('WP_AUTO_UPDATE_CORE', false);
PHP
chown root:apache /etc/wordpress/site.php
chmod 0640 /etc/wordpress/site.php`;
}

/**
 * The one-time install. Every instance runs it at boot; a lock on EFS lets one work at a time
 * (`flock` on NFS is a whole-file NFSv4 byte-range lock, flock(2) "NFS details", which EFS holds for
 * all its clients; EFS user guide, "Amazon EFS quotas", quotas for NFS clients: locks per mount),
 * and `wp core is-installed` (the database's answer) makes the others, and every later boot, stop.
 * The administrator's password is generated here and stored in Secrets Manager before the install
 * uses it (Terraform creates the secret without a value; GetSecretValue answers
 * ResourceNotFoundException until a value exists, Secrets Manager API reference), so it is never in
 * user data or state; a value already there is reused, never replaced. WP-CLI reads it from
 * standard input (`wp core install --prompt=admin_password`, WP-CLI command reference), not from
 * its command line.
 */
export function renderInstallOnce(props: WordPressSiteProps): string {
  const settings: [string, string][] = [
    ['REGION', props.region],
    ['SITE_URL', props.siteUrl],
    ['SITE_TITLE', props.siteTitle],
    ['ADMIN_USER', props.adminUser],
    ['ADMIN_EMAIL', props.adminEmail],
    ['ADMIN_SECRET_ARN', props.adminSecretArn],
  ];
  return `cat > /etc/wordpress/site.env <<'EOF'
${settings.map(([name, value]) => `${name}=${shellQuote(value)}`).join('\n')}
EOF
cat > /usr/local/sbin/wordpress-install-once <<'SH'
#!/bin/bash
# Installs WordPress once for the whole fleet (see the comment in modules/wordpress-boot.ts).
set -euo pipefail
source /etc/wordpress/site.env
exec 9>${FLEET_DIR}/install.lock
flock -w 900 9
if wp-site core is-installed; then exit 0; fi
CREDENTIALS=$(mktemp)
ERRORS=$(mktemp)
trap 'rm -f "$CREDENTIALS" "$ERRORS"' EXIT
# A value already stored is kept (a failed earlier attempt, or a database that did not answer).
if ! aws secretsmanager get-secret-value --region "$REGION" --secret-id "$ADMIN_SECRET_ARN" \\
  --query SecretString --output text > "$CREDENTIALS" 2> "$ERRORS"; then
  grep -q ResourceNotFoundException "$ERRORS" || { cat "$ERRORS" >&2; exit 1; }
  python3 - "$CREDENTIALS" "$ADMIN_USER" "$ADMIN_EMAIL" <<'PY'
import json, secrets, sys
path, user, email = sys.argv[1:]
with open(path, 'w') as out:
    json.dump({'username': user, 'password': secrets.token_urlsafe(32), 'email': email}, out)
PY
  aws secretsmanager put-secret-value --region "$REGION" --secret-id "$ADMIN_SECRET_ARN" \\
    --secret-string "file://$CREDENTIALS" > /dev/null
fi
python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["password"])' "$CREDENTIALS" |
  wp-site core install --url="$SITE_URL" --title="$SITE_TITLE" --admin_user="$ADMIN_USER" \\
    --admin_email="$ADMIN_EMAIL" --skip-email --prompt=admin_password
echo "WordPress installed; administrator credentials are in $ADMIN_SECRET_ARN"
SH
chmod 0700 /usr/local/sbin/wordpress-install-once`;
}

/**
 * WP-Cron once per interval for the fleet, without the site calling itself over HTTP: a timer on
 * every instance fires each minute; the one that takes the EFS lock (`flock -n`) and finds the last
 * run at least an interval old runs the due events locally with WP-CLI; the others exit.
 */
export function renderFleetCron(intervalMinutes: number): string {
  const intervalSeconds = intervalMinutes * 60;
  return `cat > /usr/local/sbin/wordpress-cron <<'SH'
#!/bin/bash
# One WP-Cron run per interval for the whole fleet (see the comment in modules/wordpress-boot.ts).
set -euo pipefail
exec 9>${FLEET_DIR}/cron.lock
flock -n 9 || exit 0
NOW=$(date +%s)
LAST=$(cat ${FLEET_DIR}/cron.last 2>/dev/null || echo 0)
if [ $((NOW - LAST)) -lt ${intervalSeconds - 30} ]; then exit 0; fi
wp-site core is-installed || exit 0
echo "$NOW" > ${FLEET_DIR}/cron.last
exec wp-site cron event run --due-now
SH
chmod 0700 /usr/local/sbin/wordpress-cron
cat > /etc/systemd/system/wordpress-cron.service <<'UNIT'
[Unit]
Description=Run due WP-Cron events if no instance has this interval
After=network-online.target remote-fs.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/wordpress-cron
UNIT
cat > /etc/systemd/system/wordpress-cron.timer <<'UNIT'
[Unit]
Description=Offer to run WP-Cron every minute (one instance per ${intervalMinutes}-minute interval does)

[Timer]
OnBootSec=2min
OnUnitActiveSec=1min

[Install]
WantedBy=timers.target
UNIT`;
}
