import {
  alternateUser,
  APPLICATION_PRIVILEGES,
  provision,
  rotate,
  type Dependencies,
  type ProvisionEvent,
  type RotationEvent,
  type SecretStore,
} from '../../functions/db-users/users';

const MASTER = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-1';
const WORDPRESS = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:wordpress';
const HOST = 'db.example.internal';

/** An in-memory Secrets Manager: versions with staging labels, as the API keeps them. */
class FakeSecrets implements SecretStore {
  readonly values = new Map<string, Map<string, { value: string; stages: string[] }>>();
  rotationEnabled = true;
  private passwords = 0;
  private versionIds = 0;

  seed(secretId: string, value: object, stages = ['AWSCURRENT'], versionId = `v${++this.versionIds}`) {
    const versions = this.values.get(secretId) ?? new Map();
    versions.set(versionId, { value: JSON.stringify(value), stages });
    this.values.set(secretId, versions);
  }
  current(secretId: string): Record<string, unknown> {
    const version = [...(this.values.get(secretId)?.values() ?? [])].find((v) =>
      v.stages.includes('AWSCURRENT'),
    );
    return JSON.parse(version?.value ?? 'null');
  }
  async describe(secretId: string) {
    const versions = Object.fromEntries(
      [...(this.values.get(secretId) ?? new Map()).entries()].map(([id, v]) => [id, [...v.stages]]),
    );
    return { rotationEnabled: this.rotationEnabled, versions };
  }
  async get(secretId: string, { stage, versionId }: { stage: string; versionId?: string }) {
    for (const [id, version] of this.values.get(secretId) ?? []) {
      if ((versionId === undefined || id === versionId) && version.stages.includes(stage))
        return version.value;
    }
    return undefined;
  }
  async put(secretId: string, value: string, { stages, token }: { stages: string[]; token?: string }) {
    const versions = this.values.get(secretId) ?? new Map();
    for (const version of versions.values()) {
      version.stages = version.stages.filter((label: string) => !stages.includes(label));
      if (stages.includes('AWSCURRENT') && version.stages.length === 0) version.stages.push('AWSPREVIOUS');
    }
    versions.set(token ?? `v${++this.versionIds}`, { value, stages });
    this.values.set(secretId, versions);
  }
  async moveStage(secretId: string, stage: string, to: string, from?: string) {
    const versions = this.values.get(secretId)!;
    const old = from === undefined ? undefined : versions.get(from);
    if (old) {
      old.stages = old.stages.filter((s) => s !== stage);
      // Secrets Manager labels the version that loses AWSCURRENT AWSPREVIOUS.
      if (stage === 'AWSCURRENT') old.stages.push('AWSPREVIOUS');
    }
    for (const version of versions.values()) {
      if (stage === 'AWSCURRENT')
        version.stages = version.stages.filter((s) => s !== 'AWSPREVIOUS' || version === old);
    }
    versions.get(to)!.stages = [...versions.get(to)!.stages.filter((s) => s !== 'AWSPENDING'), stage];
  }
  async randomPassword(length: number) {
    return `generated${++this.passwords}`.padEnd(length, 'x');
  }
}

interface Session {
  readonly user: string;
  readonly database?: string;
  readonly queries: { sql: string; values?: readonly unknown[] }[];
  ended: boolean;
}

function harness() {
  const secrets = new FakeSecrets();
  secrets.seed(MASTER, { username: 'dbadmin', password: 'master-password' });
  const sessions: Session[] = [];
  const deps: Dependencies = {
    secrets,
    database: { host: HOST, port: 3306, masterSecretArn: MASTER },
    connect: async (options) => {
      const session: Session = { user: options.user, database: options.database, queries: [], ended: false };
      sessions.push(session);
      return {
        query: async (sql, values) => {
          session.queries.push(values === undefined ? { sql } : { sql, values });
        },
        end: async () => {
          session.ended = true;
        },
      };
    },
  };
  return { secrets, sessions, deps };
}

const provisionEvent: ProvisionEvent = {
  action: 'provision',
  host: HOST,
  port: 3306,
  masterSecretArn: MASTER,
  applications: [{ name: 'wordpress', database: 'wordpress', secretArn: WORDPRESS }],
};

const GRANT = `GRANT ${APPLICATION_PRIVILEGES.join(', ')} ON \`wordpress\`.* TO ?@'%'`;
const userQueries = (user: string, password: string) => [
  {
    sql: "CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED WITH caching_sha2_password BY ? REQUIRE SSL",
    values: [user, password],
  },
  {
    sql: "ALTER USER ?@'%' IDENTIFIED WITH caching_sha2_password BY ? REQUIRE SSL",
    values: [user, password],
  },
  { sql: GRANT, values: [user] },
];

describe('provisioning (apply-time invocation)', () => {
  test('GIVEN an empty secret WHEN provisioning THEN the database, user _a and the first secret version exist', async () => {
    const { secrets, sessions, deps } = harness();
    const result = await provision(provisionEvent, deps);
    const password = 'generated1'.padEnd(32, 'x');
    expect(sessions).toEqual([
      {
        user: 'dbadmin',
        database: undefined,
        ended: true,
        queries: [
          {
            sql: 'CREATE DATABASE IF NOT EXISTS `wordpress` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci',
          },
          ...userQueries('wordpress_a', password),
        ],
      },
    ]);
    expect(secrets.current(WORDPRESS)).toEqual({
      engine: 'mysql',
      host: HOST,
      port: 3306,
      dbname: 'wordpress',
      username: 'wordpress_a',
      password,
    });
    // The result lands in Terraform state: names only.
    expect(result).toEqual({ applications: [{ name: 'wordpress', user: 'wordpress_a', created: true }] });
  });

  test('running it again changes no password and writes no new version', async () => {
    const { secrets, sessions, deps } = harness();
    await provision(provisionEvent, deps);
    const versionsBefore = [...secrets.values.get(WORDPRESS)!.keys()];
    const result = await provision(provisionEvent, deps);
    expect([...secrets.values.get(WORDPRESS)!.keys()]).toEqual(versionsBefore);
    expect(sessions[1].queries.slice(1)).toEqual(userQueries('wordpress_a', 'generated1'.padEnd(32, 'x')));
    expect(result).toEqual({ applications: [{ name: 'wordpress', user: 'wordpress_a', created: false }] });
  });

  test('a moved endpoint is written into the current version, keeping the user', async () => {
    const { secrets, deps } = harness();
    await provision(provisionEvent, deps);
    await provision({ ...provisionEvent, host: 'new.example.internal' }, deps);
    expect(secrets.current(WORDPRESS)).toMatchObject({
      host: 'new.example.internal',
      username: 'wordpress_a',
    });
  });

  test('identifiers other than plain names are refused before any statement', async () => {
    const { sessions, deps } = harness();
    const event = {
      ...provisionEvent,
      applications: [{ name: 'x', database: 'a`; DROP', secretArn: WORDPRESS }],
    };
    await expect(provision(event, deps)).rejects.toThrow('not a plain MySQL identifier');
    expect(sessions[0].queries).toEqual([]);
    expect(sessions[0].ended).toBe(true);
  });
});

describe('rotation (alternating users)', () => {
  const event = (step: RotationEvent['Step']): RotationEvent => ({
    SecretId: WORDPRESS,
    ClientRequestToken: 'token-1',
    Step: step,
  });

  /** Provisioned, then as Secrets Manager starts a rotation: a version `token-1` labelled AWSPENDING, with no value yet. */
  async function provisioned() {
    const h = harness();
    await provision(provisionEvent, h.deps);
    h.secrets.values.get(WORDPRESS)!.set('token-1', { value: '', stages: ['AWSPENDING'] });
    const get = h.secrets.get.bind(h.secrets);
    h.secrets.get = async (id, selector) =>
      (await get(id, selector)) === '' ? undefined : get(id, selector);
    return h;
  }

  test('the four steps switch AWSCURRENT to the other user and leave the previous one working', async () => {
    const { secrets, sessions, deps } = await provisioned();
    const before = secrets.current(WORDPRESS);
    await rotate(event('createSecret'), deps);
    const pending = JSON.parse(
      (await secrets.get(WORDPRESS, { stage: 'AWSPENDING', versionId: 'token-1' }))!,
    );
    expect(pending).toEqual({ ...before, username: 'wordpress_b', password: 'generated2'.padEnd(32, 'x') });

    await rotate(event('setSecret'), deps);
    expect(sessions[1]).toEqual({
      user: 'dbadmin',
      database: undefined,
      ended: true,
      queries: userQueries('wordpress_b', pending.password),
    });

    await rotate(event('testSecret'), deps);
    expect(sessions[2]).toEqual({
      user: 'wordpress_b',
      database: 'wordpress',
      ended: true,
      queries: [{ sql: 'SELECT 1' }],
    });

    await rotate(event('finishSecret'), deps);
    expect(secrets.current(WORDPRESS)).toEqual(pending);
    const { versions } = await secrets.describe(WORDPRESS);
    expect(versions['token-1']).toEqual(['AWSCURRENT']);
    // The previous user is untouched in the database and still readable as AWSPREVIOUS.
    expect(JSON.parse((await secrets.get(WORDPRESS, { stage: 'AWSPREVIOUS' }))!)).toEqual(before);
    expect(sessions.flatMap((s) => s.queries).some((q) => q.values?.[0] === 'wordpress_a')).toBe(true);
    expect(
      sessions
        .slice(1)
        .flatMap((s) => s.queries)
        .some((q) => q.values?.[0] === 'wordpress_a'),
    ).toBe(false);

    // A retried finishSecret after success does nothing.
    await rotate(event('finishSecret'), deps);
    expect((await secrets.describe(WORDPRESS)).versions['token-1']).toEqual(['AWSCURRENT']);
  });

  test("finishing a rotation redeploys the services that read the application's secret, after the switch", async () => {
    const { secrets, deps } = await provisioned();
    const calls: string[] = [];
    const withRestarts = {
      ...deps,
      restartOnRotation: {
        wordpress: [
          { cluster: 'c', service: 'missing-service' },
          { cluster: 'c', service: 'web' },
        ],
        other: [{ cluster: 'c', service: 'not-this-one' }],
      },
      forceNewDeployment: async ({ service }: { cluster: string; service: string }) => {
        calls.push(`${service} sees ${String(secrets.current(WORDPRESS).username)}`);
        return service === 'missing-service' ? ('missing' as const) : ('started' as const);
      },
    };
    for (const step of ['createSecret', 'setSecret', 'testSecret'] as const) {
      await rotate(event(step), withRestarts);
      expect(calls).toEqual([]);
    }
    await rotate(event('finishSecret'), withRestarts);
    expect(calls).toEqual(['missing-service sees wordpress_b', 'web sees wordpress_b']);
  });

  test('a failed redeployment fails finishSecret after the switch, so the operator sees it', async () => {
    const { secrets, deps } = await provisioned();
    const failing = {
      ...deps,
      restartOnRotation: { wordpress: [{ cluster: 'c', service: 'web' }] },
      forceNewDeployment: async () => {
        throw new Error('AccessDeniedException');
      },
    };
    for (const step of ['createSecret', 'setSecret', 'testSecret'] as const)
      await rotate(event(step), failing);
    await expect(rotate(event('finishSecret'), failing)).rejects.toThrow('AccessDeniedException');
    expect(secrets.current(WORDPRESS).username).toBe('wordpress_b');
  });

  test("Secrets Manager's check when rotation is configured (testSecret on a pending copy of the current version) passes and changes nothing", async () => {
    // RotateSecret with RotateImmediately=false runs testSecret only, on an AWSPENDING version it
    // creates and then removes (Secrets Manager API reference, RotateSecret).
    const { secrets, sessions, deps } = await provisioned();
    const current = secrets.current(WORDPRESS);
    secrets.values.get(WORDPRESS)!.set('token-1', { value: JSON.stringify(current), stages: ['AWSPENDING'] });
    await rotate(event('testSecret'), deps);
    expect(sessions.at(-1)).toEqual({
      user: 'wordpress_a',
      database: 'wordpress',
      ended: true,
      queries: [{ sql: 'SELECT 1' }],
    });
    expect(secrets.current(WORDPRESS)).toEqual(current);
  });

  test('testSecret before createSecret wrote a value fails, naming the step', async () => {
    const { deps } = await provisioned();
    await expect(rotate(event('testSecret'), deps)).rejects.toThrow('createSecret has not run');
  });

  test('a retried createSecret keeps the pending password it generated', async () => {
    const { secrets, deps } = await provisioned();
    secrets.values.get(WORDPRESS)!.set('token-1', {
      value: JSON.stringify({ username: 'wordpress_b', password: 'kept' }),
      stages: ['AWSPENDING'],
    });
    await rotate(event('createSecret'), deps);
    expect(JSON.parse(secrets.values.get(WORDPRESS)!.get('token-1')!.value)).toEqual({
      username: 'wordpress_b',
      password: 'kept',
    });
  });

  test('rotation is refused when it is off, for unknown versions and for versions not pending', async () => {
    const { secrets, deps } = await provisioned();
    await expect(rotate({ ...event('createSecret'), ClientRequestToken: 'nope' }, deps)).rejects.toThrow(
      'is not a version',
    );
    const currentId = [...secrets.values.get(WORDPRESS)!.keys()][0];
    secrets.values.get(WORDPRESS)!.set('token-2', { value: '{}', stages: [] });
    await expect(rotate({ ...event('setSecret'), ClientRequestToken: 'token-2' }, deps)).rejects.toThrow(
      'is not AWSPENDING',
    );
    // The current version: the rotation already finished, nothing to do.
    await expect(
      rotate({ ...event('setSecret'), ClientRequestToken: currentId }, deps),
    ).resolves.toBeUndefined();
    secrets.rotationEnabled = false;
    await expect(rotate(event('createSecret'), deps)).rejects.toThrow('rotation is not enabled');
  });

  test('users alternate between _a and _b', () => {
    expect(alternateUser('wordpress_a')).toBe('wordpress_b');
    expect(alternateUser('wordpress_b')).toBe('wordpress_a');
    expect(alternateUser('app_data_b')).toBe('app_data_a');
    expect(() => alternateUser('dbadmin')).toThrow('not an alternating user name');
  });
});
