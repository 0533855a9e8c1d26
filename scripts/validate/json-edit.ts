/**
 * Edits of a JSON text that keep every line where it was: a removed property becomes blank space (its
 * newlines kept), a replaced value is written on one line followed by the newlines it had, and inserted
 * text goes on an existing line. Terraform's diagnostics on the edited copy of a stack then point at the
 * same lines as in the stack's own `cdk.tf.json`.
 */

/** Where a JSON value is in its text, with the members of an object. */
export interface JsonNode {
  readonly start: number;
  /** One past the last character. */
  readonly end: number;
  /** Set for an object: its members in order. */
  readonly members?: readonly JsonMember[];
  /** Set for an array: its elements in order. */
  readonly elements?: readonly JsonNode[];
}

export interface JsonMember {
  readonly key: string;
  /** The first character of the key's opening quote. */
  readonly keyStart: number;
  readonly value: JsonNode;
}

/** The spans of a JSON text (which must be valid: check it with `JSON.parse` first). */
export function scanJson(text: string): JsonNode {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const expect = (char: string) => {
    if (text[at] !== char) throw new Error(`Expected "${char}" at offset ${at} of the JSON text.`);
    at++;
  };
  const scanString = (): string => {
    const start = at;
    expect('"');
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const scanValue = (): JsonNode => {
    skipSpace();
    const start = at;
    const char = text[at];
    if (char === '{') {
      at++;
      const members: JsonMember[] = [];
      skipSpace();
      while (text[at] !== '}') {
        if (members.length > 0) {
          expect(',');
          skipSpace();
        }
        const keyStart = at;
        const key = scanString();
        skipSpace();
        expect(':');
        members.push({ key, keyStart, value: scanValue() });
        skipSpace();
      }
      at++;
      return { start, end: at, members };
    }
    if (char === '[') {
      at++;
      const elements: JsonNode[] = [];
      skipSpace();
      while (text[at] !== ']') {
        if (elements.length > 0) expect(',');
        elements.push(scanValue());
        skipSpace();
      }
      at++;
      return { start, end: at, elements };
    }
    if (char === '"') {
      scanString();
      return { start, end: at };
    }
    while (at < text.length && /[^\s,\]}]/.test(text[at])) at++;
    return { start, end: at };
  };
  return scanValue();
}

/** The member at `path` (object keys from the root), or undefined. */
export function memberAt(root: JsonNode, path: readonly string[]): JsonMember | undefined {
  let node: JsonNode | undefined = root;
  let member: JsonMember | undefined;
  for (const key of path) {
    member = node?.members?.find((candidate) => candidate.key === key);
    if (member === undefined) return undefined;
    node = member.value;
  }
  return member;
}

/** One change of the text: `[start, end)` becomes `text`. */
export interface JsonEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Removes `member` from `parent` (with the comma that separates it from a neighbour), as blank space that
 * keeps its newlines.
 */
export function removeMember(source: string, parent: JsonNode, member: JsonMember): JsonEdit {
  const members = parent.members ?? [];
  const index = members.indexOf(member);
  if (index === -1) throw new Error(`"${member.key}" is not a member of the object given.`);
  // Up to the next member's key (taking the comma after), or, for the last member, from the end of the one
  // before (taking the comma before); an only member leaves `{}`.
  const next = members[index + 1];
  const previous = members[index - 1];
  const start = next === undefined && previous !== undefined ? previous.value.end : member.keyStart;
  const end = next === undefined ? member.value.end : next.keyStart;
  return { start, end, text: blank(source.slice(start, end)) };
}

/** Replaces a value by `value` written on one line, followed by the newlines the old value spanned. */
export function replaceValue(source: string, node: JsonNode, value: unknown): JsonEdit {
  const newlines = source.slice(node.start, node.end).split('\n').length - 1;
  return { start: node.start, end: node.end, text: `${JSON.stringify(value)}${'\n'.repeat(newlines)}` };
}

/** Adds `"key": value` as the first member of an object, on the line of its `{`. */
export function insertMember(object: JsonNode, key: string, value: unknown): JsonEdit {
  const comma = (object.members ?? []).length > 0 ? ', ' : '';
  const text = `${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`;
  return { start: object.start + 1, end: object.start + 1, text };
}

/** Applies edits that do not overlap. */
export function applyEdits(source: string, edits: readonly JsonEdit[]): string {
  let result = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

/** The 1-based line of an offset. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (source.charCodeAt(index) === 10) line++;
  return line;
}

function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}
