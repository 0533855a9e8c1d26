import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cloudWatchAgentConfig,
  keepAliveTimeoutSeconds,
  postMaxMegabytes,
  renderApacheConfig,
  renderCloudWatchAgent,
  renderHealthEndpoint,
  renderPhpConfig,
  webLogGroupName,
} from '../../modules/web-server-config';
import { heredoc, logGroupNames } from './web-user-data-fixture';

const php = { uploadMaxMegabytes: 64, workerMegabytes: 128, reservedMegabytes: 512 };

describe('Apache', () => {
  const rendered = renderApacheConfig('10.0.0.0/16', 60, php);
  const config = heredoc(rendered, "cat > /etc/httpd/conf.d/wordpress.conf <<'CONF'", 'CONF').split('\n');
  const block = (opener: string) =>
    config.slice(
      config.indexOf(opener),
      config.indexOf(opener) +
        1 +
        config.slice(config.indexOf(opener)).findIndex((line) => /^<\/\w+>$/.test(line)),
    );

  test('keep-alive outlasts the load balancer idle timeout, so the load balancer closes first (no 502)', () => {
    expect(config.slice(1, 3)).toEqual(['KeepAlive On', 'KeepAliveTimeout 65']);
    const longer = heredoc(
      renderApacheConfig('10.0.0.0/16', 300, php),
      "cat > /etc/httpd/conf.d/wordpress.conf <<'CONF'",
      'CONF',
    );
    expect(longer.split('\n').filter((line) => line.startsWith('KeepAliveTimeout'))).toEqual([
      'KeepAliveTimeout 305',
    ]);
    for (const idle of [1, 60, 4000]) expect(keepAliveTimeoutSeconds(idle)).toBeGreaterThan(idle);
  });

  test("request bodies up to PHP's post_max_size, past Apache's 1 GiB default", () => {
    expect(config[3]).toBe(`LimitRequestBody ${72 * 1024 * 1024}`);
    const large = { ...php, uploadMaxMegabytes: 2048 };
    const rendered2048 = heredoc(
      renderApacheConfig('10.0.0.0/16', 60, large),
      "cat > /etc/httpd/conf.d/wordpress.conf <<'CONF'",
      'CONF',
    );
    expect(rendered2048.split('\n').filter((line) => line.startsWith('LimitRequestBody'))).toEqual([
      'LimitRequestBody 2155872256',
    ]);
    expect(postMaxMegabytes(large)).toBe(2056);
  });

  test('client addresses from X-Forwarded-For, believed only from the VPC (the load balancer)', () => {
    expect([config[0], ...config.slice(4, 9)]).toEqual([
      'ServerTokens Prod',
      '<IfModule !remoteip_module>',
      '    LoadModule remoteip_module modules/mod_remoteip.so',
      '</IfModule>',
      'RemoteIPHeader X-Forwarded-For',
      'RemoteIPInternalProxy 10.0.0.0/16',
    ]);
    expect(rendered.split('\n')).toContain(
      `sed -i -E 's/^(\\s*LogFormat ")%h /\\1%a /' /etc/httpd/conf/httpd.conf`,
    );
  });

  test('the log formats are rewritten to the client address', () => {
    const httpdConf = [
      '    LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined',
      '    LogFormat "%h %l %u %t \\"%r\\" %>s %b" common',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'httpd-'));
    writeFileSync(join(dir, 'httpd.conf'), httpdConf);
    const sed = rendered.split('\n').find((line) => line.startsWith('sed -i'))!;
    expect(
      spawnSync('bash', ['-c', sed.replace('/etc/httpd/conf/httpd.conf', join(dir, 'httpd.conf'))]).status,
    ).toBe(0);
    expect(readFileSync(join(dir, 'httpd.conf'), 'utf8')).toBe(httpdConf.replace(/"%h /g, '"%a '));
  });

  test('no .htaccess anywhere, and the WordPress permalink rules in the server config', () => {
    expect(block('<Directory "/var/www/html">')).toEqual([
      '<Directory "/var/www/html">',
      '    AllowOverride None',
      '    Options FollowSymLinks',
      '    Require all granted',
      '    RewriteEngine On',
      '    RewriteBase /',
      '    RewriteRule ^index\\.php$ - [L]',
      '    RewriteCond %{REQUEST_FILENAME} !-f',
      '    RewriteCond %{REQUEST_FILENAME} !-d',
      '    RewriteRule . /index.php [L]',
      '</Directory>',
    ]);
    expect(config.filter((line) => line.includes('AllowOverride'))).toEqual(['    AllowOverride None']);
  });

  test('PHP never runs under uploads, whatever the case or variant of its extension', () => {
    const uploads = block('<Directory "/var/www/html/wp-content/uploads">');
    expect(uploads).toEqual([
      '<Directory "/var/www/html/wp-content/uploads">',
      '    Options -ExecCGI',
      '    <FilesMatch "(?i)\\.(php\\d*|pht|phtml|phar|phps)$">',
      '        Require all denied',
      '    </FilesMatch>',
      '</Directory>',
    ]);
    const pattern = new RegExp(uploads[2].match(/"(.*)"/)![1].replace('(?i)', ''), 'i');
    for (const name of ['shell.php', 'shell.PHP', 'x.php7', 'x.phtml', 'x.phar', 'x.pht'])
      expect(name).toMatch(pattern);
    for (const name of ['photo.jpg', 'php.png', 'x.php.txt']) expect(name).not.toMatch(pattern);
  });

  test('the installers, the fleet files and the salts are never served', () => {
    expect(block('<LocationMatch "^/wp-admin/(install|setup-config)\\.php">')).toEqual([
      '<LocationMatch "^/wp-admin/(install|setup-config)\\.php">',
      '    Require all denied',
      '</LocationMatch>',
    ]);
    expect(block('<Directory "/var/www/html/wp-content/.fleet">')).toEqual([
      '<Directory "/var/www/html/wp-content/.fleet">',
      '    Require all denied',
      '</Directory>',
    ]);
    expect(block('<Files "wp-salts.php">')).toEqual([
      '<Files "wp-salts.php">',
      '    Require all denied',
      '</Files>',
    ]);
    const installer = new RegExp('^/wp-admin/(install|setup-config)\\.php');
    expect('/wp-admin/install.php?step=2').toMatch(installer);
    expect('/wp-admin/setup-config.php').toMatch(installer);
    expect('/wp-admin/index.php').not.toMatch(installer);
  });

  test('the configuration is checked before the boot goes on', () => {
    expect(rendered.split('\n').at(-1)).toBe('httpd -t');
  });
});

describe('PHP', () => {
  const rendered = renderPhpConfig({ uploadMaxMegabytes: 64, workerMegabytes: 128, reservedMegabytes: 512 });
  const wwwConf = [
    '[www]',
    'pm = dynamic',
    'pm.max_children = 50',
    'pm.start_servers = 5',
    'pm.min_spare_servers = 5',
    'pm.max_spare_servers = 35',
    ';pm.max_requests = 500',
  ].join('\n');

  /** Runs the PHP section against a copy of AL2023's www.conf on an instance with `memoryKiB`. */
  function sized(memoryKiB: number) {
    const dir = mkdtempSync(join(tmpdir(), 'php-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'php-fpm'), '#!/bin/bash\nexit 0\n');
    chmodSync(join(dir, 'bin', 'php-fpm'), 0o755);
    writeFileSync(join(dir, 'meminfo'), `MemTotal:       ${memoryKiB} kB\nMemFree:         1000 kB\n`);
    writeFileSync(join(dir, 'www.conf'), wwwConf);
    const script = rendered
      .replace('/etc/php.d/90-wordpress.ini', join(dir, 'php.ini'))
      .replace('/proc/meminfo', join(dir, 'meminfo'))
      .split('/etc/php-fpm.d/www.conf')
      .join(join(dir, 'www.conf'));
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
    });
    expect(result.stderr.toString()).toBe('');
    const pool = readFileSync(join(dir, 'www.conf'), 'utf8').split('\n');
    return { pool: pool.filter((line) => line.startsWith('pm')), stdout: result.stdout.toString() };
  }

  test('upload and memory limits from configuration; no .user.ini on the shared files', () => {
    expect(heredoc(rendered, "cat > /etc/php.d/90-wordpress.ini <<'INI'", 'INI').split('\n')).toEqual([
      'upload_max_filesize = 64M',
      'post_max_size = 72M',
      'memory_limit = 128M',
      'expose_php = Off',
      'user_ini.filename =',
    ]);
  });

  test('a 2 GiB instance (t4g.small) gets (1.9 GiB - 512 MB) / 128 MB workers', () => {
    const { pool, stdout } = sized(1_926_000);
    expect(pool).toEqual([
      'pm = dynamic',
      'pm.max_children = 10',
      'pm.start_servers = 2',
      'pm.min_spare_servers = 2',
      'pm.max_spare_servers = 5',
    ]);
    expect(stdout).toBe('PHP-FPM: 10 workers for 1880 MB\n');
  });

  test('a tiny instance still gets two workers, with spare counts PHP-FPM accepts', () => {
    expect(sized(600_000).pool).toEqual([
      'pm = dynamic',
      'pm.max_children = 2',
      'pm.start_servers = 1',
      'pm.min_spare_servers = 1',
      'pm.max_spare_servers = 1',
    ]);
  });

  test('a 16 GiB instance scales up', () => {
    expect(sized(16_000_000).pool[1]).toBe('pm.max_children = 118');
  });
});

describe('health endpoint', () => {
  const rendered = renderHealthEndpoint('/healthz.php');
  const php = heredoc(rendered, `cat > "$DOCROOT/healthz.php" <<'PHP'`, 'PHP').split('\n');

  test('healthy only under PHP-FPM with the shared wp-content readable and writable; no database', () => {
    expect(php.slice(3, 7)).toEqual([
      "$healthy = PHP_SAPI === 'fpm-fcgi'",
      "    && is_readable(__DIR__ . '/wp-content/wp-salts.php')",
      '    && @file_put_contents($probe, (string) time()) !== false',
      '    && @file_get_contents($probe) !== false;',
    ]);
    expect(php).toContain('http_response_code($healthy ? 200 : 503);');
    expect(php.join('\n')).not.toMatch(/mysql|wpdb|wp-load|wp-config|DB_/i);
  });

  test('each instance writes its own probe file, in the directory the boot creates and Apache hides', () => {
    expect(php[2]).toBe("$probe = __DIR__ . '/wp-content/.fleet/health/' . gethostname();");
    expect(rendered.split('\n')[0]).toBe('install -d /var/www/html/wp-content/.fleet/health');
  });
});

describe('CloudWatch agent', () => {
  test('memory and root-disk use in CWAgent by Auto Scaling group; the four web logs to their groups', () => {
    expect(cloudWatchAgentConfig(logGroupNames)).toEqual({
      agent: { metrics_collection_interval: 60, run_as_user: 'root' },
      metrics: {
        namespace: 'CWAgent',
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
            collect_list: [
              {
                file_path: '/var/log/httpd/access_log',
                log_group_name: '/proj-dev/web/apache-access',
                log_stream_name: '{instance_id}',
              },
              {
                file_path: '/var/log/httpd/error_log',
                log_group_name: '/proj-dev/web/apache-error',
                log_stream_name: '{instance_id}',
              },
              {
                file_path: '/var/log/php-fpm/error.log',
                log_group_name: '/proj-dev/web/php-fpm-error',
                log_stream_name: '{instance_id}',
              },
              {
                file_path: '/var/log/cloud-init-output.log',
                log_group_name: '/proj-dev/web/cloud-init-output',
                log_stream_name: '{instance_id}',
              },
            ],
          },
        },
      },
    });
  });

  test('the configuration is written as a file, parsed back whole, and the agent started from it', () => {
    const rendered = renderCloudWatchAgent(logGroupNames);
    const file = heredoc(rendered, "cat > /opt/aws/amazon-cloudwatch-agent/etc/web.json <<'JSON'", 'JSON');
    expect(JSON.parse(file)).toEqual(cloudWatchAgentConfig(logGroupNames));
    expect(rendered.split('\n').at(-1)).toBe(
      '/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -c file:/opt/aws/amazon-cloudwatch-agent/etc/web.json -s',
    );
  });

  test('log groups are named /<namePrefix>/web/<log>', () => {
    expect(webLogGroupName('proj-prod', 'php-fpm-error')).toBe('/proj-prod/web/php-fpm-error');
  });
});
