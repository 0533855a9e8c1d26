/**
 * The database-users function: creates each application's database and its own MySQL user, and
 * rotates that user's password with the "alternating users" strategy (Secrets Manager user guide,
 * "Rotation strategies"). Pure logic over two narrow ports, so tests drive it with fakes; the
 * Lambda entry point (`index.ts`) wires the AWS SDK and mysql2 in.
 *
 * Alternating users: an application's secret names `<user>_a` or `<user>_b`. A rotation sets a new
 * password on the other one and makes it AWSCURRENT; the previous user keeps its password until the
 * next rotation, so a reader still holding the previous credentials keeps logging in.
 */

/** Privileges of an application user, on its own database only (no global privilege, no GRANT OPTION). */
export const APPLICATION_PRIVILEGES = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'CREATE',
  'ALTER',
  'DROP',
  'INDEX',
  'REFERENCES',
  'CREATE TEMPORARY TABLES',
  'LOCK TABLES',
] as const;

/** Length of generated passwords; letters and digits only, so no client needs to quote them. */
export const PASSWORD_LENGTH = 32;

/** One application's database and the secret of its user. */
export interface Application {
  /** User name stem: the users are `<name>_a` and `<name>_b`. */
  readonly name: string;
  readonly database: string;
  readonly secretArn: string;
}

/** What the apply-time invocation (`aws_lambda_invocation`) sends. */
export interface ProvisionEvent {
  readonly action: 'provision';
  readonly host: string;
  readonly port: number;
  readonly masterSecretArn: string;
  readonly applications: readonly Application[];
}

/** What Secrets Manager sends a rotation function (Secrets Manager user guide, "Lambda rotation functions"). */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

/** The JSON of an application secret (the keys of the Secrets Manager MySQL secret structure). */
export interface ApplicationSecret {
  readonly engine: 'mysql';
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
  readonly username: string;
  readonly password: string;
}

/** The Secrets Manager calls the function makes. */
export interface SecretStore {
  /** Version ids and their staging labels, and whether rotation is on. */
  describe(secretId: string): Promise<{ rotationEnabled: boolean; versions: Record<string, string[]> }>;
  /** The secret string of a version or stage; undefined when no such version exists. */
  get(secretId: string, selector: { stage: string; versionId?: string }): Promise<string | undefined>;
  put(secretId: string, value: string, options: { stages: string[]; token?: string }): Promise<void>;
  /** Moves `stage` to `toVersionId` (from `fromVersionId`, which keeps AWSPREVIOUS for AWSCURRENT). */
  moveStage(secretId: string, stage: string, toVersionId: string, fromVersionId?: string): Promise<void>;
  randomPassword(length: number): Promise<string>;
}

export interface SqlConnection {
  query(sql: string, values?: readonly unknown[]): Promise<unknown>;
  end(): Promise<void>;
}

/** Opens a TLS connection that verifies the server certificate (the entry point's job). */
export type Connect = (options: {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
}) => Promise<SqlConnection>;

/** An ECS service whose tasks read an application secret when they start. */
export interface ServiceName {
  readonly cluster: string;
  readonly service: string;
}

/** Starts a rolling deployment; `missing` when the service does not exist (yet). */
export type ForceNewDeployment = (service: ServiceName) => Promise<'started' | 'missing'>;

export interface Dependencies {
  readonly secrets: SecretStore;
  readonly connect: Connect;
  /**
   * Per application (user-name stem): services to redeploy once a rotation finishes. ECS reads a
   * secret only at task start, so a task must not outlive the next rotation, when its user's
   * password changes; a rolling deployment replaces the tasks while the previous user still works.
   */
  readonly restartOnRotation?: Readonly<Record<string, readonly ServiceName[]>>;
  readonly forceNewDeployment?: ForceNewDeployment;
  /** Where the database is and which secret holds its master user (the function's environment). */
  readonly database: { readonly host: string; readonly port: number; readonly masterSecretArn: string };
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** `name` as a backquoted MySQL identifier; only plain names are accepted. */
export function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain MySQL identifier`);
  return `\`${name}\``;
}

/** The user a rotation switches to: `_a` and `_b` alternate. */
export function alternateUser(username: string): string {
  const match = /^(.*)_(a|b)$/.exec(username);
  if (!match) throw new Error(`"${username}" is not an alternating user name (<name>_a or <name>_b)`);
  return `${match[1]}_${match[2] === 'a' ? 'b' : 'a'}`;
}

/**
 * The statements that make `user` exist with `password`, over TLS only, with the application
 * privileges on `database` and nothing else. Each is idempotent; valid on MySQL 8.0 and 8.4.
 */
export function userStatements(
  user: string,
  password: string,
  database: string,
): { sql: string; values: unknown[] }[] {
  const account = "?@'%'";
  const authentication = 'IDENTIFIED WITH caching_sha2_password BY ? REQUIRE SSL';
  return [
    { sql: `CREATE USER IF NOT EXISTS ${account} ${authentication}`, values: [user, password] },
    // The user may exist from an earlier run or rotation: set the password it must have now.
    { sql: `ALTER USER ${account} ${authentication}`, values: [user, password] },
    {
      sql: `GRANT ${APPLICATION_PRIVILEGES.join(', ')} ON ${identifier(database)}.* TO ${account}`,
      values: [user],
    },
  ];
}

export function databaseStatement(database: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${identifier(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci`;
}

async function withConnection<T>(
  connect: Connect,
  options: Parameters<Connect>[0],
  work: (connection: SqlConnection) => Promise<T>,
): Promise<T> {
  const connection = await connect(options);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function ensureUser(connection: SqlConnection, user: string, password: string, database: string) {
  for (const statement of userStatements(user, password, database)) {
    await connection.query(statement.sql, statement.values);
  }
}

async function asMaster<T>(deps: Dependencies, work: (connection: SqlConnection) => Promise<T>): Promise<T> {
  const master = JSON.parse(
    (await deps.secrets.get(deps.database.masterSecretArn, { stage: 'AWSCURRENT' })) ?? 'null',
  ) as { username: string; password: string } | null;
  if (!master) throw new Error('the master secret has no AWSCURRENT version');
  const { host, port } = deps.database;
  return withConnection(deps.connect, { host, port, user: master.username, password: master.password }, work);
}

export interface ProvisionResult {
  /** Per application: the current user and whether this run created the first credentials. No secret. */
  readonly applications: readonly { name: string; user: string; created: boolean }[];
}

/**
 * Creates each application's database, and its first user and secret version when the secret has
 * none; otherwise makes sure the current user exists with the current password and privileges (a
 * restored or replaced instance gets its users back). Safe to run any number of times. The result
 * (kept in Terraform state) names users, never passwords.
 */
export async function provision(event: ProvisionEvent, deps: Dependencies): Promise<ProvisionResult> {
  const results: { name: string; user: string; created: boolean }[] = [];
  await asMaster(deps, async (connection) => {
    for (const application of event.applications) {
      await connection.query(databaseStatement(application.database));
      const stored = await deps.secrets.get(application.secretArn, { stage: 'AWSCURRENT' });
      const current = stored === undefined ? undefined : (JSON.parse(stored) as ApplicationSecret);
      const secret: ApplicationSecret = {
        engine: 'mysql',
        host: event.host,
        port: event.port,
        dbname: application.database,
        username: current?.username ?? `${application.name}_a`,
        password: current?.password ?? (await deps.secrets.randomPassword(PASSWORD_LENGTH)),
      };
      // The user first: a secret naming a user that does not exist would break every reader.
      await ensureUser(connection, secret.username, secret.password, secret.dbname);
      if (current === undefined || JSON.stringify(current) !== JSON.stringify(secret)) {
        await deps.secrets.put(application.secretArn, JSON.stringify(secret), { stages: ['AWSCURRENT'] });
      }
      results.push({ name: application.name, user: secret.username, created: current === undefined });
    }
  });
  return { applications: results };
}

/** Redeploys the services that read this application's secret at task start (see `restartOnRotation`). */
async function restartReaders(secret: ApplicationSecret, deps: Dependencies): Promise<void> {
  const application = secret.username.replace(/_(a|b)$/, '');
  for (const service of deps.restartOnRotation?.[application] ?? []) {
    if (deps.forceNewDeployment === undefined) throw new Error('restartOnRotation needs forceNewDeployment');
    const outcome = await deps.forceNewDeployment(service);
    console.log(`rotation of ${application}: deployment of ${service.cluster}/${service.service} ${outcome}`);
  }
}

/** One step of a rotation, per the Secrets Manager rotation function contract. */
export async function rotate(event: RotationEvent, deps: Dependencies): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const { rotationEnabled, versions } = await deps.secrets.describe(secretId);
  if (!rotationEnabled) throw new Error(`rotation is not enabled on ${secretId}`);
  const stages = versions[token];
  if (stages === undefined) throw new Error(`version ${token} is not a version of ${secretId}`);
  if (stages.includes('AWSCURRENT')) return; // already finished
  if (!stages.includes('AWSPENDING')) throw new Error(`version ${token} is not AWSPENDING`);

  const read = async (stage: string, versionId?: string) => {
    const value = await deps.secrets.get(secretId, { stage, versionId });
    return value === undefined ? undefined : (JSON.parse(value) as ApplicationSecret);
  };
  const pending = async () => {
    const secret = await read('AWSPENDING', token);
    if (!secret) throw new Error(`version ${token} has no value; createSecret has not run`);
    return secret;
  };

  switch (step) {
    case 'createSecret': {
      if (await read('AWSPENDING', token)) return;
      const current = await read('AWSCURRENT');
      if (!current) throw new Error(`${secretId} has no AWSCURRENT version; run the provisioning first`);
      const next: ApplicationSecret = {
        ...current,
        username: alternateUser(current.username),
        password: await deps.secrets.randomPassword(PASSWORD_LENGTH),
      };
      await deps.secrets.put(secretId, JSON.stringify(next), { stages: ['AWSPENDING'], token });
      return;
    }
    case 'setSecret': {
      const next = await pending();
      await asMaster(deps, (connection) => ensureUser(connection, next.username, next.password, next.dbname));
      return;
    }
    case 'testSecret': {
      const next = await pending();
      await withConnection(
        deps.connect,
        {
          host: next.host,
          port: next.port,
          user: next.username,
          password: next.password,
          database: next.dbname,
        },
        (connection) => connection.query('SELECT 1'),
      );
      return;
    }
    case 'finishSecret': {
      const next = await pending();
      const current = Object.entries(versions).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
      await deps.secrets.moveStage(secretId, 'AWSCURRENT', token, current);
      // After the switch, so new tasks start with the new user; the old tasks' user still works.
      await restartReaders(next, deps);
      return;
    }
    default:
      throw new Error(`unknown rotation step ${String(step)}`);
  }
}
