/**
 * Generated parts of hand-written Markdown: each sits between `<!-- generated: <what> -->` and
 * `<!-- end generated -->`, and only that part is rewritten.
 */

const BLOCK = /(<!-- generated: ([^>]*?) -->\n)([\s\S]*?)(<!-- end generated -->)/g;

/** The names of the generated blocks of `markdown`, in order (`settings web`, `diagram`). */
export function generatedBlocks(markdown: string): string[] {
  return [...markdown.matchAll(BLOCK)].map((match) => match[2]);
}

/** `markdown` with each generated block's body replaced by `render(name)`. */
export function replaceGeneratedBlocks(markdown: string, render: (name: string) => string): string {
  return markdown.replace(
    BLOCK,
    (_all, open: string, name: string, _body, close: string) => `${open}\n${render(name).trim()}\n\n${close}`,
  );
}

/** A Markdown table; `|` in cells is escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
