import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SUBNET_TIER_BLOCKS } from '../../config/network';
import { OFFERED_ZONES } from '../../config/zones';

const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');

/** The rows of the first Markdown table after `heading`, as cells without backticks. */
function tableAfter(heading: string): string[][] {
  const start = doc.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`docs/configuration.md has no "${heading}"`);
  const lines = doc.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
  }
  return rows;
}

describe('docs/configuration.md restates the code', () => {
  test('the subnet tier table equals SUBNET_TIER_BLOCKS', () => {
    const rows = tableAfter('### Subnets: derived unless given');
    expect(Object.fromEntries(rows.map(([tier, block]) => [tier, Number(block)]))).toEqual(
      SUBNET_TIER_BLOCKS,
    );
  });

  test('the zone table equals OFFERED_ZONES', () => {
    const rows = tableAfter('### Zones');
    const documented = Object.fromEntries(
      rows.map(([region, letters]) => [region, letters.split(', ').map((letter) => `${region}${letter}`)]),
    );
    expect(documented).toEqual(OFFERED_ZONES);
  });
});
