import { z } from 'zod';

/**
 * The edge of an environment: the domain its load balancers answer on (a Route 53 public hosted zone
 * the environment's account owns) and the WAF web ACL in front of them. Both live in the network
 * stack, so the compute and containers stacks share them without depending on each other.
 */

// RFC 1035 host names as Route 53 and ACM take them: labels of 1-63 letters, digits and hyphens,
// not starting or ending with a hyphen, at least two labels.
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
// The apex is the certificate's domain name, its Common Name: at most 64 characters (ACM API
// reference, RequestCertificate `DomainName`, after RFC 5280), shorter than DNS's 253.
const MAX_DOMAIN_LENGTH = 64;
// Route 53 hosted zone ids: `Z` and upper-case letters and digits (not the `/hostedzone/` path form).
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/**
 * The domain of the environment. With it, the network stack requests an ACM certificate for the
 * apex and `*.<name>` (DNS-validated in the zone), load balancers serve HTTPS and redirect HTTP, and
 * the compute stack points the apex at its load balancer. Both fields are needed together.
 * @default undefined (no domain: load balancers serve plain HTTP on their AWS DNS names)
 */
export const domainSchema = z
  .object({
    /** The apex, e.g. `example.com`: lower case, no trailing dot. */
    name: z
      .string({ required_error: 'is required with hostedZoneId (the zone needs its domain name)' })
      .superRefine((name, ctx) => {
        const problem = domainNameProblem(name);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }),
    /** Id of the public hosted zone of `name`, e.g. `Z0123456789ABCDEFGHIJ`. */
    hostedZoneId: z
      .string({ required_error: 'is required with name (certificate validation writes to that zone)' })
      .regex(HOSTED_ZONE_ID, 'is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ'),
  })
  .strict();

/** Why `name` is not a domain name ACM and Route 53 take, or undefined if it is one. */
export function domainNameProblem(name: string): string | undefined {
  if (name.length > MAX_DOMAIN_LENGTH)
    return `"${name}" is ${name.length} characters; ACM takes at most ${MAX_DOMAIN_LENGTH} for the certificate's domain name (its Common Name)`;
  if (name.startsWith('*.'))
    return `"${name}" is a wildcard; give the apex (${name.slice(2)}): the certificate covers *.${name.slice(2)} itself`;
  const labels = name.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)))
    return `"${name}" is not a domain name such as example.com (lower case, labels of 1-63 letters, digits and hyphens, no trailing dot)`;
  return undefined;
}

/** WordPress endpoints that legitimately post bodies over 8 KB or HTML (uploads and editor saves). */
export const WORDPRESS_BODY_PATHS = [
  '/wp-admin/async-upload.php',
  '/wp-admin/media-new.php',
  '/wp-admin/post.php',
  '/wp-admin/admin-ajax.php',
  '/wp-json/',
] as const;

/**
 * WAFv2 web ACL for the environment's load balancers: AWS managed rule groups (common, known bad
 * inputs, SQL injection, anonymous IP list) and a per-IP rate limit, logged to CloudWatch Logs.
 */
export const wafSchema = z
  .object({
    /** A web ACL costs a monthly fee per ACL and per rule, plus a fee per million requests. @default false */
    enabled: z.boolean().default(false),
    /**
     * Requests one client IP may send in any 5 minutes before it is blocked (AWS WAF allows
     * 10-2,000,000,000).
     * @default 2000
     */
    rateLimitPer5Minutes: z.number().int().min(10).max(2_000_000_000).default(2000),
    /**
     * Path prefixes where the core rule set's SizeRestrictions_BODY (bodies over 8 KB) and
     * CrossSiteScripting_BODY only count instead of blocking: WordPress's media upload, post editor
     * (classic and block editor over the REST API) and admin-ajax endpoints, which send large bodies
     * and HTML by design. Every other path still blocks on both rules. `[]` blocks everywhere.
     * @default WORDPRESS_BODY_PATHS
     */
    bodyRuleExemptPaths: z
      .array(z.string().regex(/^\/[\w./-]*$/, 'must be a path prefix starting with / such as /wp-json/'))
      .default([...WORDPRESS_BODY_PATHS]),
  })
  .strict();

/** What the edge check needs of the environment. */
interface EdgePlacement {
  readonly deletionProtection: boolean;
  readonly domain?: unknown;
}

/**
 * A protected environment serves HTTPS: without a domain its load balancers would carry logins and
 * cookies in clear text on their AWS DNS names.
 */
export function checkEdge(environment: EdgePlacement, ctx: z.RefinementCtx): void {
  if (environment.deletionProtection && environment.domain === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['domain'],
      message:
        'a protected environment (deletionProtection) must serve HTTPS: set domain.name and domain.hostedZoneId',
    });
  }
}
