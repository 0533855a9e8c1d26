import { z } from 'zod';

/** The smallest gp3 volume RDS allocates for MySQL (RDS user guide, "Amazon RDS DB instance storage"). */
export const MIN_GP3_STORAGE_GB = 20;

/**
 * RDS for MySQL DB instance classes this project accepts, by family, with the lowest MySQL 8.0
 * minor version the family runs (undefined: every 8.0 version). From the Amazon RDS user guide,
 * "Supported DB engines for DB instance classes" (Graviton2 needs 8.0.17+, Graviton3 8.0.28+). A
 * subset: add a family here, with its minimum from that page, before using it.
 */
export const MYSQL_INSTANCE_FAMILIES: Readonly<
  Record<string, { readonly sizes: readonly string[]; readonly minimumVersion?: string }>
> = {
  t3: { sizes: ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'] },
  t4g: { sizes: ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'], minimumVersion: '8.0.17' },
  m5: { sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'] },
  m6g: {
    sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
    minimumVersion: '8.0.17',
  },
  m6i: {
    sizes: [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
      '32xlarge',
    ],
  },
  m7g: {
    sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
    minimumVersion: '8.0.28',
  },
  r5: { sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'] },
  r6g: {
    sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
    minimumVersion: '8.0.17',
  },
  r6i: {
    sizes: [
      'large',
      'xlarge',
      '2xlarge',
      '4xlarge',
      '8xlarge',
      '12xlarge',
      '16xlarge',
      '24xlarge',
      '32xlarge',
    ],
  },
  r7g: {
    sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
    minimumVersion: '8.0.28',
  },
};

/**
 * Classes Performance Insights does not run on for RDS for MySQL (Amazon RDS user guide, "Amazon
 * RDS DB engine, Region, and instance class support for Database Insights").
 */
export const NO_PERFORMANCE_INSIGHTS_CLASSES: readonly string[] = [
  'db.t3.micro',
  'db.t3.small',
  'db.t4g.micro',
  'db.t4g.small',
];

/** End of RDS standard support for MySQL 8.0 (Amazon RDS user guide, "MySQL on Amazon RDS versions"). */
export const MYSQL_80_END_OF_STANDARD_SUPPORT = '2026-07-31';

/** Enhanced monitoring intervals RDS accepts (0 turns it off). */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60] as const;

const posixAccessPoint = (path: string, uid: number) =>
  z
    .object({
      /** Root directory of the access point, created on first use with the owner below and mode 0750. */
      path: z
        .string()
        .regex(/^(\/[A-Za-z0-9._-]+)+$/, 'must be an absolute path such as /wordpress/wp-content')
        .default(path),
      /** POSIX user and group every request through the access point runs as. */
      uid: z.number().int().min(0).default(uid),
      gid: z.number().int().min(0).default(uid),
    })
    .strict()
    .default({});

const databaseSchema = z
  .object({
    /**
     * `8.4` (the LTS release; RDS picks the current minor, and auto minor version upgrades keep it
     * current without a plan diff), a pinned `8.4.<minor>`, or `8.0` / `8.0.<minor>`. MySQL 8.0 left
     * RDS standard support on 2026-07-31, so it needs `extendedSupport: true` (billed). The
     * parameter-group family and option-group version follow it (`mysql8.4`).
     * @default '8.4'
     */
    engineVersion: z
      .string()
      .regex(
        /^8\.[04](\.\d+)?$/,
        'must be MySQL 8.4 or 8.0: "8.4", "8.4.<minor>", "8.0" or "8.0.<minor>" such as "8.4.6"',
      )
      .default('8.4'),
    /**
     * RDS Extended Support (`engine_lifecycle_support`): keep running a major version past its end of
     * standard support, billed per vCPU-hour. Off, RDS refuses to create an instance of a version
     * past standard support, and upgrades a restored one (RDS API reference, CreateDBInstance and
     * RestoreDBInstanceToPointInTime, EngineLifecycleSupport). MySQL 8.0 needs it on.
     * @default false
     */
    extendedSupport: z.boolean().default(false),
    /**
     * A small Graviton burstable class, the smallest Performance Insights runs on (billed per hour).
     * @default 'db.t4g.medium'
     */
    instanceClass: z.string().default('db.t4g.medium'),
    /** gp3 storage at creation, in GB (20-65536). @default 20 */
    allocatedStorageGb: z.number().int().default(20),
    /** Ceiling of storage autoscaling, in GB. @default 100 */
    maxAllocatedStorageGb: z.number().int().max(65536, 'must be at most 65536 GB').default(100),
    /** Database created with the instance. @default 'wordpress' */
    databaseName: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
        'must be 1-64 letters, digits or underscores, starting with a letter',
      )
      .default('wordpress'),
    /**
     * Master user name; its password is generated and kept by RDS in Secrets Manager. `dbadmin`,
     * not `admin` or `root`: names an attacker tries first.
     * @default 'dbadmin'
     */
    masterUsername: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_]{0,15}$/,
        'must be 1-16 letters, digits or underscores, starting with a letter',
      )
      .refine((name) => !/^(rdsadmin|rdsrepladmin|rdsproxyadmin|root|mysql)$/i.test(name), {
        message: 'is reserved by MySQL or RDS',
      })
      .default('dbadmin'),
    /**
     * Days between rotations of each application's own database password (alternating users: the
     * previous user keeps working until the next rotation). Web instances re-read the secret every
     * 10 minutes; container tasks read it at start. Secrets Manager allows 1-1000.
     * @default 30
     */
    credentialsRotationDays: z.number().int().min(1).max(1000).default(30),
    /** A standby in a second zone (doubles the instance and storage charges). @default false */
    multiAz: z.boolean().default(false),
    /** Days of automated backups and point-in-time recovery (0-35; 0 turns backups off). @default 30 */
    backupRetentionDays: z.number().int().default(30),
    /** Daily backup window, `hh24:mi-hh24:mi` UTC, at least 30 minutes. @default '19:00-19:30' (04:00 JST) */
    backupWindow: z.string().default('19:00-19:30'),
    /** Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC. @default 'sat:20:00-sat:20:30' (Sun 05:00 JST) */
    maintenanceWindow: z.string().default('sat:20:00-sat:20:30'),
    /** Performance Insights (not on micro and small classes). @default true */
    performanceInsights: z.boolean().default(true),
    /** Days of Performance Insights data: 7 (free) or a multiple of 31 up to 731 (billed). @default 7 */
    performanceInsightsRetentionDays: z
      .number()
      .int()
      .refine((days) => days === 7 || days === 731 || (days > 0 && days < 731 && days % 31 === 0), {
        message: 'must be 7, a multiple of 31 below 731, or 731',
      })
      .default(7),
    /** Enhanced monitoring interval in seconds; 0 turns it off (billed as CloudWatch Logs). @default 60 */
    monitoringIntervalSeconds: z
      .number()
      .refine((seconds) => (MONITORING_INTERVALS as readonly number[]).includes(seconds), {
        message: `must be one of ${MONITORING_INTERVALS.join(', ')}`,
      })
      .default(60),
  })
  .strict();

const fileSystemSchema = z
  .object({
    /** The web tier's shared content (WordPress `wp-content`); uid/gid 48 is `apache` on Amazon Linux. */
    webAccessPoint: posixAccessPoint('/wordpress/wp-content', 48),
    /** The container app's persistent data; uid/gid 33 is `www-data` in Debian-based PHP images. */
    appAccessPoint: posixAccessPoint('/app', 33),
  })
  .strict();

const backupSchema = z
  .object({
    /** An AWS Backup vault and a daily plan for the database and the file system (billed per GB). @default true */
    enabled: z.boolean().default(true),
    /** Days each daily recovery point is kept. @default 35 */
    retentionDays: z.number().int().min(1, 'must be at least 1 day').default(35),
    /**
     * Vault Lock in governance mode: no recovery point can be deleted before `retentionDays`, except
     * by a principal allowed to remove the lock.
     * @default false
     */
    vaultLock: z.boolean().default(false),
    /**
     * Turns the vault lock into compliance mode after this many days (at least 3): from then on no one,
     * AWS included, can remove it or shorten retention, until the vault is empty of locked points.
     * Unset, the lock stays in governance mode. Irreversible once the days have passed.
     * @default undefined (governance mode)
     */
    vaultLockChangeableForDays: z.number().int().min(3, 'must be at least 3 days (AWS Backup)').optional(),
    /**
     * A region that receives a copy of every recovery point (its own vault and key there), so one
     * region or one key lost is not everything lost; copies are billed as storage and transfer.
     * @default undefined (no copy)
     */
    copyRegion: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as ap-northeast-3')
      .optional(),
  })
  .strict();

const dataObject = z
  .object({
    database: databaseSchema.default({}),
    fileSystem: fileSystemSchema.default({}),
    backup: backupSchema.default({}),
  })
  .strict();

/** The data stack: RDS for MySQL, EFS and AWS Backup. */
export const dataSchema = dataObject.superRefine(checkData);

export type DataConfig = z.output<typeof dataObject>;

function checkData(data: DataConfig, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['database', ...path], message });
  const db = data.database;

  if (/^8\.0(\.|$)/.test(db.engineVersion) && !db.extendedSupport)
    problem(
      ['engineVersion'],
      `MySQL ${db.engineVersion} left RDS standard support on ${MYSQL_80_END_OF_STANDARD_SUPPORT}: RDS refuses to create it without Extended Support; use 8.4, or set extendedSupport: true (billed per vCPU-hour)`,
    );

  const instanceClassProblem = mysqlInstanceClassProblem(db.instanceClass, db.engineVersion);
  if (instanceClassProblem) problem(['instanceClass'], instanceClassProblem);
  if (db.performanceInsights && NO_PERFORMANCE_INSIGHTS_CLASSES.includes(db.instanceClass)) {
    problem(
      ['performanceInsights'],
      `Performance Insights does not run on ${db.instanceClass}; turn it off or use db.t4g.medium or larger`,
    );
  }

  if (db.allocatedStorageGb < MIN_GP3_STORAGE_GB)
    problem(
      ['allocatedStorageGb'],
      `${db.allocatedStorageGb} GB is below the ${MIN_GP3_STORAGE_GB} GB minimum of gp3 storage`,
    );
  else if (db.allocatedStorageGb > db.maxAllocatedStorageGb)
    problem(
      ['allocatedStorageGb'],
      `${db.allocatedStorageGb} GB is above the storage autoscaling ceiling maxAllocatedStorageGb (${db.maxAllocatedStorageGb} GB)`,
    );
  // RDS user guide, "Managing capacity automatically with Amazon RDS storage autoscaling": the maximum
  // storage threshold must be at least 10% above the allocated storage ("Invalid max storage size").
  else if (db.maxAllocatedStorageGb * 10 < db.allocatedStorageGb * 11)
    problem(
      ['maxAllocatedStorageGb'],
      `${db.maxAllocatedStorageGb} GB is less than 10% above allocatedStorageGb (${db.allocatedStorageGb} GB), which RDS storage autoscaling refuses; use at least ${Math.ceil((db.allocatedStorageGb * 11) / 10)} GB`,
    );

  if (db.backupRetentionDays < 0 || db.backupRetentionDays > 35)
    problem(['backupRetentionDays'], `${db.backupRetentionDays} is outside the 0-35 days RDS keeps backups`);

  const backup = parseBackupWindow(db.backupWindow);
  if (typeof backup === 'string') problem(['backupWindow'], backup);
  const maintenance = parseMaintenanceWindow(db.maintenanceWindow);
  if (typeof maintenance === 'string') problem(['maintenanceWindow'], maintenance);
  if (typeof backup !== 'string' && typeof maintenance !== 'string' && windowsOverlap(backup, maintenance)) {
    problem(
      ['maintenanceWindow'],
      `"${db.maintenanceWindow}" overlaps the backup window "${db.backupWindow}"; RDS requires them apart`,
    );
  }
}

/** What the data section needs from the rest of the environment. */
interface DataPlacement {
  readonly region: string;
  readonly deletionProtection: boolean;
  readonly availabilityZones: readonly string[];
  readonly network: { readonly subnets: { readonly database: Readonly<Record<string, string>> } };
  readonly data: DataConfig;
  readonly containers: { readonly database?: { readonly name: string } };
}

/**
 * Checks of the data section against the rest of the environment: a protected environment keeps
 * automated backups, and a multi-AZ database has a database subnet in at least two zones.
 */
export function checkDataPlacement(environment: DataPlacement, ctx: z.RefinementCtx): void {
  const db = environment.data.database;
  const problem = (key: string, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['data', 'database', key], message });
  if (environment.deletionProtection && db.backupRetentionDays === 0) {
    problem(
      'backupRetentionDays',
      '0 turns automated backups off, which deletionProtection forbids; keep at least 1 day',
    );
  }
  const backup = environment.data.backup;
  if (backup.copyRegion === environment.region)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['data', 'backup', 'copyRegion'],
      message: `is the environment's own region ${environment.region}; a copy must go elsewhere`,
    });
  if (backup.vaultLockChangeableForDays !== undefined && !backup.vaultLock)
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['data', 'backup', 'vaultLockChangeableForDays'],
      message: 'needs vaultLock: true',
    });
  const zones = new Set(
    environment.availabilityZones.filter((az) => az in environment.network.subnets.database),
  );
  if (db.multiAz && zones.size < 2) {
    problem(
      'multiAz',
      `a multi-AZ database needs database subnets in at least two availability zones; network.subnets.database has ${zones.size}`,
    );
  }
  checkApplicationDatabases(environment, ctx);
}

/** The container app's database is not WordPress's (a migration of the app must not drop its tables). */
function checkApplicationDatabases(environment: DataPlacement, ctx: z.RefinementCtx): void {
  const app = environment.containers.database;
  if (app !== undefined && app.name.toLowerCase() === environment.data.database.databaseName.toLowerCase()) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['containers', 'database', 'name'],
      message: `"${app.name}" is WordPress's database (data.database.databaseName); the container app needs its own`,
    });
  }
}

/** Why `instanceClass` cannot run MySQL `engineVersion`, or undefined if it can. */
export function mysqlInstanceClassProblem(instanceClass: string, engineVersion: string): string | undefined {
  const match = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  const family = match ? MYSQL_INSTANCE_FAMILIES[match[1]] : undefined;
  if (!match || !family || !family.sizes.includes(match[2])) {
    return `"${instanceClass}" is not an RDS for MySQL instance class (known families: ${Object.keys(
      MYSQL_INSTANCE_FAMILIES,
    )
      .map((name) => `db.${name}`)
      .join(', ')})`;
  }
  const minimum = family.minimumVersion;
  // A bare "8.0" is the current minor, which every family runs.
  if (minimum && /^8\.0\.\d+$/.test(engineVersion) && minorOf(engineVersion) < minorOf(minimum)) {
    return `${instanceClass} needs MySQL ${minimum} or later; engineVersion is ${engineVersion}`;
  }
  return undefined;
}

function minorOf(version: string): number {
  return Number(version.split('.')[2]);
}

/** A window as minute ranges in a week (0 = Monday 00:00 UTC); a daily window repeats each day. */
type Window = readonly (readonly [number, number])[];

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEK = 7 * 24 * 60;

function minuteOfDay(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** `hh24:mi-hh24:mi` UTC, at least 30 minutes (RDS PreferredBackupWindow), or why not. */
export function parseBackupWindow(text: string): Window | string {
  const [from, to, ...rest] = text.split('-');
  const start = minuteOfDay(from ?? '');
  const end = minuteOfDay(to ?? '');
  if (start === undefined || end === undefined || rest.length > 0)
    return `"${text}" is not a window of the form hh24:mi-hh24:mi (UTC), such as 19:00-19:30`;
  const length = (end - start + 1440) % 1440;
  if (length < 30) return `"${text}" is shorter than the 30 minutes RDS requires`;
  return DAYS.map((_, day) => [day * 1440 + start, day * 1440 + start + length] as const);
}

/** `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 30 minutes and at most 24 hours (RDS PreferredMaintenanceWindow), or why not. */
export function parseMaintenanceWindow(text: string): Window | string {
  const malformed = `"${text}" is not a window of the form ddd:hh24:mi-ddd:hh24:mi (UTC), such as sat:20:00-sat:20:30`;
  const parts = text.split('-');
  if (parts.length !== 2) return malformed;
  const points = parts.map((part) => {
    const day = DAYS.indexOf(part.slice(0, 3).toLowerCase());
    const minute = part[3] === ':' ? minuteOfDay(part.slice(4)) : undefined;
    return day === -1 || minute === undefined ? undefined : day * 1440 + minute;
  });
  const [start, end] = points;
  if (start === undefined || end === undefined) return malformed;
  const length = (end - start + WEEK) % WEEK;
  if (length < 30) return `"${text}" is shorter than the 30 minutes RDS requires`;
  if (length > 1440) return `"${text}" is longer than the 24 hours RDS allows`;
  return [[start, start + length]];
}

/** Whether two windows share a minute, across the end of the week. */
function windowsOverlap(a: Window, b: Window): boolean {
  return a.some(([aStart, aEnd]) =>
    b.some(([bStart, bEnd]) =>
      [-WEEK, 0, WEEK].some((shift) => aStart < bEnd + shift && bStart + shift < aEnd),
    ),
  );
}
