import { rmSync } from 'node:fs';

export default function globalTeardown(): void {
  const runDir = process.env.AWS_AND_INFRA_JEST_TMP;
  if (runDir !== undefined) rmSync(runDir, { recursive: true, force: true });
}
