import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Construct } from 'constructs';

/** AWS managed rule groups every web ACL of this project evaluates, in this order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
  'AWSManagedRulesAnonymousIpList',
] as const;

/**
 * The core rule set's body rules an upload or an editor save trips (AWS WAF developer guide, "Core
 * rule set (CRS) managed rule group"): SizeRestrictions_BODY blocks any body over 8 KB (8,192 bytes),
 * and CrossSiteScripting_BODY matches the HTML a post editor saves. With `bodyRuleExemptPaths`, the
 * group only counts them, and `BODY_RULES_OUTSIDE_EXEMPT_PATHS` blocks on their labels elsewhere.
 */
export const CRS_BODY_RULES = [
  { rule: 'SizeRestrictions_BODY', label: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body' },
  { rule: 'CrossSiteScripting_BODY', label: 'awswaf:managed:aws:core-rule-set:CrossSiteScripting_Body' },
] as const;

/** The rule that blocks the core rule set's body matches outside the exempt paths. */
export const BODY_RULES_OUTSIDE_EXEMPT_PATHS = 'crs-body-rules-outside-exempt-paths';

export interface WebAclProps {
  /** Name of the web ACL (1-128 characters); also the metric name prefix. */
  readonly name: string;
  /** Requests one client IP may send in any 5 minutes before it is blocked (10-2,000,000,000). @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /**
   * URI path prefixes where the core rule set's body rules (`CRS_BODY_RULES`) only count: the
   * application's upload and editor endpoints, which legitimately send large bodies and HTML. Every
   * other path still blocks on them. Each prefix starts with `/`; `[]` blocks on every path. No default
   * here: which paths an application needs is the configuration's to say.
   */
  readonly bodyRuleExemptPaths: readonly string[];
  /** Logging of the requests the ACL evaluates. */
  readonly logs: {
    /** Days the log records are kept. */
    readonly retentionDays: number;
    /** KMS key for the log group; its policy must let CloudWatch Logs use it. */
    readonly kmsKeyArn: string;
  };
}

/**
 * A regional WAFv2 web ACL for load balancers: allow by default, a per-IP rate limit first, then
 * the AWS managed rule groups (common exploits, known bad inputs, SQL injection, anonymous IPs),
 * with metrics and sampled requests for each rule, and every request logged to CloudWatch Logs
 * with the `Authorization` and `Cookie` headers redacted.
 */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly arn: string;
  readonly name: string;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    if (props.name.length < 1 || props.name.length > 128 || !/^[\w-]+$/.test(props.name)) {
      throw new Error(
        `${this.node.path}: name "${props.name}" must be 1-128 letters, digits, hyphens or underscores (AWS WAF)`,
      );
    }
    const limit = props.rateLimitPer5Minutes ?? 2000;
    if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
      throw new Error(
        `${this.node.path}: rateLimitPer5Minutes must be an integer 10-2000000000, got ${limit}`,
      );
    }
    const exemptPaths = props.bodyRuleExemptPaths;
    const badPath = exemptPaths.find((path) => !/^\/[\w./-]*$/.test(path));
    if (badPath !== undefined) {
      throw new Error(
        `${this.node.path}: bodyRuleExemptPaths entry "${badPath}" must be a path prefix starting with / (letters, digits, . _ - /)`,
      );
    }
    this.name = props.name;
    const visibility = (metric: string) => ({
      cloudwatchMetricsEnabled: true,
      metricName: `${props.name}-${metric}`,
      sampledRequestsEnabled: true,
    });

    // `statement` is untyped in the provider bindings: its keys are written as Terraform's.
    const rules: Wafv2WebAclRule[] = [
      {
        name: 'rate-limit-per-ip',
        priority: 0,
        action: { block: {} },
        statement: {
          rate_based_statement: { limit, aggregate_key_type: 'IP', evaluation_window_sec: 300 },
        },
        visibilityConfig: visibility('rate-limit-per-ip'),
      },
      ...MANAGED_RULE_GROUPS.map((group, index) => ({
        name: group,
        priority: 10 * (index + 1),
        // `none` keeps each group's own actions (block); `count` would only observe.
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            vendor_name: 'AWS',
            name: group,
            rule_action_override:
              group === 'AWSManagedRulesCommonRuleSet' && exemptPaths.length > 0
                ? CRS_BODY_RULES.map(({ rule }) => ({ name: rule, action_to_use: { count: {} } }))
                : undefined,
          },
        },
        visibilityConfig: visibility(group),
      })),
      ...(exemptPaths.length > 0 ? [this.bodyRulesOutside(exemptPaths, visibility)] : []),
    ];

    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      name: props.name,
      description: 'Rate limit and AWS managed rules in front of the load balancers',
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility('web-acl'),
      tags: { Name: props.name },
    });
    this.arn = this.webAcl.arn;

    // AWS WAF delivers only to log groups whose name starts with `aws-waf-logs-`.
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logs.retentionDays,
      kmsKeyId: props.logs.kmsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
    });
  }

  /**
   * Blocks a request the core rule set labelled for a body rule it only counted, unless its path
   * starts with an exempt prefix. Right after the core rule set (priority 11), whose labels are
   * visible to the rules after it. One regex keeps the statement within the nesting the provider
   * accepts (and > or/not > match).
   */
  private bodyRulesOutside(
    exemptPaths: readonly string[],
    visibility: (metric: string) => Wafv2WebAclRule['visibilityConfig'],
  ): Wafv2WebAclRule {
    const escaped = exemptPaths.map((path) => path.replace(/[.]/g, '\\.'));
    return {
      name: BODY_RULES_OUTSIDE_EXEMPT_PATHS,
      priority: 11,
      action: { block: {} },
      statement: {
        and_statement: {
          statement: [
            {
              or_statement: {
                statement: CRS_BODY_RULES.map(({ label }) => ({
                  label_match_statement: { scope: 'LABEL', key: label },
                })),
              },
            },
            {
              not_statement: {
                statement: [
                  {
                    regex_match_statement: {
                      regex_string: `^(${escaped.join('|')})`,
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
      visibilityConfig: visibility(BODY_RULES_OUTSIDE_EXEMPT_PATHS),
    };
  }
}
