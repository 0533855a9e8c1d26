import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { lintWorkflow, WORKFLOW_RULES, workflowFiles } from '../../scripts/workflow-lint';
import { docTable } from './doc-tables';

const root = path.resolve(__dirname, '../..');
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

/** A compliant workflow with one job; `job` replaces the job body lines. */
function workflow(job: string[], head: string[] = ['on:', '  pull_request:']): string {
  return [...head, 'jobs:', '  build:', ...job.map((line) => `    ${line}`), ''].join('\n');
}

const compliantJob = [
  'runs-on: ubuntu-24.04',
  'permissions:',
  '  contents: read',
  'steps:',
  `  - uses: actions/checkout@${SHA} # v4.2.2`,
  '  - run: npm ci --ignore-scripts --no-audit',
];

const rules = (text: string) => lintWorkflow(text).map((v) => `${v.rule} ${v.where}`);

describe('lintWorkflow', () => {
  test('a compliant workflow has no violations', () => {
    expect(lintWorkflow(workflow(compliantJob))).toEqual([]);
  });

  test('the repository’s workflows pass', () => {
    const files = workflowFiles(root).map((file) => path.basename(file));
    expect(files.sort()).toEqual(['drift.yml', 'infrastructure.yml']);
    for (const file of workflowFiles(root))
      expect([file, lintWorkflow(readFileSync(file, 'utf8'))]).toEqual([file, []]);
  });

  test('structure: no on, no jobs, a job without runs-on or steps, a step with both uses and run', () => {
    expect(
      rules('jobs:\n  a:\n    permissions: {}\n    runs-on: x\n    steps:\n      - run: echo\n'),
    ).toEqual(['WF-STRUCTURE workflow']);
    expect(rules('on: push\n')).toEqual(['WF-STRUCTURE workflow']);
    expect(rules(workflow(['permissions: {}']))).toEqual([
      'WF-STRUCTURE job build',
      'WF-STRUCTURE job build',
    ]);
    expect(
      rules(workflow(['permissions: {}', 'runs-on: x', 'steps:', '  - run: echo', '    uses: ./local'])),
    ).toEqual(['WF-STRUCTURE job build step 1']);
    expect(rules(workflow(['permissions: {}', 'runs-on: x', 'steps:', '  - name: nothing']))).toEqual([
      'WF-STRUCTURE job build step 1',
    ]);
  });

  test('pins: a tag, a short SHA, a branch are refused; a full SHA needs its tag comment; local actions are fine', () => {
    const job = (uses: string) => workflow(['permissions: {}', 'runs-on: x', 'steps:', `  - uses: ${uses}`]);
    expect(rules(job('actions/checkout@v4.2.2'))).toEqual(['WF-PIN line 8']);
    expect(rules(job('actions/checkout@11bd719'))).toEqual(['WF-PIN line 8']);
    expect(rules(job('actions/checkout@main'))).toEqual(['WF-PIN line 8']);
    expect(lintWorkflow(job(`actions/checkout@${SHA}`))[0].message).toContain('has no tag comment');
    expect(rules(job(`actions/checkout@${SHA} # v4.2.2`))).toEqual([]);
    expect(rules(job(`github/codeql-action/init@${SHA} # v3`))).toEqual([]);
    expect(rules(job('./.github/actions/local'))).toEqual([]);
  });

  test('pull_request_target is refused, in any trigger form', () => {
    expect(rules(workflow(compliantJob, ['on: pull_request_target']))).toEqual(['WF-NO-PR-TARGET on']);
    expect(rules(workflow(compliantJob, ['on: [push, pull_request_target]']))).toEqual([
      'WF-NO-PR-TARGET on',
    ]);
    expect(rules(workflow(compliantJob, ['on:', '  pull_request_target:', '    types: [opened]']))).toEqual([
      'WF-NO-PR-TARGET on',
    ]);
  });

  test('every job sets permissions (an empty map counts)', () => {
    expect(
      rules(
        workflow(compliantJob.filter((line) => !line.includes('permissions') && !line.includes('contents'))),
      ),
    ).toEqual(['WF-PERMISSIONS job build']);
    expect(
      rules(workflow(['permissions: {}', ...compliantJob.slice(0, 1), ...compliantJob.slice(3)])),
    ).toEqual([]);
  });

  test('npm ci and npm install need --ignore-scripts, wherever they sit in the script', () => {
    const job = (run: string) => workflow(['permissions: {}', 'runs-on: x', 'steps:', `  - run: ${run}`]);
    expect(rules(job('npm ci'))).toEqual(['WF-IGNORE-SCRIPTS job build step 1']);
    expect(rules(job('npm install --save-dev x && npm test'))).toEqual([
      'WF-IGNORE-SCRIPTS job build step 1',
    ]);
    expect(rules(job('npm test && npm ci --no-audit'))).toEqual(['WF-IGNORE-SCRIPTS job build step 1']);
    expect(rules(job('npm ci --ignore-scripts'))).toEqual([]);
    expect(rules(job('npm run ci-check'))).toEqual([]);
  });

  test('a job that can obtain AWS credentials installs nothing, even with --ignore-scripts', () => {
    const oidc = (run: string) =>
      workflow(['runs-on: x', 'permissions:', '  id-token: write', 'steps:', `  - run: ${run}`]);
    expect(rules(oidc('npm ci --ignore-scripts'))).toEqual([
      'WF-NO-INSTALL-WITH-CREDENTIALS job build step 1',
    ]);
    expect(rules(oidc('npx cdktf deploy'))).toEqual(['WF-NO-INSTALL-WITH-CREDENTIALS job build step 1']);
    expect(rules(oidc('node .ci-tools/scripts/plan.js --env dev'))).toEqual([]);
    expect(
      rules(
        workflow([
          'runs-on: x',
          'permissions:',
          '  id-token: read',
          'steps:',
          '  - run: npm ci --ignore-scripts',
        ]),
      ),
    ).toEqual([]);
    const keys = workflow([
      'runs-on: x',
      'permissions: {}',
      'steps:',
      `  - uses: aws-actions/configure-aws-credentials@${SHA} # v4.2.1`,
      '  - run: pnpm install',
    ]);
    expect(rules(keys)).toEqual(['WF-NO-INSTALL-WITH-CREDENTIALS job build step 2']);
  });
});

test('docs/ci.md tables every workflow rule with what it requires', () => {
  expect(docTable('ci.md', 'workflow-rules')).toEqual(
    WORKFLOW_RULES.map((rule) => [rule.id, rule.description.replace(/`/g, '')]),
  );
});
