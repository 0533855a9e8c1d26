import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * cdktf's Testing.app() and fullSynth() make a temporary directory per call and never remove it.
 * Point every worker's temp dir at one per-run directory, which global-teardown removes.
 */
export default function globalSetup(): void {
  const runDir = mkdtempSync(path.join(tmpdir(), 'aws-and-infra-jest-'));
  process.env.AWS_AND_INFRA_JEST_TMP = runDir;
  process.env.TMPDIR = runDir;
}
