import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resourcesOf, type SynthesizedConfig } from './helpers';

/** A remote-state read as the synthesized JSON writes it: the producing stack and the output. */
export const REMOTE_STATE_REFERENCE =
  /data\.terraform_remote_state\.cross-stack-reference-input-([\w-]+)\.outputs\.([\w-]+)/;

/** One widget of a dashboard body, as CloudWatch receives it. */
export interface EvaluatedWidget {
  readonly type: string;
  readonly properties: { title?: string; stat?: string; markdown?: string; metrics?: unknown[][] };
}

/**
 * The dashboard body as CloudWatch receives it: Terraform evaluates the synthesized `jsonencode`
 * (via `terraform console`, no provider needed) with each remote-state read replaced by the string
 * `remote:<the reference>`.
 */
export function evaluatedDashboardBody(synthesized: SynthesizedConfig): { widgets: EvaluatedWidget[] } {
  const [dashboard] = resourcesOf(synthesized, 'aws_cloudwatch_dashboard');
  const expression = String(dashboard.dashboard_body).replace(
    new RegExp(REMOTE_STATE_REFERENCE.source, 'g'),
    (reference) => `"remote:${reference}"`,
  );
  const directory = mkdtempSync(path.join(tmpdir(), 'dashboard-'));
  try {
    writeFileSync(path.join(directory, 'main.tf.json'), JSON.stringify({ locals: { body: expression } }));
    const result = spawnSync('terraform', ['console'], {
      cwd: directory,
      input: 'local.body\n',
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    if (result.status !== 0) throw new Error(`terraform console failed: ${result.stderr}`);
    // The console prints the string as a quoted literal; inside it is the JSON CloudWatch gets.
    return JSON.parse(JSON.parse(result.stdout.trim()) as string) as { widgets: EvaluatedWidget[] };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
