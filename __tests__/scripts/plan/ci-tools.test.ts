import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** The runtime imports of a TypeScript file (type-only imports are erased by the compiler). */
function runtimeImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'([^']+)';/gms)]
    .filter((match) => match[1] === undefined)
    .map((match) => match[2]);
  return [...specifiers, ...[...source.matchAll(/require\('([^']+)'\)/g)].map((match) => match[1])];
}

// The compiled plan tooling runs in CI jobs that hold AWS credentials and install nothing (docs/ci.md):
// everything it loads must be the project's own code or a Node built-in, never a package.
test('the CI tools import only project files and Node built-ins', () => {
  const config = JSON.parse(readFileSync(path.join(root, 'tsconfig.ci-tools.json'), 'utf8')) as {
    files: string[];
  };
  const seen = new Set<string>();
  const packages: string[] = [];
  const pending = config.files.map((file) => path.join(root, file));
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        const resolved = [`${target}.ts`, path.join(target, 'index.ts')].find((candidate) =>
          existsSync(candidate),
        );
        if (resolved === undefined) throw new Error(`${file}: cannot resolve ${specifier}`);
        pending.push(resolved);
      } else if (!specifier.startsWith('node:')) {
        packages.push(`${path.relative(root, file)} imports ${specifier}`);
      }
    }
  }
  expect(packages).toEqual([]);
  expect([...seen].map((file) => path.relative(root, file))).toContain('scripts/plan/destroy-guard.ts');
});
