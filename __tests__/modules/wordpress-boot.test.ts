import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FLEET_DIR,
  renderFleetCron,
  renderInstallOnce,
  renderSiteSettings,
  renderWordPressDownload,
  renderWpCli,
  wordpressReleaseUrl,
  type WordPressSiteProps,
} from '../../modules/wordpress-boot';
import { heredoc, userDataProps } from './web-user-data-fixture';

const site: WordPressSiteProps = { ...userDataProps.wordpress, region: 'ap-northeast-1' };

/**
 * A sandbox to run a script the boot writes: its fleet directory is a temporary one, and the
 * commands it calls (`aws`, `wp-site`) are stubs that log their arguments and standard input.
 */
function sandbox(stubs: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'wordpress-boot-'));
  const fleet = join(root, 'fleet');
  const bin = join(root, 'bin');
  mkdirSync(fleet);
  mkdirSync(bin);
  for (const [name, body] of Object.entries(stubs)) {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/bash\nLOG=${root}/calls.log\n${body}\n`);
    chmodSync(path, 0o755);
  }
  const run = (script: string, env: Record<string, string> = {}) => {
    const path = join(root, 'script.sh');
    writeFileSync(
      path,
      script.split(FLEET_DIR).join(fleet).split('/etc/wordpress/site.env').join(join(root, 'site.env')),
    );
    return spawnSync('bash', [path], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env } });
  };
  const calls = () =>
    existsSync(join(root, 'calls.log')) ? readFileSync(join(root, 'calls.log'), 'utf8') : '';
  return { root, fleet, run, calls };
}

describe('wordpressReleaseUrl', () => {
  test('en_US comes from wordpress.org, every other locale from downloads.wordpress.org/release/<locale>', () => {
    expect(wordpressReleaseUrl('6.9.4', 'en_US')).toBe('https://wordpress.org/wordpress-6.9.4.tar.gz');
    expect(wordpressReleaseUrl('6.9.4', 'ja')).toBe(
      'https://downloads.wordpress.org/release/ja/wordpress-6.9.4.tar.gz',
    );
    expect(wordpressReleaseUrl('6.9.4', 'de_DE')).toBe(
      'https://downloads.wordpress.org/release/de_DE/wordpress-6.9.4.tar.gz',
    );
  });
});

describe('pinned downloads', () => {
  test('WordPress is checked against its SHA-256 and a mismatch stops the boot', () => {
    const release = { version: '6.9.4', locale: 'ja', sha256: 'a'.repeat(64) };
    expect(renderWordPressDownload(release).split('\n').slice(1)).toEqual([
      "retry curl -fsSL -o /tmp/wordpress.tar.gz 'https://downloads.wordpress.org/release/ja/wordpress-6.9.4.tar.gz'",
      `if ! echo '${'a'.repeat(64)}  /tmp/wordpress.tar.gz' | sha256sum -c --strict -; then`,
      `  echo "FATAL: WordPress 6.9.4 at https://downloads.wordpress.org/release/ja/wordpress-6.9.4.tar.gz does not match the pinned SHA-256 ${'a'.repeat(64)}; boot stopped" >&2`,
      '  exit 1',
      'fi',
    ]);
  });

  test('the verification really fails on a different file and passes on the right one', () => {
    const box = sandbox({ curl: 'printf wordpress > "$3"' });
    const script = (sha256: string) =>
      `retry() { "$@"; }\n${renderWordPressDownload({ version: '6.9.4', locale: 'en_US', sha256 })}`
        .split('/tmp/wordpress.tar.gz')
        .join(join(box.root, 'wordpress.tar.gz'));
    expect(box.run(script(createHash('sha256').update('wordpress').digest('hex'))).status).toBe(0);
    const mismatch = box.run(script('b'.repeat(64)));
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr.toString()).toContain('does not match the pinned SHA-256');
  });

  test('WP-CLI is pinned to its release and verified the same way', () => {
    const lines = renderWpCli(site.wpCli).split('\n');
    expect(lines[1]).toBe(
      "retry curl -fsSL -o /usr/local/bin/wp 'https://github.com/wp-cli/wp-cli/releases/download/v2.12.0/wp-cli-2.12.0.phar'",
    );
    expect(lines[2]).toBe(
      "if ! echo 'ce34ddd838f7351d6759068d09793f26755463b4a4610a5a5c0a97b68220d85c  /usr/local/bin/wp' | sha256sum -c --strict -; then",
    );
  });

  test('wp-site runs WP-CLI as apache on the docroot', () => {
    expect(
      heredoc(renderWpCli(site.wpCli), "cat > /usr/local/bin/wp-site <<'SH'", 'SH').split('\n').slice(2),
    ).toEqual([
      'exec runuser -u apache -- env HOME=/var/lib/wp-cli WP_CLI_CACHE_DIR=/var/lib/wp-cli/cache \\',
      '  /usr/local/bin/wp --path=/var/www/html "$@"',
    ]);
  });
});

describe('site settings', () => {
  const defines = (allowFileMods: boolean) =>
    heredoc(renderSiteSettings({ allowFileMods }), "cat > /etc/wordpress/site.php <<'PHP'", 'PHP')
      .split('\n')
      .filter((line) => line.startsWith('define('));

  test('cron off in page views, no editor, no file modifications, no core auto-update', () => {
    expect(defines(false)).toEqual([
      "define('DISABLE_WP_CRON', true);",
      "define('DISALLOW_FILE_EDIT', true);",
      "define('DISALLOW_FILE_MODS', true);",
      "define('FS_METHOD', 'direct');",
      "define('WP_AUTO_UPDATE_CORE', false);",
    ]);
  });

  test('an environment that opts in may install plugins, never edit them', () => {
    expect(defines(true)).toContain("define('DISALLOW_FILE_MODS', false);");
    expect(defines(true)).toContain("define('DISALLOW_FILE_EDIT', true);");
  });
});

describe('the one-time install', () => {
  const rendered = renderInstallOnce(site);
  const installer = heredoc(rendered, "cat > /usr/local/sbin/wordpress-install-once <<'SH'", 'SH');
  const siteEnv = heredoc(rendered, "cat > /etc/wordpress/site.env <<'EOF'", 'EOF');
  const stubs = (secret: 'missing' | 'denied' | 'stored', installed: boolean) => ({
    aws: `echo "aws $*" >> "$LOG"
case "$2" in
  get-secret-value)
    ${
      secret === 'stored'
        ? `echo '{"username":"admin","password":"kept-password","email":"admin@example.com"}'`
        : secret === 'missing'
          ? `echo 'An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation' >&2; exit 254`
          : `echo 'An error occurred (AccessDeniedException) when calling the GetSecretValue operation' >&2; exit 254`
    } ;;
  put-secret-value) cat "\${8#file://}" > "$(dirname "$LOG")/stored.json" ;;
esac`,
    'wp-site': `echo "wp-site $*" >> "$LOG"
if [ "$2" = is-installed ]; then exit ${installed ? 0 : 1}; fi
cat > "$(dirname "$LOG")/stdin.txt"`,
  });
  const prepare = (box: ReturnType<typeof sandbox>) =>
    writeFileSync(join(box.root, 'site.env'), `${siteEnv}\n`);

  test('site.env carries names and ARNs, quoted; no password', () => {
    expect(siteEnv.split('\n')).toEqual([
      "REGION='ap-northeast-1'",
      "SITE_URL='https://example.com'",
      `SITE_TITLE='Ann'\\''s site'`,
      "ADMIN_USER='admin'",
      "ADMIN_EMAIL='admin@example.com'",
      `ADMIN_SECRET_ARN='${site.adminSecretArn}'`,
    ]);
  });

  test('first install: generates the password, stores it in the secret, then installs with it on stdin', () => {
    const box = sandbox(stubs('missing', false));
    prepare(box);
    const result = box.run(installer);
    expect(result.stderr.toString()).toBe('');
    expect(result.status).toBe(0);
    const stored = JSON.parse(readFileSync(join(box.root, 'stored.json'), 'utf8')) as Record<string, string>;
    expect(stored.username).toBe('admin');
    expect(stored.email).toBe('admin@example.com');
    expect(stored.password).toMatch(/^[\w-]{43}$/);
    expect(readFileSync(join(box.root, 'stdin.txt'), 'utf8')).toBe(`${stored.password}\n`);
    const calls = box.calls().trim().split('\n');
    expect(calls[0]).toBe('wp-site core is-installed');
    expect(calls[2]).toMatch(
      /^aws secretsmanager put-secret-value --region ap-northeast-1 --secret-id \S+ --secret-string file:\/\//,
    );
    expect(calls[3]).toBe(
      "wp-site core install --url=https://example.com --title=Ann's site --admin_user=admin --admin_email=admin@example.com --skip-email --prompt=admin_password",
    );
    expect(box.calls()).not.toContain(stored.password);
  });

  test('already installed (another instance, or an earlier boot): nothing else happens', () => {
    const box = sandbox(stubs('missing', true));
    prepare(box);
    expect(box.run(installer).status).toBe(0);
    expect(box.calls()).toBe('wp-site core is-installed\n');
  });

  test('a password already stored is reused, never replaced', () => {
    const box = sandbox(stubs('stored', false));
    prepare(box);
    expect(box.run(installer).status).toBe(0);
    expect(box.calls()).not.toContain('put-secret-value');
    expect(readFileSync(join(box.root, 'stdin.txt'), 'utf8')).toBe('kept-password\n');
  });

  test('any other error reading the secret stops the install, without writing one', () => {
    const box = sandbox(stubs('denied', false));
    prepare(box);
    const result = box.run(installer);
    expect(result.status).toBe(1);
    expect(result.stderr.toString()).toContain('AccessDeniedException');
    expect(box.calls()).not.toContain('put-secret-value');
    expect(box.calls()).not.toContain('core install');
  });

  test('waits for the fleet-wide lock on EFS before asking the database', () => {
    const lines = installer.split('\n');
    expect(lines.slice(4, 7)).toEqual([
      `exec 9>${FLEET_DIR}/install.lock`,
      'flock -w 900 9',
      'if wp-site core is-installed; then exit 0; fi',
    ]);
  });
});

describe('fleet-wide cron', () => {
  const rendered = renderFleetCron(5);
  const runner = heredoc(rendered, "cat > /usr/local/sbin/wordpress-cron <<'SH'", 'SH');
  const stubs = { 'wp-site': 'echo "wp-site $*" >> "$LOG"' };

  test('runs due events locally once, then not again within the interval', () => {
    const box = sandbox(stubs);
    expect(box.run(runner).status).toBe(0);
    expect(box.run(runner).status).toBe(0);
    expect(box.calls()).toBe('wp-site core is-installed\nwp-site cron event run --due-now\n');
  });

  test('runs again once the last run is an interval old', () => {
    const box = sandbox(stubs);
    writeFileSync(join(box.fleet, 'cron.last'), `${Math.floor(Date.now() / 1000) - 5 * 60}\n`);
    expect(box.run(runner).status).toBe(0);
    expect(box.calls()).toContain('wp-site cron event run --due-now');
  });

  test('another instance holding the lock makes this one skip', () => {
    const box = sandbox(stubs);
    expect(box.run(`exec 8>${FLEET_DIR}/cron.lock\nflock -n 8\n${runner}`).status).toBe(0);
    expect(box.calls()).toBe('');
  });

  test('a timer on every instance offers each minute; the unit runs the runner', () => {
    expect(
      heredoc(rendered, "cat > /etc/systemd/system/wordpress-cron.timer <<'UNIT'", 'UNIT').split('\n'),
    ).toEqual([
      '[Unit]',
      'Description=Offer to run WP-Cron every minute (one instance per 5-minute interval does)',
      '',
      '[Timer]',
      'OnBootSec=2min',
      'OnUnitActiveSec=1min',
      '',
      '[Install]',
      'WantedBy=timers.target',
    ]);
    expect(rendered.split('\n')).toContain('ExecStart=/usr/local/sbin/wordpress-cron');
  });

  test('the interval is the configured one, with 30 s of slack for timers out of phase', () => {
    expect(
      heredoc(renderFleetCron(15), "cat > /usr/local/sbin/wordpress-cron <<'SH'", 'SH').split('\n'),
    ).toContain('if [ $((NOW - LAST)) -lt 870 ]; then exit 0; fi');
  });
});
