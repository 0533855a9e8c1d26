/**
 * KMS rules: symmetric keys rotate, and only the account root holds `kms:*` in a key policy.
 */
import type { Rule } from '../rule';
import { asNumber, isTrue } from '../synthesized';
import { failIf } from './helpers';

/** Yearly: KMS's default rotation period (AWS KMS API reference, EnableKeyRotation). */
const MAX_ROTATION_DAYS = 365;

/** `kms:*` or `*` in any case: IAM compares action names without regard to case. */
const ALL_KMS_ACTIONS = /^(\*|kms:\*)$/i;

/** The account root as a key-policy principal: the delegation to IAM in AWS's default key policy. */
const ACCOUNT_ROOT = /^(arn:[^:]+:iam::(\d{12}|\$\{[^}]+\}):root|\d{12})$/;

export const KMS_RULES: readonly Rule[] = [
  {
    id: 'GR-KMS-1',
    info: 'Symmetric KMS keys rotate yearly.',
    explanation:
      'Rotation bounds how much data one key version protects. KMS rotates a symmetric encryption key ' +
      'every rotation_period_in_days (90 to 2560, 365 when unset), and cannot rotate asymmetric or HMAC ' +
      'keys (AWS KMS API reference, EnableKeyRotation), so a symmetric key enables rotation with a ' +
      'period of at most 365 days.',
    resourceTypes: ['aws_kms_key'],
    severity: 'error',
    check: (key) => {
      const spec = key.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
      if (spec !== 'SYMMETRIC_DEFAULT') return [];
      if (!isTrue(key.config.enable_key_rotation)) return ['enable_key_rotation is not true'];
      const period = asNumber(key.config.rotation_period_in_days);
      return failIf(
        period !== undefined && period > MAX_ROTATION_DAYS,
        `rotation_period_in_days is ${period}, more than ${MAX_ROTATION_DAYS}`,
      );
    },
  },
  {
    id: 'GR-KMS-2',
    info: 'Only the account root holds `kms:*` in a key policy.',
    explanation:
      "AWS's default key policy gives the account root `kms:*` on `*` (in a key policy, the key itself), " +
      "which delegates the key to the account's IAM policies: that statement is the named exception. " +
      'Any other principal gets the named actions it needs.',
    resourceTypes: ['aws_kms_key', 'aws_kms_key_policy'],
    severity: 'error',
    check: (key, { stack }) =>
      (stack.policyStatements(key.config.policy) ?? []).flatMap((s) => {
        const wildcard =
          s.effect === 'Allow' && (s.actions.some((a) => ALL_KMS_ACTIONS.test(a)) || s.notActions.length > 0);
        if (!wildcard) return [];
        const others = s.principals.flatMap((p) =>
          p.type === 'AWS'
            ? p.identifiers.filter((id) => !ACCOUNT_ROOT.test(id))
            : [`${p.type}:${p.identifiers.join(',')}`],
        );
        return others.length > 0 ? [`grants kms:* to ${others.join(', ')}`] : [];
      }),
  },
];
