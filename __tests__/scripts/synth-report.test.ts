import {
  annotationNotices,
  parseAppOutput,
  synthReport,
  type EnvironmentFacts,
  type Notice,
} from '../../scripts/synth-report';

const environmentOf = (stack: string) => ['dev', 'prod'].find((env) => stack.startsWith(`${env}-`));

const appOutput = [
  'Guardrails: 12 stacks pass 32 rules; 1 warning, 0 suppressions in use, 1 unused',
  '  warning     GR-RDS-5 dev-data/mysql/instance: deletion_protection is not true (info)',
  '  allowed     GR-SG-1 prod-network/security-groups/alb: load balancer group, TCP 80 and 443 from anywhere',
  '  unused      GR-S3-1 dev-state/bucket: old reason [matches nothing; remove it]',
  'something the app printed',
];

const environments: EnvironmentFacts[] = [
  { name: 'dev', stacks: 6, resources: 170, protected: false },
  { name: 'prod', stacks: 6, resources: 190, protected: true },
];

describe('parseAppOutput', () => {
  test('guardrail items become notices of their environment; other lines are kept apart', () => {
    expect(parseAppOutput(appOutput, environmentOf)).toEqual({
      header: appOutput[0],
      notices: [
        { kind: 'warning', environment: 'dev', text: appOutput[1] },
        { kind: 'allowed', environment: 'prod', text: appOutput[2] },
        { kind: 'unused', environment: 'dev', text: appOutput[3] },
      ],
      other: ['something the app printed'],
    });
  });
});

describe('annotationNotices', () => {
  test('a stack annotation is a note of the stack’s environment', () => {
    const manifest = {
      stacks: {
        'prod-compute': {
          annotations: [{ constructPath: 'prod-compute/web', level: '@cdktf/warn', message: 'plain HTTP' }],
        },
      },
    };
    expect(annotationNotices(manifest, environmentOf)).toEqual<Notice[]>([
      { kind: 'note', environment: 'prod', text: 'Warning: prod-compute/web: plain HTTP' },
    ]);
  });
});

describe('synthReport', () => {
  const { notices, header } = parseAppOutput(appOutput, environmentOf);
  const prodNote: Notice = { kind: 'note', environment: 'prod', text: 'Warning: prod-compute: plain HTTP' };
  const devNote: Notice = { kind: 'note', environment: 'dev', text: 'Warning: dev-compute: plain HTTP' };

  test('first synth: one line per environment, plus what is wrong (unused suppression, note in a protected env)', () => {
    expect(
      synthReport({ environments, notices: [...notices, prodNote, devNote], verbose: false, header }),
    ).toEqual([
      'dev   6 stacks, 170 resources; guardrails pass (1 warning, 1 unused suppression, 1 note)',
      'prod  6 stacks, 190 resources; guardrails pass (1 exception, 1 note)',
      `wrong ${appOutput[3].trim()}`,
      'wrong Warning: prod-compute: plain HTTP',
    ]);
  });

  test('a later synth also prints what the previous one did not have', () => {
    const previous = new Set([appOutput[1], appOutput[2]]);
    expect(
      synthReport({ environments, notices: [...notices, devNote], previous, verbose: false, header }).slice(
        2,
      ),
    ).toEqual([`wrong ${appOutput[3].trim()}`, 'new   Warning: dev-compute: plain HTTP']);
  });

  test('a warning in an unprotected environment seen before is only counted', () => {
    const previous = new Set([appOutput[1]]);
    const report = synthReport({ environments, notices: [notices[0]], previous, verbose: false });
    expect(report).toEqual([
      'dev   6 stacks, 170 resources; guardrails pass (1 warning)',
      'prod  6 stacks, 190 resources; guardrails pass',
    ]);
  });

  test('--verbose prints the guardrail summary and every notice as it was', () => {
    expect(synthReport({ environments, notices: [...notices, devNote], verbose: true, header })).toEqual([
      appOutput[0],
      appOutput[1],
      appOutput[2],
      appOutput[3],
      'Warning: dev-compute: plain HTTP',
    ]);
  });
});
