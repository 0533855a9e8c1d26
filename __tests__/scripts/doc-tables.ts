import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The rows of the Markdown table that follows `<!-- marker: ... -->` in a docs file, as arrays of cells
 * (backticks removed): what a test compares with the code the table restates.
 */
export function docTable(file: string, marker: string): string[][] {
  const lines = readFileSync(path.join(__dirname, '../../docs', file), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith(`<!-- ${marker}:`));
  if (start === -1) throw new Error(`docs/${file} has no <!-- ${marker}: --> table`);
  const rows: string[][] = [];
  const table = lines.slice(start + 1).findIndex((line) => line.startsWith('|')) + start + 1;
  // After the header row and the separator row.
  for (const line of lines.slice(table + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim().replace(/`/g, '')),
    );
  }
  return rows;
}
