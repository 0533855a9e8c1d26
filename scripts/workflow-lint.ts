/**
 * `npm run lint:workflows [files...]`: the project's own schema and security check of GitHub Actions
 * workflows (no actionlint binary on npm or Debian here that the team vets; see docs/ci.md). Every rule
 * below is one #16 requires; `npm test` runs it over `.github/workflows/*.yml` through jest.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface WorkflowRule {
  readonly id: string;
  readonly description: string;
}

/** The rules, as docs/ci.md tables them (a test keeps the two equal). */
export const WORKFLOW_RULES: readonly WorkflowRule[] = [
  {
    id: 'WF-STRUCTURE',
    description:
      '`on` and `jobs` exist; every job has `runs-on` and `steps`; every step has exactly one of `uses` or `run`',
  },
  {
    id: 'WF-PIN',
    description:
      'every third-party action is pinned by a full 40-hex commit SHA with its tag in a comment (`@<sha> # v4.2.2`)',
  },
  {
    id: 'WF-NO-PR-TARGET',
    description: "no `pull_request_target` trigger (it runs with the base repository's secrets on PR code)",
  },
  { id: 'WF-PERMISSIONS', description: 'every job sets `permissions` explicitly' },
  { id: 'WF-IGNORE-SCRIPTS', description: '`npm ci` / `npm install` always with `--ignore-scripts`' },
  {
    id: 'WF-NO-INSTALL-WITH-CREDENTIALS',
    description:
      'a job that can obtain AWS credentials (`id-token: write` or configure-aws-credentials) installs nothing: no npm/npx/yarn/pnpm install',
  },
];

export interface Violation {
  readonly rule: string;
  /** `job <id>` or `job <id> step <n>`, or the line for a `uses:`. */
  readonly where: string;
  readonly message: string;
}

const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
const INSTALL = /\b(npm\s+(ci|install|i|add)\b|npx\s|yarn(\s+install|\s+add|\s*$)|pnpm\s+(install|i|add)\b)/m;
const NPM_INSTALL = /\bnpm\s+(ci|install|i)\b[^\n;&|]*/g;

type Mapping = Record<string, unknown>;

/** Every rule broken by one workflow file's text. */
export function lintWorkflow(text: string): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, where: string, message: string) => violations.push({ rule, where, message });
  let workflow: unknown;
  try {
    workflow = parse(text);
  } catch (error) {
    return [
      {
        rule: 'WF-STRUCTURE',
        where: 'file',
        message: `not YAML: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
  }
  if (!isMapping(workflow)) return [{ rule: 'WF-STRUCTURE', where: 'file', message: 'not a mapping' }];

  const on = workflow.on ?? workflow[true as unknown as string];
  if (on === undefined) add('WF-STRUCTURE', 'workflow', 'no `on` trigger');
  const triggers =
    typeof on === 'string' ? [on] : Array.isArray(on) ? on : isMapping(on) ? Object.keys(on) : [];
  if (triggers.includes('pull_request_target')) {
    add(
      'WF-NO-PR-TARGET',
      'on',
      "pull_request_target runs pull-request code with the base repository's secrets and a write token",
    );
  }
  if (!isMapping(workflow.jobs) || Object.keys(workflow.jobs).length === 0) {
    add('WF-STRUCTURE', 'workflow', 'no `jobs`');
    return violations;
  }

  for (const [id, job] of Object.entries(workflow.jobs)) {
    const where = `job ${id}`;
    if (!isMapping(job)) {
      add('WF-STRUCTURE', where, 'not a mapping');
      continue;
    }
    if (job.permissions === undefined)
      add(
        'WF-PERMISSIONS',
        where,
        "no `permissions`: the job would get the workflow's or the repository default token",
      );
    if (job.uses !== undefined) continue; // a reusable workflow call: no steps of its own
    if (job['runs-on'] === undefined) add('WF-STRUCTURE', where, 'no `runs-on`');
    if (!Array.isArray(job.steps) || job.steps.length === 0) {
      add('WF-STRUCTURE', where, 'no `steps`');
      continue;
    }
    const permissions = isMapping(job.permissions) ? job.permissions : {};
    const steps = job.steps as unknown[];
    const credentialed =
      permissions['id-token'] === 'write' ||
      steps.some(
        (step) =>
          isMapping(step) &&
          typeof step.uses === 'string' &&
          step.uses.startsWith('aws-actions/configure-aws-credentials@'),
      );
    steps.forEach((step, index) => {
      const at = `${where} step ${index + 1}`;
      if (!isMapping(step) || (step.uses === undefined) === (step.run === undefined)) {
        add('WF-STRUCTURE', at, 'a step has exactly one of `uses` or `run`');
        return;
      }
      if (typeof step.run !== 'string') return;
      for (const match of step.run.matchAll(NPM_INSTALL)) {
        if (!match[0].includes('--ignore-scripts'))
          add('WF-IGNORE-SCRIPTS', at, `\`${match[0].trim()}\` runs every dependency's install scripts`);
      }
      if (credentialed && INSTALL.test(step.run)) {
        add(
          'WF-NO-INSTALL-WITH-CREDENTIALS',
          at,
          'installs packages in a job that can obtain AWS credentials',
        );
      }
    });
  }

  // Pins from the text itself: the tag lives in a comment, which the parsed document drops.
  text.split('\n').forEach((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(?:#\s*(\S+))?/.exec(line);
    if (match === null) return;
    const [, reference, tag] = match;
    if (reference.startsWith('./') || reference.startsWith('docker://')) return;
    if (!SHA_PIN.test(reference)) {
      add('WF-PIN', `line ${index + 1}`, `${reference} is not pinned by a full commit SHA`);
    } else if (tag === undefined) {
      add(
        'WF-PIN',
        `line ${index + 1}`,
        `${reference} has no tag comment (\`# v1.2.3\`) saying which release the SHA is`,
      );
    }
  });
  return violations;
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The workflow files of a repository. */
export function workflowFiles(root: string): string[] {
  const dir = path.join(root, '.github', 'workflows');
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => path.join(dir, name));
}

if (require.main === module) {
  const files =
    process.argv.length > 2 ? process.argv.slice(2) : workflowFiles(path.resolve(__dirname, '..'));
  let count = 0;
  for (const file of files) {
    for (const violation of lintWorkflow(readFileSync(file, 'utf8'))) {
      console.error(
        `${path.relative(process.cwd(), file)}: ${violation.where}: ${violation.rule}: ${violation.message}`,
      );
      count++;
    }
  }
  if (count > 0) process.exitCode = 1;
  else console.log(`${files.length} workflow file${files.length === 1 ? '' : 's'}: no problems.`);
}
