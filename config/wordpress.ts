import { z } from 'zod';

/**
 * Release packages whose SHA-256 this project ships, keyed `<version>/<locale>`. wordpress.org
 * publishes only MD5 and SHA-1 beside its packages; these SHA-256 values come from nixpkgs, which
 * fetches the same file (`pkgs/servers/web-apps/wordpress/default.nix`, fetchurl of
 * `https://wordpress.org/wordpress-<version>.tar.gz`, a flat SHA-256 of the download). Any other
 * version or locale needs its own `sha256` in the configuration: download the package, compare its
 * SHA-1 with the `.sha1` file wordpress.org publishes beside it, then run `sha256sum` on it.
 */
export const KNOWN_WORDPRESS_RELEASES: Readonly<Record<string, string>> = {
  '6.9.4/en_US': 'db610ad9f549e0abb5af3e3d5c6729c58d874439654cdf0afea425b2ea895f35',
  '7.0.1/en_US': 'dc10592da9b580c7525632850e0cced371b13081853ac29afe93b5d5bb00db98',
};

/**
 * WP-CLI 2.12.0 (`wp-cli-2.12.0.phar` from the project's GitHub release); the SHA-256 is the one
 * the release publishes beside the phar (`wp-cli-2.12.0.phar.sha256`), the same value pinned by
 * several independent public install scripts.
 */
export const DEFAULT_WP_CLI = {
  version: '2.12.0',
  sha256: 'ce34ddd838f7351d6759068d09793f26755463b4a4610a5a5c0a97b68220d85c',
} as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256: 64 lowercase hexadecimal digits');

const wordpressObject = z
  .object({
    /** The WordPress release every instance installs; changing it is the upgrade (docs/operations.md). @default '6.9.4' */
    version: z
      .string()
      .regex(/^\d+\.\d+(\.\d+)?$/, 'must be a WordPress release such as 6.9.4')
      .default('6.9.4'),
    /** Locale of the release package: `en_US`, `ja`, `de_DE`. @default 'en_US' */
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?(_[a-z]+)?$/, 'must be a WordPress locale such as ja, en_US or de_DE')
      .default('en_US'),
    /**
     * SHA-256 of the release package; the boot fails when the download does not match. Required for a
     * version/locale this project does not ship a checksum for (KNOWN_WORDPRESS_RELEASES).
     * @default the shipped checksum of `version`/`locale`
     */
    sha256: sha256.optional(),
    /** WP-CLI, which installs WordPress and runs its cron. @default DEFAULT_WP_CLI */
    wpCli: z
      .object({
        version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a WP-CLI release such as 2.12.0'),
        sha256,
      })
      .strict()
      .default({ ...DEFAULT_WP_CLI }),
    /** Site title set by the first install. @default 'WordPress' */
    siteTitle: z.string().min(1).max(200).default('WordPress'),
    /** The first administrator's login; the password is generated on the instance. @default 'admin' */
    adminUser: z
      .string()
      .regex(/^[a-z0-9_.@-]{1,60}$/, 'must be 1-60 lowercase letters, digits or _ . @ -')
      .default('admin'),
    /** The first administrator's e-mail (password resets, update notices). @default 'admin@example.com' */
    adminEmail: z.string().email().default('admin@example.com'),
    /**
     * Let administrators install and update plugins and themes from the dashboard. Off, code changes
     * only through a reviewed change (`DISALLOW_FILE_MODS`); the theme and plugin editor stays off always.
     * @default false
     */
    allowFileMods: z.boolean().default(false),
    /** Minutes between fleet-wide WP-Cron runs (one instance runs each). @default 5 */
    cronIntervalMinutes: z.number().int().min(1).max(60).default(5),
    /** `upload_max_filesize`; `post_max_size` is this plus 8 MB for the form. @default 64 */
    uploadMaxMegabytes: z.number().int().min(2).max(2048).default(64),
    /** Memory one PHP-FPM worker may use (`memory_limit`), which sizes `pm.max_children`. @default 128 */
    phpWorkerMegabytes: z.number().int().min(64).max(2048).default(128),
    /** Memory kept for the OS, Apache and agents before PHP-FPM workers are counted. @default 512 */
    reservedMegabytes: z.number().int().min(256).max(16384).default(512),
  })
  .strict();

/** WordPress itself: the pinned release, its first install, cron and PHP limits. */
export const wordpressSchema = wordpressObject.superRefine((wordpress, ctx) => {
  const known = KNOWN_WORDPRESS_RELEASES[`${wordpress.version}/${wordpress.locale}`];
  if (wordpress.sha256 === undefined && known === undefined)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['sha256'],
      message: `is required for WordPress ${wordpress.version} (${wordpress.locale}): this project ships checksums only for ${Object.keys(KNOWN_WORDPRESS_RELEASES).join(', ')}; set the SHA-256 of that release package (docs/operations.md, "Upgrading WordPress")`,
    });
});

export type WordPressConfig = z.output<typeof wordpressSchema>;

/** The checksum the boot verifies: the configured one, else the shipped one. */
export function wordpressSha256(wordpress: WordPressConfig): string {
  const value = wordpress.sha256 ?? KNOWN_WORDPRESS_RELEASES[`${wordpress.version}/${wordpress.locale}`];
  if (value === undefined)
    throw new Error(`no SHA-256 for WordPress ${wordpress.version} (${wordpress.locale})`);
  return value;
}
