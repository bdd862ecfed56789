// The SCIP reader on protobuf bytes written by hand, so every wire detail it relies on is pinned.
import { describe, expect, it } from 'vitest';
import { readScipIndex, SCIP_DEFINITION_ROLE } from '../../scripts/accuracy/scip-reader.js';

function varint(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return out;
}
const tag = (field: number, wire: number): number[] => varint(field * 8 + wire);
const bytesField = (field: number, body: number[]): number[] => [...tag(field, 2), ...varint(body.length), ...body];
const textField = (field: number, text: string): number[] => bytesField(field, [...new TextEncoder().encode(text)]);
const intField = (field: number, value: number): number[] => [...tag(field, 0), ...varint(value)];

describe('readScipIndex', () => {
  it('reads documents, packed and unpacked ranges, symbols and roles, skipping unknown fields', () => {
    const definition = [...bytesField(1, [...varint(3), ...varint(4), ...varint(9)]), ...textField(2, 'pkg m/f().'), ...intField(3, SCIP_DEFINITION_ROLE)];
    // Unpacked range entries, a large line (multi-byte varint) and no roles field.
    const reference = [...intField(1, 300), ...intField(1, 2), ...intField(1, 7), ...textField(2, 'pkg m/f().')];
    const document = [...textField(1, 'pkg/m.py'), ...bytesField(2, definition), ...bytesField(2, reference), ...textField(4, 'python')];
    // Field 1 (metadata) and a fixed64 field 9 are not read but must be skipped correctly.
    const index = [...bytesField(1, textField(1, 'scip-python')), ...tag(9, 1), 1, 2, 3, 4, 5, 6, 7, 8, ...bytesField(2, document), ...bytesField(2, textField(1, 'empty.py'))];

    expect(readScipIndex(Uint8Array.from(index))).toEqual([
      {
        relativePath: 'pkg/m.py',
        occurrences: [
          { range: [3, 4, 9], symbol: 'pkg m/f().', roles: 1 },
          { range: [300, 2, 7], symbol: 'pkg m/f().', roles: 0 },
        ],
      },
      { relativePath: 'empty.py', occurrences: [] },
    ]);
  });

  it('reads an empty index as no documents', () => {
    expect(readScipIndex(new Uint8Array())).toEqual([]);
  });

  it('rejects a wire type it cannot skip, naming the byte', () => {
    expect(() => readScipIndex(Uint8Array.from(tag(2, 3)))).toThrow(/wire type 3 at byte 1/);
  });
});
