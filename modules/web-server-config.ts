/**
 * The server parts of the web tier's boot script, each a pure function returning bash: Apache (no
 * .htaccess, permalinks, no PHP under uploads, client IPs from the load balancer), PHP and PHP-FPM
 * sized from the instance's memory, the health endpoint, and the CloudWatch agent.
 */
import { DOCROOT, FLEET_DIR } from './wordpress-boot';

/** Namespace of the agent's metrics (`mem_used_percent`, `disk_used_percent`). */
export const WEB_AGENT_NAMESPACE = 'CWAgent';

/** The files the CloudWatch agent ships, by the last part of their log group's name. */
export const WEB_LOG_FILES = {
  'apache-access': '/var/log/httpd/access_log',
  'apache-error': '/var/log/httpd/error_log',
  'php-fpm-error': '/var/log/php-fpm/error.log',
  'cloud-init-output': '/var/log/cloud-init-output.log',
} as const;

export type WebLogName = keyof typeof WEB_LOG_FILES;

/** `/<namePrefix>/web/<log>`: the log group of one web-tier log. */
export function webLogGroupName(namePrefix: string, log: WebLogName): string {
  return `/${namePrefix}/web/${log}`;
}

export interface PhpLimits {
  /** `upload_max_filesize` in MB; `post_max_size` is 8 MB more. */
  readonly uploadMaxMegabytes: number;
  /** `memory_limit` of one worker in MB; divides the memory left for PHP-FPM. */
  readonly workerMegabytes: number;
  /** MB kept for the OS, Apache and the agents before workers are counted. */
  readonly reservedMegabytes: number;
}

/**
 * Seconds Apache keeps an idle keep-alive connection from the load balancer open: longer than the
 * load balancer's idle timeout, so the load balancer always closes first. Elastic Load Balancing,
 * "Edit attributes for your Application Load Balancer", Connection idle timeout: when the target
 * closes first, the load balancer may send a request on the closing connection and answer the
 * client 502 Bad Gateway. Apache's own default (5 s) is far below the load balancer's (60 s).
 */
export function keepAliveTimeoutSeconds(loadBalancerIdleTimeoutSeconds: number): number {
  return loadBalancerIdleTimeoutSeconds + 5;
}

/** PHP's `post_max_size` in MB: the largest upload and 8 MB for the rest of the form. */
export function postMaxMegabytes(limits: PhpLimits): number {
  return limits.uploadMaxMegabytes + 8;
}

/**
 * Apache for WordPress behind the load balancer. `AllowOverride None`: no `.htaccess` is read, so a
 * file dropped on the shared wp-content cannot change the server; the permalink rules WordPress
 * would write to .htaccess live here. PHP never runs under uploads (denied here, not in .htaccess).
 * The installers are denied always: the site is installed from the boot script, and after that they
 * have nothing to do. mod_remoteip takes the client address from X-Forwarded-For when the peer is in
 * the VPC (the load balancer's nodes), and the log formats use it (`%a`, mod_remoteip docs).
 * Keep-alive outlasts the load balancer's idle timeout (`keepAliveTimeoutSeconds`). Request bodies
 * may be as large as PHP's `post_max_size`: since httpd 2.4.54 Apache's own `LimitRequestBody`
 * default is 1 GiB (Apache core documentation, LimitRequestBody), which would refuse larger uploads
 * with 413 before PHP sees them.
 */
export function renderApacheConfig(
  vpcCidr: string,
  loadBalancerIdleTimeoutSeconds: number,
  php: PhpLimits,
): string {
  return `cat > /etc/httpd/conf.d/wordpress.conf <<'CONF'
ServerTokens Prod
KeepAlive On
KeepAliveTimeout ${keepAliveTimeoutSeconds(loadBalancerIdleTimeoutSeconds)}
LimitRequestBody ${postMaxMegabytes(php) * 1024 * 1024}
<IfModule !remoteip_module>
    LoadModule remoteip_module modules/mod_remoteip.so
</IfModule>
RemoteIPHeader X-Forwarded-For
RemoteIPInternalProxy ${vpcCidr}
<Directory "${DOCROOT}">
    AllowOverride None
    Options FollowSymLinks
    Require all granted
    RewriteEngine On
    RewriteBase /
    RewriteRule ^index\\.php$ - [L]
    RewriteCond %{REQUEST_FILENAME} !-f
    RewriteCond %{REQUEST_FILENAME} !-d
    RewriteRule . /index.php [L]
</Directory>
<Directory "${DOCROOT}/wp-content/uploads">
    Options -ExecCGI
    <FilesMatch "(?i)\\.(php\\d*|pht|phtml|phar|phps)$">
        Require all denied
    </FilesMatch>
</Directory>
<Directory "${FLEET_DIR}">
    Require all denied
</Directory>
<Files "wp-salts.php">
    Require all denied
</Files>
<LocationMatch "^/wp-admin/(install|setup-config)\\.php">
    Require all denied
</LocationMatch>
CONF
sed -i -E 's/^(\\s*LogFormat ")%h /\\1%a /' /etc/httpd/conf/httpd.conf
httpd -t`;
}

/**
 * PHP limits from configuration, and PHP-FPM's worker count from this instance's memory:
 * (MemTotal - reserved) / per-worker, at least 2, so a small instance does not swap or get killed
 * under load and a large one uses what it has. `user_ini.filename` is emptied so a `.user.ini`
 * dropped on the shared wp-content cannot change PHP settings.
 */
export function renderPhpConfig(limits: PhpLimits): string {
  return `cat > /etc/php.d/90-wordpress.ini <<'INI'
upload_max_filesize = ${limits.uploadMaxMegabytes}M
post_max_size = ${postMaxMegabytes(limits)}M
memory_limit = ${limits.workerMegabytes}M
expose_php = Off
user_ini.filename =
INI
MEMORY_MB=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
FPM_CHILDREN=$(( (MEMORY_MB - ${limits.reservedMegabytes}) / ${limits.workerMegabytes} ))
if [ "$FPM_CHILDREN" -lt 2 ]; then FPM_CHILDREN=2; fi
FPM_SPARE=$(( FPM_CHILDREN / 4 > 1 ? FPM_CHILDREN / 4 : 1 ))
FPM_SPARE_MAX=$(( FPM_CHILDREN / 2 > FPM_SPARE ? FPM_CHILDREN / 2 : FPM_SPARE ))
sed -i -E \\
  -e "s/^;?pm = .*/pm = dynamic/" \\
  -e "s/^;?pm\\.max_children = .*/pm.max_children = $FPM_CHILDREN/" \\
  -e "s/^;?pm\\.start_servers = .*/pm.start_servers = $FPM_SPARE/" \\
  -e "s/^;?pm\\.min_spare_servers = .*/pm.min_spare_servers = $FPM_SPARE/" \\
  -e "s/^;?pm\\.max_spare_servers = .*/pm.max_spare_servers = $FPM_SPARE_MAX/" \\
  /etc/php-fpm.d/www.conf
grep -qx "pm.max_children = $FPM_CHILDREN" /etc/php-fpm.d/www.conf
echo "PHP-FPM: $FPM_CHILDREN workers for $MEMORY_MB MB"
php-fpm -t`;
}

/**
 * The load balancer's health endpoint: 200 only when PHP-FPM runs the script and the shared
 * wp-content (EFS) can be read and written. It never asks the database, on purpose: a database blip
 * would fail every instance at once, the group would replace a healthy fleet, and the load balancer
 * would fail open anyway. A hung EFS mount hangs the script; the target group's timeout then counts
 * the check as failed.
 */
export function renderHealthEndpoint(path: string): string {
  return `install -d ${FLEET_DIR}/health
cat > "$DOCROOT${path}" <<'PHP'
<?php
header('Cache-Control: no-store');
$probe = __DIR__ . '/wp-content/.fleet/health/' . gethostname();
$healthy = PHP_SAPI === 'fpm-fcgi'
    && is_readable(__DIR__ . '/wp-content/wp-salts.php')
    && @file_put_contents($probe, (string) time()) !== false
    && @file_get_contents($probe) !== false;
http_response_code($healthy ? 200 : 503);
echo $healthy ? "ok\\n" : "unhealthy\\n";
PHP
chmod 0644 "$DOCROOT${path}"`;
}

/**
 * The CloudWatch agent's configuration (CloudWatch user guide, "Manually create or edit the
 * CloudWatch agent configuration file"): memory and root-disk use every minute, aggregated by the
 * Auto Scaling group alone (`append_dimensions` + `aggregation_dimensions`), the EFS mount left out
 * (only `/` is collected); and the web logs into log groups Terraform creates, one stream per instance.
 */
export function cloudWatchAgentConfig(logGroupNames: Readonly<Record<WebLogName, string>>): object {
  return {
    agent: { metrics_collection_interval: 60, run_as_user: 'root' },
    metrics: {
      namespace: WEB_AGENT_NAMESPACE,
      append_dimensions: { AutoScalingGroupName: '${aws:AutoScalingGroupName}' },
      aggregation_dimensions: [['AutoScalingGroupName']],
      metrics_collected: {
        mem: { measurement: ['used_percent'] },
        disk: { resources: ['/'], measurement: ['used_percent'], ignore_file_system_types: ['nfs4'] },
      },
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: (Object.keys(WEB_LOG_FILES) as WebLogName[]).map((log) => ({
            file_path: WEB_LOG_FILES[log],
            log_group_name: logGroupNames[log],
            log_stream_name: '{instance_id}',
          })),
        },
      },
    },
  };
}

/**
 * Writes the agent's configuration as a file and starts the agent with it. Run early in the boot, so
 * the cloud-init output of a boot that fails later still reaches CloudWatch Logs.
 */
export function renderCloudWatchAgent(logGroupNames: Readonly<Record<WebLogName, string>>): string {
  const path = '/opt/aws/amazon-cloudwatch-agent/etc/web.json';
  return `cat > ${path} <<'JSON'
${JSON.stringify(cloudWatchAgentConfig(logGroupNames))}
JSON
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -c file:${path} -s`;
}
