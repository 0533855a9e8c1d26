import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * What the doc comments of `config/*.ts` say of each field of each `z.object({ ... })`: the schema's
 * comments are the one home of a setting's description, so the docs read them rather than restate them.
 */

/** The doc comment of one field: its text and the `@default` tag, if any. */
export interface FieldDoc {
  readonly description: string;
  readonly defaultTag?: string;
}

/** One `z.object({ ... })` literal of the source, by field name. */
export interface ObjectDocs {
  readonly file: string;
  readonly fields: ReadonlyMap<string, FieldDoc>;
}

/** Every `z.object({ ... })` literal of the `.ts` files of `dir`, indexed by its sorted field names. */
export function readObjectDocs(dir: string): Map<string, ObjectDocs[]> {
  const byKeys = new Map<string, ObjectDocs[]>();
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .sort()) {
    const file = path.join(dir, name);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      const literal = zodObjectLiteral(node);
      if (literal) {
        const fields = new Map<string, FieldDoc>();
        for (const property of literal.properties) {
          const key = propertyName(property);
          if (key !== undefined) fields.set(key, fieldDoc(property, source));
        }
        const keys = keySet([...fields.keys()]);
        byKeys.set(keys, [...(byKeys.get(keys) ?? []), { file: path.relative(process.cwd(), file), fields }]);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return byKeys;
}

/** The index key of an object's fields. */
export function keySet(keys: readonly string[]): string {
  return [...keys].sort().join(',');
}

/**
 * The object literal of `z.object({ ... })` (or `z.strictObject`), or of `<schema>.extend({ ... })`,
 * if `node` is such a call.
 */
function zodObjectLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return undefined;
  const { expression, name } = node.expression;
  const zodCall =
    ts.isIdentifier(expression) && expression.text === 'z' && ['object', 'strictObject'].includes(name.text);
  if (!zodCall && name.text !== 'extend') return undefined;
  const [argument] = node.arguments;
  return argument && ts.isObjectLiteralExpression(argument) ? argument : undefined;
}

function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** The last `/** ... *\/` comment before `property`, split into its text and its `@default` tag. */
function fieldDoc(property: ts.Node, source: ts.SourceFile): FieldDoc {
  const trivia = source.getFullText().slice(property.getFullStart(), property.getStart(source));
  const docs = trivia.match(/\/\*\*[\s\S]*?\*\//g) ?? [];
  if (docs.length === 0) return { description: '' };
  const body = docs[docs.length - 1]
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n');
  // Tags start at an `@word` that begins the comment or follows white space (not an e-mail address).
  const firstTag = body.search(/(^|\s)@\w+/);
  const description = firstTag < 0 ? body : body.slice(0, firstTag);
  const tags = firstTag < 0 ? [] : body.slice(firstTag).split(/(?=\s@\w+)/);
  const defaultTag = tags
    .map((tag) => /^\s*@default\s+([\s\S]*)$/.exec(tag)?.[1])
    .find((value) => value !== undefined);
  return {
    description: oneLine(description),
    ...(defaultTag !== undefined ? { defaultTag: oneLine(defaultTag) } : {}),
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
