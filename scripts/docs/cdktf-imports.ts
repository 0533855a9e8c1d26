import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Where the project's own code (not its tests) uses the `cdktf` package: what a move to CDK Terrain
 * (`cdktn`) must rename beside the per-resource provider imports.
 */

/** Top-level files and folders of the project's code. */
const SOURCES = ['main.ts', 'config', 'stacks', 'modules', 'policy', 'scripts'];

export interface CdktfUse {
  /** Relative to the project root, with `/`. */
  readonly file: string;
  /** Names imported from `cdktf`, and `cdktf/lib/...` for a path into its internals. */
  readonly names: readonly string[];
}

export function cdktfUses(root: string): CdktfUse[] {
  const uses: CdktfUse[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    // Every use below spells `cdktf` in a string literal; parsing only the files that do saves most of the cost.
    if (!text.includes('cdktf')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const names = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const from = node.moduleSpecifier.text;
        if (from === 'cdktf') for (const name of importedNames(node)) names.add(name);
        else if (from.startsWith('cdktf/')) names.add(from);
      }
      // A path into cdktf assembled at run time: `path.join('cdktf', 'lib', ...)`.
      if (ts.isCallExpression(node)) {
        const parts = node.arguments.map((argument) => (ts.isStringLiteral(argument) ? argument.text : '*'));
        if (parts[0] === 'cdktf' && parts.length > 1) names.add(parts.join('/'));
        if (
          parts.length === 1 &&
          /^cdktf(\/|$)/.test(parts[0]) &&
          node.expression.getText(source) === 'require'
        )
          names.add(parts[0]);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (names.size > 0)
      uses.push({ file: path.relative(root, file).split(path.sep).join('/'), names: [...names].sort() });
  }
  return uses.sort((a, b) => a.file.localeCompare(b.file));
}

function importedNames(node: ts.ImportDeclaration): string[] {
  const clause = node.importClause;
  if (!clause) return [];
  const names = clause.name ? [clause.name.text] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(`* as ${bindings.name.text}`);
  if (bindings && ts.isNamedImports(bindings))
    names.push(...bindings.elements.map((element) => (element.propertyName ?? element.name).text));
  return names;
}

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (entry: string): void => {
    if (!existsSync(entry)) return;
    if (statSync(entry).isDirectory()) {
      for (const name of readdirSync(entry).sort()) walk(path.join(entry, name));
    } else if (/\.(ts|js|mjs|cjs)$/.test(entry) && !entry.endsWith('.d.ts')) files.push(entry);
  };
  for (const source of SOURCES) walk(path.join(root, source));
  return files;
}
