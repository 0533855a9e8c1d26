import { z } from 'zod';

/**
 * Tag keys the project sets itself: the provider's default tags on every resource (stacks/base-stack.ts)
 * and the `Name` the modules give each resource. A user tag with one of these keys would be silently
 * replaced, so it is an error.
 */
export const PROJECT_TAG_KEYS = ['project', 'environment', 'stack', 'managed-by', 'Name'] as const;

// AWS tagging rules ("Tagging your AWS resources", tag restrictions, and the `Tag` type of the IAM,
// EFS and AWS Backup API references): keys of 1-128 and values of 0-256 Unicode characters; letters,
// numbers, spaces and _ . : / = + - @; no `aws:` prefix in any case, on keys or values; at most 50
// tags per resource.
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const AWS_PREFIX = /^aws:/i;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const MAX_TAGS_PER_RESOURCE = 50;
const ALLOWED = 'letters, digits, spaces and _ . : / = + - @';

/** Why `key` cannot be a user tag key, or undefined if it can. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'a tag key cannot be empty';
  if ([...key].length > MAX_KEY_LENGTH)
    return `key is ${[...key].length} characters; AWS allows ${MAX_KEY_LENGTH}`;
  if (!TAG_CHARACTERS.test(key))
    return `key "${key}" has characters AWS refuses in tags (allowed: ${ALLOWED})`;
  if (AWS_PREFIX.test(key)) return `key "${key}" starts with "aws:", which AWS reserves for its own tags`;
  if ((PROJECT_TAG_KEYS as readonly string[]).includes(key))
    return `"${key}" is set by the project itself (${PROJECT_TAG_KEYS.join(', ')}); choose another key`;
  return undefined;
}

/** Why `value` cannot be a tag value, or undefined if it can. */
export function tagValueProblem(value: string): string | undefined {
  if ([...value].length > MAX_VALUE_LENGTH)
    return `value is ${[...value].length} characters; AWS allows ${MAX_VALUE_LENGTH}`;
  if (!TAG_CHARACTERS.test(value))
    return `value "${value}" has characters AWS refuses in tags (allowed: ${ALLOWED})`;
  if (AWS_PREFIX.test(value)) return `value "${value}" starts with "aws:", which AWS reserves`;
  return undefined;
}

/** Extra tags for every resource, beside the project's own (PROJECT_TAG_KEYS). */
export const tagsSchema = z.record(z.string(), z.string()).superRefine((tags, ctx) => {
  const entries = Object.entries(tags);
  // The provider adds its four default tags and most resources a Name on top of these.
  const room = MAX_TAGS_PER_RESOURCE - PROJECT_TAG_KEYS.length;
  if (entries.length > room)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `${entries.length} tags; AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and the project sets ${PROJECT_TAG_KEYS.length}, so at most ${room}`,
    });
  for (const [key, value] of entries) {
    const problem = tagKeyProblem(key) ?? tagValueProblem(value);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: problem });
  }
});
