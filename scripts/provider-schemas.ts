/**
 * What the project reads from `terraform providers schema -json` (a 13 MB document that takes a provider
 * start and seconds of CPU): each provider's configuration block, and the type of every resource and data
 * source. Read once per set of installed providers and cached by the lock file's content under the
 * project's Terraform cache, so the one-pass validate and the offline plan share it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CtyType } from './plan/placeholders';
import { runTerraform, terraformCliConfig } from './terraform';

/** An attribute of a schema block, as `providers schema -json` describes it (descriptions dropped). */
export interface SchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: NestedType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly deprecated?: boolean;
}

export interface NestedType {
  readonly attributes: Readonly<Record<string, SchemaAttribute>>;
  readonly nesting_mode: string;
}

export interface SchemaBlockType {
  readonly nesting_mode: string;
  readonly block: SchemaBlock;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, SchemaBlockType>>;
  readonly deprecated?: boolean;
}

/** The parts of the provider schemas the project uses. */
export interface SchemaDigest {
  /** Each provider's configuration block, by its address (`registry.terraform.io/hashicorp/aws`). */
  readonly providers: Readonly<Record<string, SchemaBlock>>;
  /** The type of every resource and data source, by type name. */
  readonly resource: Readonly<Record<string, CtyType>>;
  readonly data: Readonly<Record<string, CtyType>>;
}

interface ProvidersSchemaJson {
  readonly provider_schemas?: Record<
    string,
    {
      provider?: { block: SchemaBlock };
      resource_schemas?: Record<string, { block: SchemaBlock }>;
      data_source_schemas?: Record<string, { block: SchemaBlock }>;
    }
  >;
}

/**
 * The schema digest of the providers initialized in `dir` (it must hold a `.terraform.lock.hcl`), from the
 * cache when the same providers were read before.
 */
export async function schemaDigest(dir: string): Promise<SchemaDigest> {
  const lock = readFileSync(path.join(dir, '.terraform.lock.hcl'), 'utf8');
  const cacheDir = path.join(path.dirname(terraformCliConfig()), 'schemas');
  const key = createHash('sha256').update(lock).digest('hex').slice(0, 32);
  const cacheFile = path.join(cacheDir, `${key}.digest.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as SchemaDigest;
  } catch {
    // Not cached yet.
  }
  const result = await runTerraform(['providers', 'schema', '-json'], { cwd: dir });
  if (result.exitCode !== 0) {
    throw new Error(`terraform providers schema failed in ${dir}:\n${result.stderr}`);
  }
  const digest = digestOf(JSON.parse(result.stdout) as ProvidersSchemaJson);
  mkdirSync(cacheDir, { recursive: true });
  // Write then rename: another process may read the cache at the same time.
  const staging = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(staging, JSON.stringify(digest));
  renameSync(staging, cacheFile);
  return digest;
}

export function digestOf(schema: ProvidersSchemaJson): SchemaDigest {
  const providers: Record<string, SchemaBlock> = {};
  const resource: Record<string, CtyType> = {};
  const data: Record<string, CtyType> = {};
  for (const [address, provider] of Object.entries(schema.provider_schemas ?? {})) {
    providers[address] = withoutDescriptions(provider.provider?.block ?? {});
    for (const [name, r] of Object.entries(provider.resource_schemas ?? {}))
      resource[name] = blockType(r.block);
    for (const [name, d] of Object.entries(provider.data_source_schemas ?? {}))
      data[name] = blockType(d.block);
  }
  return { providers, resource, data };
}

/** The object type of a schema block: its attributes and nested blocks. */
export function blockType(block: SchemaBlock): CtyType {
  const attributes: Record<string, CtyType> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    attributes[name] = attributeType(attribute);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    attributes[name] = collectionOf(nested.nesting_mode, blockType(nested.block));
  }
  return ['object', attributes];
}

export function attributeType(attribute: SchemaAttribute): CtyType {
  if (attribute.type !== undefined) return attribute.type;
  if (attribute.nested_type === undefined) return 'dynamic';
  const nested = attribute.nested_type;
  return collectionOf(nested.nesting_mode, blockType({ attributes: nested.attributes }));
}

function collectionOf(mode: string, type: CtyType): CtyType {
  return mode === 'list' || mode === 'set' || mode === 'map' ? [mode, type] : type;
}

/** The block with only what a check of a configuration needs (the descriptions are most of its size). */
function withoutDescriptions(block: SchemaBlock): SchemaBlock {
  const attributes = Object.fromEntries(
    Object.entries(block.attributes ?? {}).map(([name, a]) => [
      name,
      {
        ...(a.type === undefined ? {} : { type: a.type }),
        ...(a.nested_type === undefined ? {} : { nested_type: a.nested_type }),
        ...(a.required === true ? { required: true } : {}),
        ...(a.optional === true ? { optional: true } : {}),
        ...(a.computed === true ? { computed: true } : {}),
        ...(a.deprecated === true ? { deprecated: true } : {}),
      },
    ]),
  );
  const blockTypes = Object.fromEntries(
    Object.entries(block.block_types ?? {}).map(([name, b]) => [
      name,
      {
        nesting_mode: b.nesting_mode,
        block: withoutDescriptions(b.block),
        ...(b.min_items === undefined ? {} : { min_items: b.min_items }),
        ...(b.max_items === undefined ? {} : { max_items: b.max_items }),
      },
    ]),
  );
  return {
    attributes,
    block_types: blockTypes,
    ...(block.deprecated === true ? { deprecated: true } : {}),
  };
}
