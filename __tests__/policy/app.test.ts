import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadEnvironments } from '../../config';
import { sharedAppSynth, type AppSynth } from '../app-synth';

describe('the full app', () => {
  let result: AppSynth;
  beforeAll(() => {
    result = sharedAppSynth();
  });

  test('every stack of every environment passes the guardrails with the suppressions it declares', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.keys(manifest.stacks);
    for (const environment of loadEnvironments()) {
      expect(stacks.filter((id) => id.startsWith(`${environment.name}-`)).length).toBeGreaterThan(0);
    }
    // Every stack was checked: the summary counts the stacks whose guardrails ran.
    expect(result.stdout).toMatch(new RegExp(`^Guardrails: ${stacks.length} stacks pass \\d+ rules;`, 'm'));
  });

  test('no suppression the app declares is left unused', () => {
    expect(result.stdout).not.toMatch(/^ {2}unused /m);
  });
});
