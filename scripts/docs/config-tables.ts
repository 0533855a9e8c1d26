import { isDeepStrictEqual } from 'node:util';
import { runInNewContext } from 'node:vm';
import { z } from 'zod';
import { keySet, type FieldDoc, type ObjectDocs } from './schema-docs';

/**
 * The settings tables of docs/configuration.md, built from the zod schema itself (path, type, default)
 * and the doc comment of each field (description), with each environment's value where it differs
 * from the default.
 */

/** One row of a settings table. */
export interface SettingRow {
  /** Dotted path from the environment, `web.healthCheck.path`; `<name>` stands for a map key. */
  readonly path: string;
  readonly type: string;
  readonly defaultValue: string;
  /** Each environment's value, `/`-separated, or empty where every environment keeps the default. */
  readonly environments: string;
  readonly description: string;
}

export interface SettingsInput {
  /** The schema of one environment (`environmentSchema` of config/schema.ts). */
  readonly schema: z.ZodTypeAny;
  /** The doc comments of config/*.ts (`readObjectDocs`). */
  readonly docs: ReadonlyMap<string, readonly ObjectDocs[]>;
  /** The project's environments as written (config/environments.ts), before defaults are filled in. */
  readonly environments: readonly { readonly name: string }[];
}

/** The rows of every setting, in schema order, and what is wrong with the doc comments. */
export function settingRows(input: SettingsInput): { rows: SettingRow[]; problems: string[] } {
  const rows: SettingRow[] = [];
  const problems: string[] = [];

  /**
   * `inherited`: the field's value in its parent's default, when the parent has one; `optionalParent`:
   * the path of the nearest enclosing object that is optional and has no default.
   */
  const walk = (
    schema: z.ZodTypeAny,
    at: readonly string[],
    doc: FieldDoc,
    inMap: boolean,
    inherited: { value: unknown } | undefined,
    optionalParent: readonly string[] | undefined,
  ): void => {
    const node = unwrap(schema);
    const settingPath = at.join('.');
    checkDefaultTag(settingPath, schema, node, doc, problems);
    const fallback = node.hasDefault ? { value: parsedDefault(schema, node) } : inherited;
    const row = (type: string) =>
      rows.push({
        path: settingPath,
        type,
        defaultValue: defaultCell(node, doc, fallback),
        environments: inMap ? '' : environmentsCell(input.environments, at, schema, fallback, optionalParent),
        description: doc.description,
      });
    const childOf = (key: string) => {
      const value = fallback?.value as Record<string, unknown> | undefined;
      return value !== undefined && value !== null && value[key] !== undefined
        ? { value: value[key] }
        : undefined;
    };

    if (node.inner instanceof z.ZodObject) {
      if (at.length > 0 && (doc.description !== '' || node.optional)) row('object');
      const fields = objectDocs(input.docs, node.inner, settingPath, problems);
      const parent = node.optional && !node.hasDefault ? at : optionalParent;
      for (const [key, field] of Object.entries(node.inner.shape as z.ZodRawShape))
        walk(field, [...at, key], fields.get(key) ?? { description: '' }, inMap, childOf(key), parent);
      return;
    }
    row(typeName(node.inner));
    const mapValue = node.inner instanceof z.ZodRecord ? unwrap(node.inner._def.valueType) : undefined;
    if (mapValue?.inner instanceof z.ZodObject) {
      const fields = objectDocs(input.docs, mapValue.inner, settingPath, problems);
      for (const [key, field] of Object.entries(mapValue.inner.shape as z.ZodRawShape))
        walk(
          field,
          [...at, '<name>', key],
          fields.get(key) ?? { description: '' },
          true,
          undefined,
          undefined,
        );
    }
  };
  walk(input.schema, [], { description: '' }, false, undefined, undefined);
  return { rows, problems };
}

/** A schema without its wrappers, with what they said: a default, or optional. */
interface Unwrapped {
  readonly inner: z.ZodTypeAny;
  readonly hasDefault: boolean;
  readonly defaultValue?: unknown;
  readonly optional: boolean;
}

function unwrap(schema: z.ZodTypeAny): Unwrapped {
  let inner = schema;
  let hasDefault = false;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      if (!hasDefault) defaultValue = inner._def.defaultValue();
      hasDefault = true;
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) {
      optional = true;
      inner = inner._def.innerType;
    } else if (inner instanceof z.ZodEffects) inner = inner._def.schema;
    else if (inner instanceof z.ZodBranded) inner = inner._def.type;
    else if (inner instanceof z.ZodReadonly || inner instanceof z.ZodCatch) inner = inner._def.innerType;
    else if (inner instanceof z.ZodPipeline) inner = inner._def.in;
    else if (inner instanceof z.ZodLazy) inner = inner._def.getter();
    else return { inner, hasDefault, defaultValue, optional };
  }
}

/**
 * The doc comments of `object`'s fields: those of the one `z.object({ ... })` of the source with exactly
 * its field names or, for an object built in parts (`.extend({ ... })`), of the literals that hold
 * some of its fields.
 */
function objectDocs(
  docs: SettingsInput['docs'],
  object: z.ZodObject<z.ZodRawShape>,
  at: string,
  problems: string[],
): ReadonlyMap<string, FieldDoc> {
  const where = at || '(environment)';
  const keys = Object.keys(object.shape);
  const exact = docs.get(keySet(keys)) ?? [];
  if (exact.length > 0) {
    const [first, ...others] = exact;
    if (others.some((other) => !isDeepStrictEqual(other.fields, first.fields)))
      problems.push(
        `${where}: several z.object({ ... }) with these fields and different comments (${exact.map((c) => c.file).join(', ')}); give one a field of its own`,
      );
    return first.fields;
  }
  const parts = [...docs.values()]
    .flat()
    .filter((part) => [...part.fields.keys()].every((key) => keys.includes(key)));
  if (parts.length === 0) {
    problems.push(`${where}: no z.object({ ... }) or .extend({ ... }) in config/ has these fields`);
    return new Map();
  }
  const fields = new Map<string, FieldDoc>();
  for (const part of parts)
    for (const [key, doc] of part.fields) if (doc.description || !fields.has(key)) fields.set(key, doc);
  return fields;
}

/** The default as the schema hands it on: parsed, so nested defaults are filled in. */
function parsedDefault(schema: z.ZodTypeAny, node: Unwrapped): unknown {
  const parsed = schema.safeParse(undefined);
  return parsed.success ? parsed.data : node.defaultValue;
}

/** Flags an `@default` comment that says another value than the schema's `.default(...)`. */
function checkDefaultTag(
  at: string,
  schema: z.ZodTypeAny,
  node: Unwrapped,
  doc: FieldDoc,
  problems: string[],
): void {
  if (doc.defaultTag === undefined || !node.hasDefault) return;
  const literal = /^(.*?)(\s+\(.*\))?$/.exec(doc.defaultTag)?.[1] ?? doc.defaultTag;
  let documented: unknown;
  try {
    // Back through JSON: values made in the sandbox have its prototypes, which deep equality compares.
    documented = JSON.parse(JSON.stringify(runInNewContext(`(${literal})`, {}, { timeout: 100 })) ?? 'null');
  } catch {
    return; // prose, not a value: nothing to compare
  }
  const values = [node.defaultValue, parsedDefault(schema, node)];
  if (!values.some((value) => isDeepStrictEqual(documented, value)))
    problems.push(
      `${at}: the comment says @default ${literal}, the schema defaults to ${literalText(node.defaultValue)}`,
    );
}

function defaultCell(node: Unwrapped, doc: FieldDoc, fallback: { value: unknown } | undefined): string {
  const remark = doc.defaultTag !== undefined ? /\s+(\(.*\))$/.exec(doc.defaultTag)?.[1] : undefined;
  if (node.inner instanceof z.ZodObject && !node.optional) return '';
  if (fallback !== undefined) return code(literalText(fallback.value)) + (remark ? ` ${remark}` : '');
  if (!node.optional) return 'required';
  if (doc.defaultTag === undefined || doc.defaultTag.startsWith('undefined'))
    return remark && remark !== '(none)' ? `none ${remark}` : 'none';
  return `none: ${doc.defaultTag}`;
}

/**
 * What each environment sets at `at`, as written, where one sets something other than the default:
 * `default` where it sets nothing (or the default), `—` where it leaves out an optional object around
 * the setting.
 */
function environmentsCell(
  environments: SettingsInput['environments'],
  at: readonly string[],
  schema: z.ZodTypeAny,
  fallback: { value: unknown } | undefined,
  optionalParent: readonly string[] | undefined,
): string {
  const node = unwrap(schema);
  if (node.inner instanceof z.ZodObject && !node.optional) return '';
  const missing = Symbol('missing');
  const lookup = (environment: object, keys: readonly string[]) =>
    keys.reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object' && key in value
          ? (value as Record<string, unknown>)[key]
          : missing,
      environment,
    );
  // A value as written may leave out what the schema fills in: compare it parsed.
  const isDefault = (value: unknown) => {
    const parsed = schema.safeParse(value);
    return isDeepStrictEqual(parsed.success ? parsed.data : value, fallback?.value);
  };
  const cells = environments.map((environment) => {
    const value = lookup(environment, at);
    if (value === missing)
      return optionalParent && lookup(environment, optionalParent) === missing ? '—' : 'default';
    return isDefault(value) ? 'default' : code(literalText(value));
  });
  return cells.every((cell) => cell === 'default' || cell === '—') ? '' : cells.join(' / ');
}

/** A readable type: `integer 5-300`, `'none', 'single'`, `list of string`. */
function typeName(schema: z.ZodTypeAny): string {
  const node = unwrap(schema).inner;
  if (node instanceof z.ZodString) return 'string';
  if (node instanceof z.ZodBoolean) return 'boolean';
  if (node instanceof z.ZodNumber) return numberType(node);
  if (node instanceof z.ZodEnum) return (node._def.values as string[]).map((v) => code(`'${v}'`)).join(', ');
  if (node instanceof z.ZodNativeEnum)
    return Object.values(node._def.values)
      .map((v) => code(literalText(v)))
      .join(', ');
  if (node instanceof z.ZodLiteral) return code(literalText(node._def.value));
  if (node instanceof z.ZodArray) return `list of ${typeName(node._def.type)}`;
  if (node instanceof z.ZodRecord)
    return `map of ${typeName(node._def.keyType)} to ${typeName(node._def.valueType)}`;
  if (node instanceof z.ZodObject) return code(`{ ${Object.keys(node.shape).join(', ')} }`);
  if (node instanceof z.ZodUnion || node instanceof z.ZodDiscriminatedUnion)
    return (node.options as z.ZodTypeAny[]).map(typeName).join(' or ');
  return 'see the schema';
}

function numberType(node: z.ZodNumber): string {
  let type = 'number';
  let min: string | undefined;
  let max: string | undefined;
  for (const check of node._def.checks) {
    if (check.kind === 'int') type = 'integer';
    else if (check.kind === 'min') min = check.inclusive ? `${check.value}` : `> ${check.value}`;
    else if (check.kind === 'max') max = check.inclusive ? `${check.value}` : `< ${check.value}`;
  }
  if (min !== undefined && max !== undefined && !min.startsWith('>') && !max.startsWith('<'))
    return `${type} ${min}-${max}`;
  const bounds = [
    min && (min.startsWith('>') ? min : `>= ${min}`),
    max && (max.startsWith('<') ? max : `<= ${max}`),
  ];
  return `${type} ${bounds.filter(Boolean).join(', ')}`.trim();
}

/** A value as it would be written in config/environments.ts. */
export function literalText(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literalText).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
    return `{ ${entries.map(([name, each]) => `${key(name)}: ${literalText(each)}`).join(', ')} }`;
  }
  return String(value);
}

function code(text: string): string {
  return `\`${text}\``;
}
