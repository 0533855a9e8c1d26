import { Testing } from 'cdktf';
import { MANAGED_RULE_GROUPS, WebAcl, type WebAclProps } from '../../modules/web-acl';

type Body = Record<string, unknown>;

function synthWebAcl(overrides: Partial<WebAclProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new WebAcl(scope, 'web-acl', {
      name: 'proj-dev-web-acl',
      logs: { retentionDays: 30, kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/k' },
      bodyRuleExemptPaths: [],
      ...overrides,
    });
  });
  return JSON.parse(json) as { resource: Record<string, Record<string, Body>> };
}

describe('WebAcl', () => {
  const config = synthWebAcl({ rateLimitPer5Minutes: 500 });
  const [webAcl] = Object.values(config.resource.aws_wafv2_web_acl);
  const rules = webAcl.rule as Body[];

  test('is regional and allows what no rule blocks', () => {
    expect(webAcl).toMatchObject({
      name: 'proj-dev-web-acl',
      scope: 'REGIONAL',
      default_action: { allow: {} },
      visibility_config: { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true },
    });
  });

  test('the per-IP rate limit comes first and blocks', () => {
    expect(rules[0]).toMatchObject({
      name: 'rate-limit-per-ip',
      priority: 0,
      action: { block: {} },
      statement: { rate_based_statement: { limit: 500, aggregate_key_type: 'IP' } },
    });
  });

  test('the AWS managed rule groups follow, each enforcing its own actions, with metrics', () => {
    expect(rules.slice(1)).toEqual(
      MANAGED_RULE_GROUPS.map((group) =>
        expect.objectContaining({
          name: group,
          override_action: { none: {} },
          statement: { managed_rule_group_statement: { vendor_name: 'AWS', name: group } },
          visibility_config: expect.objectContaining({ metric_name: `proj-dev-web-acl-${group}` }),
        }),
      ),
    );
    expect(MANAGED_RULE_GROUPS).toEqual([
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'AWSManagedRulesSQLiRuleSet',
      'AWSManagedRulesAnonymousIpList',
    ]);
  });

  test('requests are logged to an aws-waf-logs- group with retention and KMS, credentials redacted', () => {
    const [logGroupId, logGroup] = Object.entries(config.resource.aws_cloudwatch_log_group)[0];
    expect(logGroup).toMatchObject({
      name: 'aws-waf-logs-proj-dev-web-acl',
      retention_in_days: 30,
      kms_key_id: 'arn:aws:kms:ap-northeast-1:123456789012:key/k',
    });
    expect(Object.values(config.resource.aws_wafv2_web_acl_logging_configuration)[0]).toMatchObject({
      log_destination_configs: [`\${aws_cloudwatch_log_group.${logGroupId}.arn}`],
      redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }],
    });
  });

  test('the rate limit defaults to 2000 requests per 5 minutes', () => {
    const [defaults] = Object.values(synthWebAcl().resource.aws_wafv2_web_acl);
    expect((defaults.rule as Body[])[0]).toMatchObject({
      statement: { rate_based_statement: { limit: 2000 } },
    });
  });

  test('a rate limit below 10 fails at construction', () => {
    expect(() => synthWebAcl({ rateLimitPer5Minutes: 5 })).toThrow(
      'rateLimitPer5Minutes must be an integer 10-2000000000, got 5',
    );
  });

  test('setting bodyRuleExemptPaths counts the core rule set body rules and re-blocks them elsewhere', () => {
    const [acl] = Object.values(
      synthWebAcl({ bodyRuleExemptPaths: ['/wp-admin/async-upload.php', '/wp-json/'] }).resource
        .aws_wafv2_web_acl,
    );
    const [, crs, , , , reblock] = acl.rule as Body[];
    expect(crs.statement).toEqual({
      managed_rule_group_statement: {
        vendor_name: 'AWS',
        name: 'AWSManagedRulesCommonRuleSet',
        rule_action_override: [
          { name: 'SizeRestrictions_BODY', action_to_use: { count: {} } },
          { name: 'CrossSiteScripting_BODY', action_to_use: { count: {} } },
        ],
      },
    });
    expect(reblock).toEqual({
      name: 'crs-body-rules-outside-exempt-paths',
      priority: 11,
      action: { block: {} },
      statement: {
        and_statement: {
          statement: [
            {
              or_statement: {
                statement: [
                  {
                    label_match_statement: {
                      scope: 'LABEL',
                      key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body',
                    },
                  },
                  {
                    label_match_statement: {
                      scope: 'LABEL',
                      key: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body',
                    },
                  },
                ],
              },
            },
            {
              not_statement: {
                statement: [
                  {
                    regex_match_statement: {
                      regex_string: '^(/wp-admin/async-upload\\.php|/wp-json/)',
                      field_to_match: { uri_path: {} },
                      text_transformation: [{ priority: 0, type: 'NONE' }],
                    },
                  },
                ],
              },
            },
          ],
        },
      },
      visibility_config: {
        cloudwatch_metrics_enabled: true,
        metric_name: 'proj-dev-web-acl-crs-body-rules-outside-exempt-paths',
        sampled_requests_enabled: true,
      },
    });
  });

  test('without bodyRuleExemptPaths the core rule set keeps all its actions', () => {
    const [acl] = Object.values(synthWebAcl().resource.aws_wafv2_web_acl);
    expect((acl.rule as Body[]).map((rule) => rule.name)).not.toContain(
      'crs-body-rules-outside-exempt-paths',
    );
    expect((acl.rule as Body[])[1].statement).toEqual({
      managed_rule_group_statement: { vendor_name: 'AWS', name: 'AWSManagedRulesCommonRuleSet' },
    });
  });

  test('an exempt path that is not a path prefix fails at construction', () => {
    expect(() => synthWebAcl({ bodyRuleExemptPaths: ['wp-json'] })).toThrow(
      'bodyRuleExemptPaths entry "wp-json" must be a path prefix starting with /',
    );
  });

  test('a name WAF refuses fails at construction', () => {
    expect(() => synthWebAcl({ name: 'a'.repeat(129) })).toThrow('must be 1-128 letters');
  });
});
