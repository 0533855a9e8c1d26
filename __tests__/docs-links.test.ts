import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');
const documents = ['README.md', ...readdirSync(path.join(root, 'docs')).map((name) => `docs/${name}`)].filter(
  (file) => file.endsWith('.md'),
);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(path.join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchor(match[1])));
}

describe('links between the docs', () => {
  test('README.md stays the front door: at most 200 lines, with the set-up commands CI runs', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(200);
    expect(readme).toContain('\nnpm ci && npm run synth ');
    expect(readme).toContain('\nnpm test ');
  });

  test.each(documents)('every relative link of %s reaches a file and, if it names one, a heading', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
      const [relative, fragment] = target.split('#');
      const linked =
        relative === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), relative));
      if (!existsSync(path.join(root, linked))) broken.push(`${target}: no file ${linked}`);
      else if (fragment !== undefined && linked.endsWith('.md') && !anchorsOf(linked).has(fragment))
        broken.push(`${target}: no heading #${fragment} in ${linked}`);
    }
    expect(broken).toEqual([]);
  });
});
