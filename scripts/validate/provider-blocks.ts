/**
 * The check of each stack's own `provider` blocks that the one-pass validate does instead of Terraform (its
 * root module passes one shared configuration to every stack; see `root-module.ts`): every argument and
 * nested block against the provider's configuration schema (`providers schema -json`), with Terraform's
 * wording. Checked: unknown arguments and blocks, missing required arguments, too few or too many nested
 * blocks, the type of every known value, deprecated arguments (a warning). Not checked: what the provider's
 * own code validates when it is configured (value formats, conflicting arguments), and values that are
 * expressions (`${...}`), whose references Terraform would resolve; `npm run validate -- --per-stack` and
 * every plan check both.
 */
import type { CtyType } from '../plan/placeholders';
import { attributeType, type SchemaBlock, type SchemaDigest } from '../provider-schemas';
import { normalizedSource, type StackCopy, type StackProviderBlock } from './root-module';
import type { StackDiagnostic } from './one-pass';

/** Arguments every provider block takes that are not in the provider's schema. */
const META_ARGUMENTS = new Set(['alias', 'version']);

interface Problem {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail: string;
}

/** The problems of a stack's provider blocks, each naming the stack, the block and its line. */
export function checkProviderBlocks(
  stack: string,
  copy: Pick<StackCopy, 'providerBlocks' | 'providerSources'>,
  digest: Pick<SchemaDigest, 'providers'>,
): StackDiagnostic[] {
  return copy.providerBlocks.flatMap((block) => {
    const address = `provider.${block.name}${block.alias === undefined ? '' : `.${block.alias}`}`;
    const source = normalizedSource(copy.providerSources[block.name] ?? block.name);
    const schema = digest.providers[source];
    const problems: readonly Problem[] =
      schema === undefined
        ? [
            {
              severity: 'error',
              summary: 'No provider schema',
              detail: `No schema for ${source} was loaded.`,
            },
          ]
        : checkBody(withoutMetaArguments(block), schema, '');
    return problems.map((problem) => ({
      ...problem,
      stack,
      address,
      constructPath: undefined,
      location: `cdk.tf.json:${block.line}`,
    }));
  });
}

/** The problems of one block body against its schema; `within` prefixes nested blocks' details. */
export function checkBody(
  body: Readonly<Record<string, unknown>>,
  schema: SchemaBlock,
  within: string,
): Problem[] {
  const problems: Problem[] = [];
  const error = (summary: string, detail: string) =>
    problems.push({ severity: 'error', summary, detail: `${within}${detail}` });
  const attributes = schema.attributes ?? {};
  const blockTypes = schema.block_types ?? {};
  for (const [name, value] of Object.entries(body)) {
    if (name === '//') continue; // a cdktf comment
    const attribute = attributes[name];
    const blockType = blockTypes[name];
    if (attribute !== undefined) {
      if (attribute.computed === true && attribute.optional !== true && attribute.required !== true) {
        error('Value for unconfigurable attribute', `Can't configure a value for "${name}".`);
      } else if (!conforms(value, attributeType(attribute))) {
        error(
          'Incorrect attribute value type',
          `Inappropriate value for attribute "${name}": ${describe(attributeType(attribute))} required.`,
        );
      } else if (attribute.deprecated === true && value !== null) {
        problems.push({
          severity: 'warning',
          summary: 'Deprecated attribute',
          detail: `${within}The attribute "${name}" is deprecated. Refer to the provider documentation for details.`,
        });
      }
    } else if (blockType !== undefined) {
      const single = blockType.nesting_mode === 'single' || blockType.nesting_mode === 'group';
      const blocks = value === null ? [] : Array.isArray(value) ? value : [value];
      if (single && blocks.length > 1) {
        error(`Duplicate ${name} block`, `Only one "${name}" block is allowed.`);
      }
      if (
        blockType.max_items !== undefined &&
        blockType.max_items > 0 &&
        blocks.length > blockType.max_items
      ) {
        error(`Too many ${name} blocks`, `No more than ${blockType.max_items} "${name}" blocks are allowed.`);
      }
      if (blockType.min_items !== undefined && blocks.length < blockType.min_items) {
        error(
          `Insufficient ${name} blocks`,
          `At least ${blockType.min_items} "${name}" blocks are required.`,
        );
      }
      blocks.forEach((nested, index) => {
        if (!isObject(nested)) {
          error('Incorrect JSON value type', `A JSON object is required for a "${name}" block.`);
          return;
        }
        problems.push(...checkBody(nested, blockType.block, `${within}In ${name}[${index}]: `));
      });
    } else {
      error('Unsupported argument', `An argument named "${name}" is not expected here.`);
    }
  }
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required === true && (body[name] === undefined || body[name] === null)) {
      error('Missing required argument', `The argument "${name}" is required, but no definition was found.`);
    }
  }
  for (const [name, blockType] of Object.entries(blockTypes)) {
    if (body[name] === undefined && blockType.min_items !== undefined && blockType.min_items > 0) {
      error(`Insufficient ${name} blocks`, `At least ${blockType.min_items} "${name}" blocks are required.`);
    }
  }
  return problems;
}

/**
 * Whether a JSON value can be converted to `type` as Terraform converts it (a number or bool where a string
 * goes, a numeric or "true"/"false" string where a number or bool goes). A string holding an expression
 * (`${...}`) is taken as it would be known only later, and null as unset.
 */
export function conforms(value: unknown, type: CtyType): boolean {
  if (value === null || (typeof value === 'string' && value.includes('${'))) return true;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return ['string', 'number', 'boolean'].includes(typeof value);
      case 'number':
        return (
          typeof value === 'number' ||
          (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
        );
      case 'bool':
        return typeof value === 'boolean' || value === 'true' || value === 'false';
      default:
        return true; // dynamic
    }
  }
  const [kind, inner] = type;
  switch (kind) {
    case 'list':
    case 'set':
      return Array.isArray(value) && value.every((item) => conforms(item, inner as CtyType));
    case 'map':
      return isObject(value) && Object.values(value).every((item) => conforms(item, inner as CtyType));
    case 'object': {
      const fields = inner as Readonly<Record<string, CtyType>>;
      return (
        isObject(value) &&
        Object.entries(value).every(([key, item]) => fields[key] !== undefined && conforms(item, fields[key]))
      );
    }
    case 'tuple': {
      const items = inner as readonly CtyType[];
      return (
        Array.isArray(value) &&
        value.length === items.length &&
        value.every((item, i) => conforms(item, items[i]))
      );
    }
  }
  return true;
}

/** `string`, `list of string`, `map of string`, `object`, as Terraform says what a value needs to be. */
function describe(type: CtyType): string {
  if (typeof type === 'string') return type;
  if (type[0] === 'list' || type[0] === 'set' || type[0] === 'map')
    return `${type[0]} of ${describe(type[1] as CtyType)}`;
  return type[0];
}

function withoutMetaArguments(block: StackProviderBlock): Record<string, unknown> {
  return Object.fromEntries(Object.entries(block.arguments).filter(([name]) => !META_ARGUMENTS.has(name)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
