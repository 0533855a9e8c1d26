import { parseEnvironments } from '../../config';
import { domainNameProblem, WORDPRESS_BODY_PATHS } from '../../config/edge';
import { environments } from '../../config/environments';
import { configProblems, minimalEnvironment } from '../helpers';

const valid = minimalEnvironment;
const zoneId = 'Z0123456789ABCDEFGHIJ';

/** The problems listed for one environment with these settings; fails the test if it parses. */
const problemsOf = (overrides: Record<string, unknown>) => configProblems([{ ...valid, ...overrides }]);

describe('edge configuration', () => {
  test('by default there is no domain and WAF is off, with a 2000-request rate limit ready', () => {
    const [environment] = parseEnvironments([{ ...valid, deletionProtection: false, domain: undefined }]);
    expect(environment.domain).toBeUndefined();
    expect(environment.waf).toEqual({
      enabled: false,
      rateLimitPer5Minutes: 2000,
      bodyRuleExemptPaths: [...WORDPRESS_BODY_PATHS],
    });
  });

  test("WordPress's upload and editor endpoints are exempt from the WAF body rules by default", () => {
    expect(WORDPRESS_BODY_PATHS).toEqual([
      '/wp-admin/async-upload.php',
      '/wp-admin/media-new.php',
      '/wp-admin/post.php',
      '/wp-admin/admin-ajax.php',
      '/wp-json/',
    ]);
  });

  test('a WAF body-rule exempt path that is not a path prefix is rejected', () => {
    expect(problemsOf({ waf: { bodyRuleExemptPaths: ['/wp-json/', 'wp-admin/'] } })).toEqual([
      'dev: waf.bodyRuleExemptPaths[1]: must be a path prefix starting with / such as /wp-json/',
    ]);
  });

  test('only the protected shipped environment (prod) has a domain, a placeholder; WAF only in prod', () => {
    const parsed = parseEnvironments(environments);
    expect(parsed.map((environment) => environment.domain)).toEqual([
      undefined,
      undefined,
      { name: 'example.com', hostedZoneId: 'Z00000000000000000000' },
    ]);
    expect(parsed.map((environment) => [environment.name, environment.waf.enabled])).toEqual([
      ['dev', false],
      ['stg', false],
      ['prod', true],
    ]);
  });

  test('a protected environment without a domain is rejected (it would serve plain HTTP)', () => {
    expect(problemsOf({ domain: undefined })).toEqual([
      'dev: domain: a protected environment (deletionProtection) must serve HTTPS: set domain.name and domain.hostedZoneId',
    ]);
  });

  test('an unprotected environment may go without a domain', () => {
    const [environment] = parseEnvironments([{ ...valid, deletionProtection: false, domain: undefined }]);
    expect(environment.domain).toBeUndefined();
  });

  test('a domain with its hosted zone is accepted', () => {
    const [environment] = parseEnvironments([
      { ...valid, domain: { name: 'shop.example.co.jp', hostedZoneId: zoneId } },
    ]);
    expect(environment.domain).toEqual({ name: 'shop.example.co.jp', hostedZoneId: zoneId });
  });

  test('a domain without a hosted zone id is rejected', () => {
    expect(problemsOf({ domain: { name: 'example.com' } })).toEqual([
      'dev: domain.hostedZoneId: is required with name (certificate validation writes to that zone)',
    ]);
  });

  test('a hosted zone id without a domain name is rejected', () => {
    expect(problemsOf({ domain: { hostedZoneId: zoneId } })).toEqual([
      'dev: domain.name: is required with hostedZoneId (the zone needs its domain name)',
    ]);
  });

  test('a malformed domain name is rejected', () => {
    expect(problemsOf({ domain: { name: 'Example.com.', hostedZoneId: zoneId } })).toEqual([
      'dev: domain.name: "Example.com." is not a domain name such as example.com (lower case, labels of 1-63 letters, digits and hyphens, no trailing dot)',
    ]);
  });

  test('a wildcard is rejected, asking for the apex the certificate already covers', () => {
    expect(problemsOf({ domain: { name: '*.example.com', hostedZoneId: zoneId } })).toEqual([
      'dev: domain.name: "*.example.com" is a wildcard; give the apex (example.com): the certificate covers *.example.com itself',
    ]);
  });

  test.each(['EXAMPLE.com', 'example.com.', 'example', '-shop.example.com'])('"%s" is rejected', (name) => {
    expect(domainNameProblem(name)).toBe(
      `"${name}" is not a domain name such as example.com (lower case, labels of 1-63 letters, digits and hyphens, no trailing dot)`,
    );
  });

  test.each(['example.com', 'shop-1.example.co.jp', 'xn--eckwd4c7c.jp'])('"%s" is accepted', (name) => {
    expect(domainNameProblem(name)).toBeUndefined();
  });

  test.each(['z0123456789ABC', 'Z0123456789abc', 'Z', '/hostedzone/Z0123456789ABC'])(
    'hosted zone id "%s" is rejected',
    (hostedZoneId) => {
      expect(problemsOf({ domain: { name: 'example.com', hostedZoneId } })).toEqual([
        'dev: domain.hostedZoneId: is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
      ]);
    },
  );

  test('a domain name over the 64 characters of a certificate Common Name is rejected; 64 is accepted', () => {
    const name = (length: number) => `${'a'.repeat(length - 4)}.com`;
    expect(domainNameProblem(name(64))).toBeUndefined();
    expect(domainNameProblem(name(65))).toBe(
      `"${name(65)}" is 65 characters; ACM takes at most 64 for the certificate's domain name (its Common Name)`,
    );
  });

  test('a hosted zone id that is not one is rejected', () => {
    expect(problemsOf({ domain: { name: 'example.com', hostedZoneId: '/hostedzone/Z123' } })).toEqual([
      'dev: domain.hostedZoneId: is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
    ]);
  });

  test('a rate limit below what AWS WAF accepts is rejected', () => {
    expect(problemsOf({ waf: { enabled: true, rateLimitPer5Minutes: 5 } })).toEqual([
      'dev: waf.rateLimitPer5Minutes: Number must be greater than or equal to 10',
    ]);
  });
});
