import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sharedAppSynth } from '../app-synth';

const root = path.resolve(__dirname, '../..');
const review = readFileSync(path.join(root, 'docs/aws-review.md'), 'utf8');

/** Every resource type and `data.<type>` the default estate's stacks synthesize (all environments). */
function emittedTypes(): string[] {
  const synth = sharedAppSynth();
  expect(synth.status).toBe(0);
  const stacksDir = path.join(synth.outdir, 'stacks');
  const types = new Set<string>();
  for (const stack of readdirSync(stacksDir)) {
    const json = JSON.parse(readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, unknown>;
      data?: Record<string, unknown>;
    };
    for (const type of Object.keys(json.resource ?? {})) types.add(type);
    for (const type of Object.keys(json.data ?? {})) types.add(`data.${type}`);
  }
  return [...types].sort();
}

/**
 * The review's rows, by section: the types the first cell names (one or more, each in backticks) and
 * its qualifier, the text after them (`(enhanced monitoring)`), which tells apart two rows of a type.
 */
interface ReviewRow {
  readonly section: string;
  readonly types: readonly string[];
  readonly qualifier: string;
  readonly cells: readonly string[];
}

function rows(): ReviewRow[] {
  let section = '';
  const found: ReviewRow[] = [];
  for (const line of review.split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1];
    if (!/^\| `/.test(line)) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const types = [...cells[0].matchAll(/`((?:data\.)?[a-z0-9_]+)`/g)].map((match) => match[1]);
    const qualifier = cells[0].replace(/`[^`]*`,?/g, '').trim();
    found.push({ section, types, qualifier, cells });
  }
  return found;
}

describe('docs/aws-review.md', () => {
  const emitted = emittedTypes();
  const reviewed = rows();
  const reviewedTypes = reviewed.flatMap((row) => row.types);

  test('every type the default estate emits has a review row', () => {
    expect(emitted.filter((type) => !reviewedTypes.includes(type))).toEqual([]);
  });

  test('every review row names types the default estate emits; a type in two rows says which part each covers', () => {
    expect(reviewedTypes.filter((type) => !emitted.includes(type))).toEqual([]);
    const keys = reviewed.flatMap((row) => row.types.map((type) => `${type} ${row.qualifier}`));
    expect(keys.filter((key, index) => keys.indexOf(key) !== index)).toEqual([]);
    const repeated = reviewed.filter(
      (row) =>
        row.qualifier === '' && row.types.some((type) => reviewedTypes.filter((t) => t === type).length > 1),
    );
    expect(repeated.map((row) => row.types.join(', '))).toEqual([]);
  });

  test('each row fills the four columns, and a row sits in one of the two review sections', () => {
    expect(
      reviewed.filter((row) => row.cells.length !== 4 || row.cells.some((cell) => cell.length === 0)),
    ).toEqual([]);
    expect([...new Set(reviewed.map((row) => row.section))]).toEqual([
      'Network, edge, compute, containers',
      'Data, state, observability, identity',
    ]);
    expect([...review.matchAll(/^## (.+)$/gm)].map((match) => match[1])).toEqual([
      'Network, edge, compute, containers',
      'Data, state, observability, identity',
    ]);
  });
});
