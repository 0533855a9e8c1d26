/**
 * AWS WAF rules: managed rules that block an application's normal traffic.
 */
import type { Rule } from '../rule';
import { block, blocks } from '../synthesized';

const CORE_RULE_SET = 'AWSManagedRulesCommonRuleSet';
const SIZE_RULE = 'SizeRestrictions_BODY';
const SIZE_LABEL = 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body';

/** Whether `value` (a statement tree) matches `label` anywhere in it. */
function matchesLabel(value: unknown, label: string): boolean {
  if (Array.isArray(value)) return value.some((item) => matchesLabel(item, label));
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const match = block(record.label_match_statement);
  if (match.key === label) return true;
  return Object.values(record).some((child) => matchesLabel(child, label));
}

export const WAF_RULES: readonly Rule[] = [
  {
    id: 'GR-WAF-1',
    info: 'Web ACLs count SizeRestrictions_BODY of the core rule set and re-block its label on a narrower scope.',
    explanation:
      'The core rule set (AWSManagedRulesCommonRuleSet) blocks every request body over 8 KB ' +
      '(SizeRestrictions_BODY; AWS WAF developer guide, "Core rule set (CRS) managed rule group"), so ' +
      'media uploads and post saves through an Application Load Balancer get 403. Override the rule ' +
      'to count (rule_action_override) and block its label ' +
      `(${SIZE_LABEL}) in a later rule everywhere except the upload and editor paths, so bodies AWS ` +
      'WAF cannot inspect past 8 KB stay blocked elsewhere.',
    resourceTypes: ['aws_wafv2_web_acl'],
    severity: 'error',
    check: (acl) => {
      const rules = blocks(acl.config.rule);
      return rules.flatMap((rule) => {
        const group = block(block(rule.statement).managed_rule_group_statement);
        if (group.name !== CORE_RULE_SET || !('none' in block(rule.override_action))) return [];
        const counted = blocks(group.rule_action_override).some(
          (o) => o.name === SIZE_RULE && 'count' in block(o.action_to_use),
        );
        if (!counted) return [`rule ${String(rule.name)} leaves ${SIZE_RULE} blocking every body over 8 KB`];
        const reblocked = rules.some(
          (other) => 'block' in block(other.action) && matchesLabel(other.statement, SIZE_LABEL),
        );
        return reblocked ? [] : [`${SIZE_RULE} is counted but no rule blocks its label ${SIZE_LABEL}`];
      });
    },
  },
];
