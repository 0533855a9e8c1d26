import * as path from 'node:path';
import { bundleFunction, type FunctionBundle } from './bundle';

let databaseUsers: FunctionBundle | undefined;

/** The database-users function's zip (its handler + mysql2), built once per process and cached on disk. */
export function databaseUsersCode(): FunctionBundle {
  databaseUsers ??= bundleFunction({
    sourceDir: path.join(__dirname, 'db-users'),
    packages: ['mysql2'],
    projectRoot: path.resolve(__dirname, '..'),
  });
  return databaseUsers;
}
