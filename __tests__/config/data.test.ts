import { parseEnvironments, type EnvironmentInput } from '../../config';
import { environments } from '../../config/environments';
import { configProblems, minimalEnvironment } from '../helpers';

const valid = minimalEnvironment;

const problemsOf = configProblems;

/** The problems of one environment whose `data.database` has `database`. */
function databaseProblems(database: Record<string, unknown>, rest: Partial<EnvironmentInput> = {}) {
  return problemsOf([{ ...valid, ...rest, data: { database } }]);
}

describe('data configuration', () => {
  test('defaults follow the reference database on MySQL 8.4 LTS without Extended Support: 20 GB gp3 up to 100, 30 days of backups at 19:00 UTC', () => {
    const [environment] = parseEnvironments([valid]);
    expect(environment.data).toEqual({
      database: {
        engineVersion: '8.4',
        extendedSupport: false,
        instanceClass: 'db.t4g.medium',
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 100,
        databaseName: 'wordpress',
        masterUsername: 'dbadmin',
        multiAz: false,
        backupRetentionDays: 30,
        backupWindow: '19:00-19:30',
        credentialsRotationDays: 30,
        maintenanceWindow: 'sat:20:00-sat:20:30',
        performanceInsights: true,
        performanceInsightsRetentionDays: 7,
        monitoringIntervalSeconds: 60,
      },
      fileSystem: {
        webAccessPoint: { path: '/wordpress/wp-content', uid: 48, gid: 48 },
        appAccessPoint: { path: '/app', uid: 33, gid: 33 },
      },
      backup: { enabled: true, retentionDays: 35, vaultLock: false },
    });
  });

  test('the shipped environments: prod multi-AZ with AWS Backup, dev small without either', () => {
    const parsed = parseEnvironments(environments);
    const byName = (name: string) => parsed.find((environment) => environment.name === name)!.data;
    expect(byName('prod').database.multiAz).toBe(true);
    expect(byName('prod').backup.enabled).toBe(true);
    expect(byName('dev').database).toMatchObject({
      multiAz: false,
      instanceClass: 'db.t4g.micro',
      performanceInsights: false,
    });
    expect(byName('dev').backup.enabled).toBe(false);
    expect(byName('stg').backup.enabled).toBe(false);
  });

  test('a pinned 8.0 minor version with Extended Support acknowledged is accepted', () => {
    const [environment] = parseEnvironments([
      { ...valid, data: { database: { engineVersion: '8.0.40', extendedSupport: true } } },
    ]);
    expect(environment.data.database.engineVersion).toBe('8.0.40');
  });

  test('a backup copy to the environment region itself is rejected', () => {
    expect(problemsOf([{ ...valid, data: { backup: { copyRegion: 'ap-northeast-1' } } }])).toEqual([
      "dev: data.backup.copyRegion: is the environment's own region ap-northeast-1; a copy must go elsewhere",
    ]);
  });

  test('a compliance-mode delay without vault lock is rejected', () => {
    expect(problemsOf([{ ...valid, data: { backup: { vaultLockChangeableForDays: 3 } } }])).toEqual([
      'dev: data.backup.vaultLockChangeableForDays: needs vaultLock: true',
    ]);
  });

  test('a pinned 8.4 minor version is accepted without Extended Support', () => {
    const [environment] = parseEnvironments([{ ...valid, data: { database: { engineVersion: '8.4.6' } } }]);
    expect(environment.data.database.engineVersion).toBe('8.4.6');
  });

  test.each(['8.0', '8.0.40'])(
    'MySQL %s without Extended Support is rejected (past standard support)',
    (version) => {
      expect(databaseProblems({ engineVersion: version })).toEqual([
        `dev: data.database.engineVersion: MySQL ${version} left RDS standard support on 2026-07-31: RDS refuses to create it without Extended Support; use 8.4, or set extendedSupport: true (billed per vCPU-hour)`,
      ]);
    },
  );

  test('an engine version other than MySQL 8.4 or 8.0 is rejected', () => {
    expect(databaseProblems({ engineVersion: '5.7.44' })).toEqual([
      'dev: data.database.engineVersion: must be MySQL 8.4 or 8.0: "8.4", "8.4.<minor>", "8.0" or "8.0.<minor>" such as "8.4.6"',
    ]);
  });

  test('an instance class that does not exist for MySQL is rejected', () => {
    const [problem] = databaseProblems({ instanceClass: 'db.t4g.nano' });
    expect(problem).toMatch(
      /^dev: data\.database\.instanceClass: "db\.t4g\.nano" is not an RDS for MySQL instance class \(known families: db\.t3, db\.t4g, /,
    );
  });

  test('an EC2 instance type without the db. prefix is rejected', () => {
    expect(databaseProblems({ instanceClass: 't4g.micro' })[0]).toMatch(
      /^dev: data\.database\.instanceClass: "t4g\.micro" is not an RDS for MySQL instance class/,
    );
  });

  test('an instance class that does not run the pinned engine version is rejected', () => {
    expect(
      databaseProblems({ instanceClass: 'db.m7g.large', engineVersion: '8.0.26', extendedSupport: true }),
    ).toEqual([
      'dev: data.database.instanceClass: db.m7g.large needs MySQL 8.0.28 or later; engineVersion is 8.0.26',
    ]);
  });

  test('Performance Insights on a class it does not run on is rejected', () => {
    expect(databaseProblems({ instanceClass: 'db.t4g.micro' })).toEqual([
      'dev: data.database.performanceInsights: Performance Insights does not run on db.t4g.micro; turn it off or use db.t4g.medium or larger',
    ]);
  });

  test('allocated storage below 20 GB is rejected', () => {
    expect(databaseProblems({ allocatedStorageGb: 10 })).toEqual([
      'dev: data.database.allocatedStorageGb: 10 GB is below the 20 GB minimum of gp3 storage',
    ]);
  });

  test('an autoscaling ceiling less than 10% above the allocated storage is rejected; exactly 10% is accepted', () => {
    expect(databaseProblems({ allocatedStorageGb: 20, maxAllocatedStorageGb: 21 })).toEqual([
      'dev: data.database.maxAllocatedStorageGb: 21 GB is less than 10% above allocatedStorageGb (20 GB), which RDS storage autoscaling refuses; use at least 22 GB',
    ]);
    const [environment] = parseEnvironments([
      { ...valid, data: { database: { allocatedStorageGb: 20, maxAllocatedStorageGb: 22 } } },
    ]);
    expect(environment.data.database.maxAllocatedStorageGb).toBe(22);
  });

  test('allocated storage above the autoscaling ceiling is rejected', () => {
    expect(databaseProblems({ allocatedStorageGb: 200, maxAllocatedStorageGb: 100 })).toEqual([
      'dev: data.database.allocatedStorageGb: 200 GB is above the storage autoscaling ceiling maxAllocatedStorageGb (100 GB)',
    ]);
  });

  test('a backup retention above 35 days is rejected', () => {
    expect(databaseProblems({ backupRetentionDays: 36 })).toEqual([
      'dev: data.database.backupRetentionDays: 36 is outside the 0-35 days RDS keeps backups',
    ]);
  });

  test('a negative backup retention is rejected', () => {
    expect(databaseProblems({ backupRetentionDays: -1 }, { deletionProtection: false })).toEqual([
      'dev: data.database.backupRetentionDays: -1 is outside the 0-35 days RDS keeps backups',
    ]);
  });

  test('no backups are rejected where the environment demands protection', () => {
    expect(databaseProblems({ backupRetentionDays: 0 }, { deletionProtection: true })).toEqual([
      'dev: data.database.backupRetentionDays: 0 turns automated backups off, which deletionProtection forbids; keep at least 1 day',
    ]);
  });

  test('no backups are accepted in an unprotected environment', () => {
    const [environment] = parseEnvironments([
      { ...valid, deletionProtection: false, data: { database: { backupRetentionDays: 0 } } },
    ]);
    expect(environment.data.database.backupRetentionDays).toBe(0);
  });

  test('a malformed backup window is rejected', () => {
    expect(databaseProblems({ backupWindow: '19:00-25:00' })).toEqual([
      'dev: data.database.backupWindow: "19:00-25:00" is not a window of the form hh24:mi-hh24:mi (UTC), such as 19:00-19:30',
    ]);
  });

  test('a backup window shorter than 30 minutes is rejected', () => {
    expect(databaseProblems({ backupWindow: '19:00-19:15' })).toEqual([
      'dev: data.database.backupWindow: "19:00-19:15" is shorter than the 30 minutes RDS requires',
    ]);
  });

  test('a malformed maintenance window is rejected', () => {
    expect(databaseProblems({ maintenanceWindow: 'saturday:20:00-sat:20:30' })).toEqual([
      'dev: data.database.maintenanceWindow: "saturday:20:00-sat:20:30" is not a window of the form ddd:hh24:mi-ddd:hh24:mi (UTC), such as sat:20:00-sat:20:30',
    ]);
  });

  test('a maintenance window longer than 24 hours is rejected', () => {
    expect(databaseProblems({ maintenanceWindow: 'sat:20:00-sun:21:00' })).toEqual([
      'dev: data.database.maintenanceWindow: "sat:20:00-sun:21:00" is longer than the 24 hours RDS allows',
    ]);
  });

  test('a maintenance window that overlaps the daily backup window is rejected', () => {
    expect(databaseProblems({ maintenanceWindow: 'tue:19:15-tue:20:00' })).toEqual([
      'dev: data.database.maintenanceWindow: "tue:19:15-tue:20:00" overlaps the backup window "19:00-19:30"; RDS requires them apart',
    ]);
  });

  test('overlap is found across midnight and the end of the week', () => {
    expect(
      databaseProblems({ backupWindow: '23:45-00:15', maintenanceWindow: 'sun:23:30-mon:00:30' }),
    ).toEqual([
      'dev: data.database.maintenanceWindow: "sun:23:30-mon:00:30" overlaps the backup window "23:45-00:15"; RDS requires them apart',
    ]);
  });

  test('windows that only touch are accepted', () => {
    const [environment] = parseEnvironments([
      { ...valid, data: { database: { maintenanceWindow: 'sat:19:30-sat:20:00' } } },
    ]);
    expect(environment.data.database.maintenanceWindow).toBe('sat:19:30-sat:20:00');
  });

  test('a multi-AZ database with fewer than two database subnets is rejected', () => {
    const problems = problemsOf([
      {
        ...valid,
        availabilityZones: ['ap-northeast-1a'],
        network: {
          subnets: {
            public: { 'ap-northeast-1a': '10.0.10.0/24' },
            private: { 'ap-northeast-1a': '10.0.20.0/24' },
            database: { 'ap-northeast-1a': '10.0.30.0/24' },
          },
        },
        data: { database: { multiAz: true } },
      },
    ]);
    expect(problems).toContainEqual(
      'dev: data.database.multiAz: a multi-AZ database needs database subnets in at least two availability zones; network.subnets.database has 1',
    );
  });

  test('a Performance Insights retention that is not 7 days or whole months is rejected', () => {
    expect(databaseProblems({ performanceInsightsRetentionDays: 30 })).toEqual([
      'dev: data.database.performanceInsightsRetentionDays: must be 7, a multiple of 31 below 731, or 731',
    ]);
  });

  test('a reserved master user name is rejected', () => {
    expect(databaseProblems({ masterUsername: 'rdsadmin' })).toEqual([
      'dev: data.database.masterUsername: is reserved by MySQL or RDS',
    ]);
  });

  test('an AWS Backup retention below one day is rejected', () => {
    expect(problemsOf([{ ...valid, data: { backup: { retentionDays: 0 } } }])).toEqual([
      'dev: data.backup.retentionDays: must be at least 1 day',
    ]);
  });

  test('an access point path that is not absolute is rejected', () => {
    expect(
      problemsOf([{ ...valid, data: { fileSystem: { webAccessPoint: { path: 'wp-content' } } } }]),
    ).toEqual([
      'dev: data.fileSystem.webAccessPoint.path: must be an absolute path such as /wordpress/wp-content',
    ]);
  });

  test('unknown data keys are rejected rather than ignored', () => {
    expect(databaseProblems({ multiAZ: true })).toEqual([
      "dev: data.database: Unrecognized key(s) in object: 'multiAZ'",
    ]);
  });
});
