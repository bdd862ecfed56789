// A minimal protobuf reader for the few SCIP fields the harness needs (scip.proto):
// Index.documents(2) -> Document.relative_path(1), occurrences(2) -> Occurrence.range(1,
// packed int32), symbol(2), symbol_roles(3).
export interface ScipOccurrence {
  /** 0-based: [startLine, startCharacter, endLine?, endCharacter]. */
  range: number[];
  symbol: string;
  roles: number;
}

export interface ScipDocument {
  relativePath: string;
  occurrences: ScipOccurrence[];
}

export const SCIP_DEFINITION_ROLE = 1;

export function readScipIndex(bytes: Uint8Array): ScipDocument[] {
  const documents: ScipDocument[] = [];
  for (const field of fields(bytes, 0, bytes.length)) {
    if (field.number === 2 && field.bytes) documents.push(readDocument(bytes, field.bytes));
  }
  return documents;
}

function readDocument(bytes: Uint8Array, [start, end]: [number, number]): ScipDocument {
  const document: ScipDocument = { relativePath: '', occurrences: [] };
  for (const field of fields(bytes, start, end)) {
    if (field.number === 1 && field.bytes) document.relativePath = text(bytes, field.bytes);
    if (field.number === 2 && field.bytes) document.occurrences.push(readOccurrence(bytes, field.bytes));
  }
  return document;
}

function readOccurrence(bytes: Uint8Array, [start, end]: [number, number]): ScipOccurrence {
  const occurrence: ScipOccurrence = { range: [], symbol: '', roles: 0 };
  for (const field of fields(bytes, start, end)) {
    if (field.number === 1 && field.bytes) {
      const cursor = { at: field.bytes[0] };
      while (cursor.at < field.bytes[1]) occurrence.range.push(varint(bytes, cursor));
    } else if (field.number === 1 && field.value !== undefined) occurrence.range.push(field.value);
    else if (field.number === 2 && field.bytes) occurrence.symbol = text(bytes, field.bytes);
    else if (field.number === 3 && field.value !== undefined) occurrence.roles = field.value;
  }
  return occurrence;
}

interface Field {
  number: number;
  value?: number;
  bytes?: [number, number];
}

function* fields(bytes: Uint8Array, start: number, end: number): Generator<Field> {
  const cursor = { at: start };
  while (cursor.at < end) {
    const key = varint(bytes, cursor);
    const number = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) yield { number, value: varint(bytes, cursor) };
    else if (wire === 2) {
      const length = varint(bytes, cursor);
      yield { number, bytes: [cursor.at, cursor.at + length] };
      cursor.at += length;
    } else if (wire === 1) cursor.at += 8;
    else if (wire === 5) cursor.at += 4;
    else throw new Error(`SCIP index: unsupported protobuf wire type ${wire} at byte ${cursor.at}; the file may be corrupt`);
  }
}

function varint(bytes: Uint8Array, cursor: { at: number }): number {
  let result = 0;
  let shift = 1;
  for (;;) {
    const byte = bytes[cursor.at++]!;
    result += (byte & 0x7f) * shift;
    if (byte < 0x80) break;
    shift *= 128;
  }
  // int32 negatives arrive as 10-byte varints; the fields read here are never negative.
  return result;
}

const decoder = new TextDecoder();
function text(bytes: Uint8Array, [start, end]: [number, number]): string {
  return decoder.decode(bytes.subarray(start, end));
}
