import {
  applyEdits,
  insertMember,
  lineAt,
  memberAt,
  removeMember,
  replaceValue,
  scanJson,
  type JsonNode,
} from '../../../scripts/validate/json-edit';

const source = JSON.stringify(
  { first: { a: 1, b: [1, { c: 'x"}' }] }, middle: [{ d: 2 }, { e: 3 }], last: { f: { g: 4 } } },
  null,
  2,
);
const root = scanJson(source);
const lines = (text: string) => text.split('\n').length;
const member = (node: JsonNode, ...path: string[]) => {
  const found = memberAt(node, path);
  if (found === undefined) throw new Error(`no ${path.join('.')}`);
  return found;
};

describe('scanJson', () => {
  test('finds each member and element where it is, strings with quotes and braces included', () => {
    const b = member(root, 'first', 'b').value;
    expect(source.slice(b.start, b.end)).toBe(
      JSON.stringify([1, { c: 'x"}' }], null, 2).replace(/\n/g, '\n    '),
    );
    expect(b.elements?.map((element) => source.slice(element.start, element.end).replace(/\s/g, ''))).toEqual(
      ['1', '{"c":"x\\"}"}'],
    );
    expect(root.members?.map((m) => m.key)).toEqual(['first', 'middle', 'last']);
    expect(memberAt(root, ['first', 'nothing'])).toBeUndefined();
  });
});

describe('edits keep every line where it was', () => {
  test.each([
    ['a member followed by another', 'first', '"g"', { middle: [{ d: 2 }, { e: 3 }], last: { f: { g: 4 } } }],
    [
      'the last member',
      'last',
      '"e"',
      { first: { a: 1, b: [1, { c: 'x"}' }] }, middle: [{ d: 2 }, { e: 3 }] },
    ],
  ])('removing %s', (_, key, marker, expected) => {
    const edited = applyEdits(source, [removeMember(source, root, member(root, key))]);
    expect(JSON.parse(edited)).toEqual(expected);
    expect(lines(edited)).toBe(lines(source));
    // What is left stays on its line.
    expect(lineAt(edited, edited.indexOf(marker))).toBe(lineAt(source, source.indexOf(marker)));
  });

  test('removing the only member leaves an empty object', () => {
    const text = '{\n  "only": {\n    "x": 1\n  }\n}';
    const scanned = scanJson(text);
    const edited = applyEdits(text, [removeMember(text, scanned, member(scanned, 'only'))]);
    expect({ parsed: JSON.parse(edited), lines: lines(edited) }).toEqual({ parsed: {}, lines: 5 });
  });

  test('a replaced value goes on one line, the lines after stay put', () => {
    const first = member(root, 'first');
    const edited = applyEdits(source, [replaceValue(source, first.value, { a: 1, z: true })]);
    expect(JSON.parse(edited)).toEqual({
      first: { a: 1, z: true },
      middle: [{ d: 2 }, { e: 3 }],
      last: { f: { g: 4 } },
    });
    expect(lineAt(edited, edited.indexOf('"middle"'))).toBe(lineAt(source, source.indexOf('"middle"')));
  });

  test('an inserted member goes on the line of the brace, before the others', () => {
    const edited = applyEdits(source, [insertMember(root, 'new', { h: [5] })]);
    expect(Object.entries(JSON.parse(edited))[0]).toEqual(['new', { h: [5] }]);
    expect(edited.split('\n').slice(1)).toEqual(source.split('\n').slice(1));
    const empty = scanJson('{}');
    expect(JSON.parse(applyEdits('{}', [insertMember(empty, 'k', 1)]))).toEqual({ k: 1 });
  });
});
