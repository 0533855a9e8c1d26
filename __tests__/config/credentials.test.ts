import { parseEnvironments } from '../../config';
import { configProblems, minimalEnvironment } from '../helpers';

describe('application database credentials configuration', () => {
  test('the container app asks for no database by default, and rotation is every 30 days', () => {
    const [environment] = parseEnvironments([minimalEnvironment]);
    expect(environment.containers.database).toBeUndefined();
    expect(environment.data.database.credentialsRotationDays).toBe(30);
  });

  test('the container app may have a database of its own', () => {
    const [environment] = parseEnvironments([
      { ...minimalEnvironment, containers: { database: { name: 'app' } } },
    ]);
    expect(environment.containers.database).toEqual({ name: 'app' });
  });

  test.each(['wordpress', 'WordPress'])(
    "the container app's database %s is refused: it is WordPress's",
    (name) => {
      expect(configProblems([{ ...minimalEnvironment, containers: { database: { name } } }])).toEqual([
        `dev: containers.database.name: "${name}" is WordPress's database (data.database.databaseName); the container app needs its own`,
      ]);
    },
  );

  test('a database name that is not a plain identifier is refused', () => {
    expect(configProblems([{ ...minimalEnvironment, containers: { database: { name: 'app-db' } } }])).toEqual(
      ['dev: containers.database.name: must be 1-64 letters, digits or underscores, starting with a letter'],
    );
  });

  test.each([1, 1000])('credentialsRotationDays %d is accepted', (days) => {
    const [environment] = parseEnvironments([
      { ...minimalEnvironment, data: { database: { credentialsRotationDays: days } } },
    ]);
    expect(environment.data.database.credentialsRotationDays).toBe(days);
  });

  test.each([0, 1001])('credentialsRotationDays %d is refused', (days) => {
    expect(
      configProblems([{ ...minimalEnvironment, data: { database: { credentialsRotationDays: days } } }]),
    ).toHaveLength(1);
  });
});
