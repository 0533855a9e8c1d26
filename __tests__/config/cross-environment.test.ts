import { parseEnvironments, type EnvironmentInput } from '../../config';
import { environments } from '../../config/environments';
import { configProblems } from '../helpers';

const account = '111111111111';
// Unprotected: a protected environment must also name a domain and an alarm subscriber, which these
// rules across environments do not need.
const environment = (name: string, overrides: Partial<EnvironmentInput> = {}): EnvironmentInput => ({
  name,
  accountId: account,
  deletionProtection: false,
  ...overrides,
});
const notOwner = { observability: { auditTrail: { owner: false } } };

describe('rules across environments', () => {
  test('two trail owners in one account are rejected on the later one, naming the first', () => {
    expect(configProblems([environment('dev'), environment('stg', notOwner), environment('prod')])).toEqual([
      'prod: observability.auditTrail.owner: dev already owns the audit trail of account 111111111111; one environment per account owns it (a second trail records every event again, at a charge): set false here',
    ]);
  });

  test('one owner per account, in any order, is accepted', () => {
    const parsed = parseEnvironments([
      environment('dev', notOwner),
      environment('stg'),
      environment('prod', { accountId: '222222222222' }),
    ]);
    expect(parsed.map((each) => each.observability.auditTrail.owner)).toEqual([false, true, true]);
  });

  test('an account without an owner is accepted (its trail is managed elsewhere)', () => {
    expect(parseEnvironments([environment('dev', notOwner), environment('stg', notOwner)])).toHaveLength(2);
  });

  test('a duplicate name is rejected, and both environments are then named by index', () => {
    expect(
      configProblems([
        environment('dev', { accountId: '1' }),
        environment('dev', { accountId: '222222222222', ...notOwner }),
      ]),
    ).toEqual([
      'environments[0].accountId: must be a 12-digit AWS account id',
      'environments[1].name: duplicate environment name "dev" (also environments[0]); stack ids, the name prefix and the state bucket derive from it',
    ]);
  });

  test('environments of one account never share a name prefix, state bucket or lock table', () => {
    // All three derive from the unique name (and the account), so the name rule above is what keeps
    // them apart; this pins that derivation for environments sharing project and account.
    const parsed = parseEnvironments([environment('dev'), environment('dev2', notOwner)]);
    const names = (pick: (each: (typeof parsed)[number]) => string) => new Set(parsed.map(pick)).size;
    expect(names((each) => each.namePrefix)).toBe(2);
    expect(names((each) => each.state.bucket)).toBe(2);
    expect(names((each) => each.state.lockTable)).toBe(2);
  });

  test('the shipped environments, one per account, each own their trail', () => {
    const parsed = parseEnvironments(environments);
    expect(new Set(parsed.map((each) => each.accountId)).size).toBe(parsed.length);
  });
});

describe('how problems name their environment', () => {
  test('by name, then the path inside it: "<name>: <path>: <message>"', () => {
    expect(configProblems([environment('prod', { accountId: '1' })])).toEqual([
      'prod: accountId: must be a 12-digit AWS account id',
    ]);
  });

  test('a problem of the environment itself has no path: "<name>: <message>"', () => {
    expect(configProblems([{ ...environment('stg'), netwrok: {} }])).toEqual([
      "stg: Unrecognized key(s) in object: 'netwrok'",
    ]);
  });

  test('by index when the name is missing or invalid', () => {
    expect(
      configProblems([
        { accountId: account, deletionProtection: false },
        { name: 'Prod', accountId: '1', deletionProtection: false },
      ]),
    ).toEqual([
      'environments[0].name: Required',
      'environments[1].name: must be 1-10 lowercase letters or digits, starting with a letter',
      'environments[1].accountId: must be a 12-digit AWS account id',
    ]);
  });

  test('a problem of the whole list keeps the list path', () => {
    expect(configProblems([])).toEqual(['environments: at least one environment is required']);
  });
});
