/**
 * A read-only view of one synthesized stack (the Terraform JSON `stack.toTerraform()` returns, with
 * references resolved to `${aws_s3_bucket.x.id}` strings), indexed once so every rule is a lookup:
 * resources by address, the resources that reference another one through an attribute (an S3
 * bucket's encryption configuration, an EFS file system's policy), and IAM policy documents
 * normalized from `aws_iam_policy_document` data sources or JSON strings.
 */

/** One resource, data source or provider configuration of the stack, as Terraform sees it. */
export interface SynthesizedResource {
  readonly kind: 'resource' | 'data' | 'provider';
  /** `aws_s3_bucket`; for a provider, `provider.aws`. */
  readonly type: string;
  /** Logical id (`state-backend_bucket_3A2D7F1C`); for a provider, its alias or `default`. */
  readonly name: string;
  /** How Terraform refers to it: `aws_s3_bucket.<name>`, `data.<type>.<name>`, `aws` or `aws.<alias>`. */
  readonly address: string;
  /** Construct path (`dev-state/state-backend/bucket/bucket`). */
  readonly path: string;
  /** The synthesized, snake_case arguments. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** One IAM policy statement, normalized from either a policy-document data source or policy JSON. */
export interface PolicyStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  readonly principals: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly conditions: readonly {
    readonly test: string;
    readonly variable: string;
    readonly values: readonly string[];
  }[];
}

type Config = Record<string, unknown>;
type TerraformJson = {
  resource?: Record<string, Record<string, Config>>;
  data?: Record<string, Record<string, Config>>;
  provider?: Record<string, Config[]>;
};

/** `${aws_s3_bucket.x.id}` or `${data.aws_iam_policy_document.y.json}`: the address it names. */
const REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/;

/** The address a whole-string reference points at (`aws_s3_bucket.x`), or undefined for anything else. */
export function referencedAddress(value: unknown): string | undefined {
  return typeof value === 'string' ? REFERENCE.exec(value)?.[1] : undefined;
}

/** A nested block as a list: cdktf writes single blocks as objects and repeated ones as arrays. */
export function blocks(value: unknown): Config[] {
  if (Array.isArray(value)) return value.filter((item): item is Config => isObject(item));
  return isObject(value) ? [value] : [];
}

/** The first (usually only) instance of a nested block, or an empty object. */
export function block(value: unknown): Config {
  return blocks(value)[0] ?? {};
}

/** Terraform accepts `true` and `"true"` for booleans (launch templates declare some as strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function asStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A non-empty string (literal or reference). */
export function isSet(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isObject(value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class SynthesizedStack {
  /** Every resource, data source and provider, in synthesized order. */
  readonly resources: readonly SynthesizedResource[];
  private readonly byAddress = new Map<string, SynthesizedResource>();
  private readonly byType = new Map<string, SynthesizedResource[]>();
  /** `type|attribute` -> referenced address or literal value -> the resources of that type. */
  private readonly referrers = new Map<string, Map<string, SynthesizedResource[]>>();
  private readonly documents = new Map<string, readonly PolicyStatement[] | undefined>();

  /**
   * @param json the stack's Terraform JSON
   * @param providerPaths construct path of each provider by address (`aws`, `aws.<alias>`): provider
   *   blocks carry no metadata
   */
  constructor(json: unknown, providerPaths: ReadonlyMap<string, string> = new Map()) {
    const tf = (isObject(json) ? json : {}) as TerraformJson;
    const resources: SynthesizedResource[] = [];
    const add = (kind: SynthesizedResource['kind'], type: string, name: string, config: Config): void => {
      const metadata = block(block(config['//']).metadata);
      const address =
        kind === 'resource'
          ? `${type}.${name}`
          : kind === 'data'
            ? `data.${type}.${name}`
            : providerAddress(type.replace(/^provider\./, ''), config.alias);
      const path =
        typeof metadata.path === 'string' ? metadata.path : (providerPaths.get(address) ?? address);
      resources.push({ kind, type, name, address, path, config });
    };
    for (const [type, byName] of Object.entries(tf.resource ?? {})) {
      for (const [name, config] of Object.entries(byName)) add('resource', type, name, config);
    }
    for (const [type, byName] of Object.entries(tf.data ?? {})) {
      for (const [name, config] of Object.entries(byName)) add('data', type, name, config);
    }
    for (const [type, configs] of Object.entries(tf.provider ?? {})) {
      for (const config of configs)
        add('provider', `provider.${type}`, String(config.alias ?? 'default'), config);
    }
    this.resources = resources;
    for (const resource of resources) {
      this.byAddress.set(resource.address, resource);
      const ofType = this.byType.get(resource.type) ?? [];
      ofType.push(resource);
      this.byType.set(resource.type, ofType);
    }
  }

  get(address: string | undefined): SynthesizedResource | undefined {
    return address === undefined ? undefined : this.byAddress.get(address);
  }

  /**
   * Whether `policy` is a role's permissions boundary in this stack. A boundary grants nothing by
   * itself: it caps what the role's own policies grant (IAM user guide, "Permissions boundaries for IAM
   * entities"), so its broad Allow is not a grant for the rules that read grants.
   */
  isPermissionsBoundary(policy: SynthesizedResource): boolean {
    return (
      policy.type === 'aws_iam_policy' &&
      this.referencing('aws_iam_role', 'permissions_boundary', policy).length > 0
    );
  }

  ofType(type: string): readonly SynthesizedResource[] {
    return this.byType.get(type) ?? [];
  }

  /**
   * The resources of `type` whose `attribute` points at `target`: by reference (`${target.id}`) or
   * by a literal equal to the target's `literal` attribute (e.g. the bucket name). Indexed per
   * (type, attribute) on first use, so correlating every bucket stays linear.
   */
  referencing(
    type: string,
    attribute: string,
    target: SynthesizedResource,
    literal?: string,
  ): SynthesizedResource[] {
    const key = `${type}|${attribute}`;
    let index = this.referrers.get(key);
    if (index === undefined) {
      index = new Map();
      for (const resource of this.ofType(type)) {
        const value = resource.config[attribute];
        const to = referencedAddress(value) ?? (typeof value === 'string' ? `literal:${value}` : undefined);
        if (to === undefined) continue;
        index.set(to, [...(index.get(to) ?? []), resource]);
      }
      this.referrers.set(key, index);
    }
    const literalValue = literal === undefined ? undefined : target.config[literal];
    return [
      ...(index.get(target.address) ?? []),
      ...(typeof literalValue === 'string' ? (index.get(`literal:${literalValue}`) ?? []) : []),
    ];
  }

  /** The resource an attribute of `resource` references, if it is in this stack. */
  follow(resource: SynthesizedResource, attribute: string): SynthesizedResource | undefined {
    return this.get(referencedAddress(resource.config[attribute]));
  }

  /**
   * The statements of a policy given as a reference to an `aws_iam_policy_document` (including the
   * documents it sources) or as a JSON string; undefined when the synth cannot see the document
   * (another stack's output, a `jsonencode` expression).
   */
  policyStatements(value: unknown): readonly PolicyStatement[] | undefined {
    const address = referencedAddress(value);
    if (address !== undefined) {
      if (!this.documents.has(address)) {
        this.documents.set(address, undefined); // guards against a document that sources itself
        const document = this.get(address);
        this.documents.set(address, document && this.documentStatements(document));
      }
      return this.documents.get(address);
    }
    if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return undefined;
    try {
      return jsonStatements(JSON.parse(value));
    } catch {
      return undefined;
    }
  }

  private documentStatements(document: SynthesizedResource): PolicyStatement[] | undefined {
    if (document.type !== 'aws_iam_policy_document') return undefined;
    const sourced = [
      ...asStrings(document.config.source_policy_documents),
      ...asStrings(document.config.override_policy_documents),
    ].flatMap((source) => this.policyStatements(source) ?? []);
    return [...blocks(document.config.statement).map(dataStatement), ...sourced];
  }
}

/** How resources name a provider configuration: `aws`, or `aws.<alias>`. */
export function providerAddress(type: string, alias: unknown): string {
  return typeof alias === 'string' && alias !== '' ? `${type}.${alias}` : type;
}

function dataStatement(statement: Config): PolicyStatement {
  return {
    effect: statement.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: asStrings(statement.actions),
    notActions: asStrings(statement.not_actions),
    resources: asStrings(statement.resources),
    notResources: asStrings(statement.not_resources),
    principals: blocks(statement.principals).map((p) => ({
      type: String(p.type ?? ''),
      identifiers: asStrings(p.identifiers),
    })),
    conditions: blocks(statement.condition).map((c) => ({
      test: String(c.test ?? ''),
      variable: String(c.variable ?? ''),
      values: asStrings(c.values),
    })),
  };
}

function jsonStatements(document: unknown): PolicyStatement[] | undefined {
  if (!isObject(document)) return undefined;
  return blocks(document.Statement).map((statement) => {
    const principal = statement.Principal;
    const principals =
      principal === '*'
        ? [{ type: '*', identifiers: ['*'] }]
        : Object.entries(isObject(principal) ? principal : {}).map(([type, ids]) => ({
            type,
            identifiers: asStrings(ids),
          }));
    const conditions = Object.entries(isObject(statement.Condition) ? statement.Condition : {}).flatMap(
      ([test, byVariable]) =>
        Object.entries(isObject(byVariable) ? byVariable : {}).map(([variable, values]) => ({
          test,
          variable,
          values: asStrings(typeof values === 'boolean' ? String(values) : values),
        })),
    );
    return {
      effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: asStrings(statement.Action),
      notActions: asStrings(statement.NotAction),
      resources: asStrings(statement.Resource),
      notResources: asStrings(statement.NotResource),
      principals,
      conditions,
    } satisfies PolicyStatement;
  });
}
