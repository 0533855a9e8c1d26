/**
 * Tag rules: every provider sets the default tags, and no resource overrides them.
 */
import type { Rule } from '../rule';
import { block, isSet } from '../synthesized';
import { failIf } from './helpers';

/** The default tags every provider carries (`stacks/base-stack.ts`). */
export const REQUIRED_DEFAULT_TAGS = ['project', 'environment', 'stack', 'managed-by'] as const;

export const TAG_RULES: readonly Rule[] = [
  {
    id: 'GR-TAG-1',
    info: `AWS providers set the default tags ${REQUIRED_DEFAULT_TAGS.join(', ')}.`,
    explanation:
      'Default tags reach every taggable resource of the stack, so cost reports and access policies can ' +
      'rely on them; BaseStack sets them.',
    resourceTypes: ['provider.aws'],
    severity: 'error',
    check: (provider) => {
      const tags = block(block(provider.config.default_tags).tags);
      const missing = REQUIRED_DEFAULT_TAGS.filter((key) => !isSet(tags[key]));
      return failIf(missing.length > 0, `default_tags lacks ${missing.join(', ')}`);
    },
  },
  {
    id: 'GR-TAG-2',
    info: 'Resources do not override the default tags with other values.',
    explanation:
      "A resource's own tags win over the provider's default tags; a different `project` or `stack` on " +
      'one resource breaks every report that groups by them.',
    resourceTypes: ['aws_*'],
    severity: 'error',
    check: (resource, { stack }) => {
      const tags = block(resource.config.tags);
      const providerRef = String(resource.config.provider ?? 'aws').replace(/^\$\{(.*)\}$/, '$1');
      const defaults = block(block(stack.get(providerRef)?.config.default_tags).tags);
      return Object.entries(defaults)
        .filter(([key, value]) => key in tags && tags[key] !== value)
        .map(
          ([key, value]) =>
            `tags.${key} is ${JSON.stringify(tags[key])}, the default tag is ${JSON.stringify(value)}`,
        );
    },
  },
];
