import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'cdktf';
import { environments } from '../../config/environments';
import { environmentSchema, parseEnvironments } from '../../config/schema';
import { defineEnvironment } from '../../stacks/estate';
import { settingRows, type SettingRow } from './config-tables';
import { cdktfUses } from './cdktf-imports';
import { estateDiagram } from './diagram';
import { generatedBlocks, replaceGeneratedBlocks, table } from './markdown';
import { readObjectDocs } from './schema-docs';

/**
 * Everything `npm run docs` generates: the settings tables of docs/configuration.md from the schema,
 * the diagram of the estate in README.md from the app's stacks, and the list of the code's `cdktf`
 * imports in docs/risks.md.
 * Each file keeps its hand-written text; only its `<!-- generated: ... -->` blocks are rewritten, and
 * the whole file is then formatted with the project's Prettier settings (what `npm run lint` checks).
 */

export interface GeneratedFile {
  /** Relative to the project root. */
  readonly file: string;
  readonly content: string;
}

export interface Generated {
  readonly files: GeneratedFile[];
  /** What the generator could not document faithfully (a stale `@default`, a block with no rows). */
  readonly problems: string[];
}

export const CONFIGURATION_DOC = 'docs/configuration.md';
export const README = 'README.md';
export const RISKS_DOC = 'docs/risks.md';
/** The environment the diagram shows: prod switches on what the others leave off (WAF, AWS Backup). */
export const DIAGRAM_ENVIRONMENT = 'prod';

export function generateDocs(root: string): Generated {
  const problems: string[] = [];
  const configuration = configurationDoc(root, problems);
  const readme = readmeDoc(root, problems);
  const risks = risksDoc(root, problems);
  const files = [configuration, readme, risks];
  const formatted = formatMarkdown(
    files.map(({ file, content }) => ({ file: path.join(root, file), content })),
  );
  return { files: files.map(({ file }, index) => ({ file, content: formatted[index] })), problems };
}

function configurationDoc(root: string, problems: string[]): GeneratedFile {
  const settings = settingRows({
    schema: environmentSchema,
    docs: readObjectDocs(path.join(root, 'config')),
    environments,
  });
  problems.push(...settings.problems);

  const file = path.join(root, CONFIGURATION_DOC);
  const markdown = readFileSync(file, 'utf8');
  // `settings web data` documents the top-level keys named; `settings *` every key no block names.
  const blocks = generatedBlocks(markdown).filter((name) => name.startsWith('settings '));
  const claimed = new Set(blocks.flatMap((name) => keysOf(name)).filter((key) => key !== '*'));
  const rowsOf = (name: string): SettingRow[] => {
    const keys = keysOf(name);
    return settings.rows.filter((row) => {
      const top = row.path.split('.')[0];
      return keys.includes(top) || (keys.includes('*') && !claimed.has(top));
    });
  };
  if (!blocks.some((name) => keysOf(name).includes('*')))
    problems.push(`${CONFIGURATION_DOC}: no <!-- generated: settings * --> block for the other settings`);

  const header = [
    'setting',
    'type',
    'default',
    environments.map((environment) => environment.name).join(' / '),
    'what',
  ];
  const generated = replaceGeneratedBlocks(markdown, (name) => {
    if (!name.startsWith('settings ')) return unknownBlock(CONFIGURATION_DOC, name, problems);
    const rows = rowsOf(name);
    if (rows.length === 0) problems.push(`${CONFIGURATION_DOC}: "${name}" matches no setting`);
    return table(
      header,
      rows.map((row) => [`\`${row.path}\``, row.type, row.defaultValue, row.environments, row.description]),
    );
  });
  return { file: CONFIGURATION_DOC, content: generated };
}

function readmeDoc(root: string, problems: string[]): GeneratedFile {
  const environment = parseEnvironments(environments).find(({ name }) => name === DIAGRAM_ENVIRONMENT);
  const file = path.join(root, README);
  const markdown = readFileSync(file, 'utf8');
  if (!environment) {
    problems.push(`${README}: no environment "${DIAGRAM_ENVIRONMENT}" to draw the diagram of`);
    return { file: README, content: markdown };
  }
  // The app writes nothing until it synthesizes, but its constructor makes its output directory.
  const outdir = mkdtempSync(path.join(tmpdir(), 'docs-estate-'));
  let diagram: string;
  try {
    const app = new App({ outdir, stackTraces: false });
    defineEnvironment(app, environment);
    diagram = estateDiagram(app);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  if (!generatedBlocks(markdown).includes('diagram'))
    problems.push(`${README}: no <!-- generated: diagram --> block`);
  const generated = replaceGeneratedBlocks(markdown, (name) =>
    name === 'diagram' ? `\`\`\`mermaid\n${diagram}\n\`\`\`` : unknownBlock(README, name, problems),
  );
  return { file: README, content: generated };
}

function risksDoc(root: string, problems: string[]): GeneratedFile {
  const file = path.join(root, RISKS_DOC);
  const markdown = readFileSync(file, 'utf8');
  if (!generatedBlocks(markdown).includes('cdktf imports'))
    problems.push(`${RISKS_DOC}: no <!-- generated: cdktf imports --> block`);
  const list = cdktfUses(root)
    .map(({ file: source, names }) => `- \`${source}\`: ${names.map((name) => `\`${name}\``).join(', ')}`)
    .join('\n');
  const generated = replaceGeneratedBlocks(markdown, (name) =>
    name === 'cdktf imports' ? list : unknownBlock(RISKS_DOC, name, problems),
  );
  return { file: RISKS_DOC, content: generated };
}

/** A block no generator writes: a problem, and its body left empty. */
function unknownBlock(file: string, name: string, problems: string[]): string {
  problems.push(`${file}: no generator writes <!-- generated: ${name} -->`);
  return '';
}

function keysOf(blockName: string): string[] {
  return blockName.split(/\s+/).slice(1);
}

/**
 * Each text as Prettier writes its file, with the project's settings. Prettier runs in a child process (its
 * API loads ES modules dynamically, which jest's module system does not support), one for all the files:
 * starting Prettier is most of the cost of formatting a file.
 */
function formatMarkdown(texts: readonly GeneratedFile[]): string[] {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'format-files.mjs')], {
    input: JSON.stringify(texts),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`prettier failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}
