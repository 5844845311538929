// Rendered text that need not live in memory. A generator wraps each dataset's share of an output
// (a <dataset> element, an ISO record, a CronJob) in a Text and builds its files as ropes: lists of
// literal strings and Texts. The build cache keeps Texts in a blob file and gives back handles
// that read their bytes only when a file holding them has to be written again; a file whose rope
// is the same list of pieces as last time is known unchanged without being put together at all.
import type { OutputFile } from '../generators/types.js';

/** Where a stored Text's UTF-8 bytes are: a range of the cache's blob file. */
export interface TextLocation {
  offset: number;
  length: number;
}

/**
 * Reads a range of a blob file. With `borrow`, the bytes may be a view into a buffer the next
 * read reuses: for callers that use them at once (hashing, writing).
 */
export type BlobReader = (location: TextLocation, borrow?: boolean) => Buffer;

export class Text {
  /** Identity across builds: the cache entry it came from and its place there. Unset for fresh text. */
  id: string | undefined;
  private value: string | undefined;
  private stored: { location: TextLocation; read: BlobReader } | undefined;

  private constructor(value: string | undefined) {
    this.value = value;
  }

  static of(value: string): Text {
    return new Text(value);
  }

  /** A Text kept in a blob file, known by `id`. */
  static stored(id: string, location: TextLocation, read: BlobReader): Text {
    const text = new Text(undefined);
    text.id = id;
    text.stored = { location, read };
    return text;
  }

  /** The Text's place in a blob, once it is stored there. */
  get location(): TextLocation | undefined {
    return this.stored?.location;
  }

  /** Records where the text is stored; the string is dropped and read back when needed. */
  storedAt(id: string, location: TextLocation, read: BlobReader): void {
    this.id = id;
    this.stored = { location, read };
    this.value = undefined;
  }

  get byteLength(): number {
    return this.stored ? this.stored.location.length : Buffer.byteLength(this.value ?? '', 'utf8');
  }

  bytes(): Buffer {
    return this.stored ? this.stored.read(this.stored.location) : Buffer.from(this.value ?? '', 'utf8');
  }

  /** The text as a string when it is in memory, else its bytes borrowed from the blob (valid until the next read). */
  piece(): string | Buffer {
    return this.stored ? this.stored.read(this.stored.location, true) : (this.value ?? '');
  }

  toString(): string {
    return this.value ?? this.piece().toString('utf8');
  }
}

export type Piece = string | Text;

/** A piece as a string or as bytes borrowed from the blob (use them before the next read). */
export function borrowPiece(piece: Piece): string | Buffer {
  return typeof piece === 'string' ? piece : piece.piece();
}

export function textOf(piece: Piece): string {
  return typeof piece === 'string' ? piece : piece.toString();
}

/** Pieces joined by `separator`, as `Array.prototype.join` would, without joining them. */
export function joinPieces(pieces: readonly Piece[], separator: string): Piece[] {
  const joined: Piece[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0 && separator !== '') joined.push(separator);
    joined.push(piece);
  });
  return joined;
}

/**
 * An output file made of pieces. Its `content` is put together on each read (tests, diff and
 * publish read it); the build writes the pieces one by one instead, and never holds the whole.
 */
export function ropeFile(path: string, pieces: readonly Piece[], datasets: readonly string[]): OutputFile {
  return {
    path,
    datasets,
    pieces,
    get content() {
      return pieces.map(textOf).join('');
    },
  };
}

/** The file's pieces: its rope, or its content as one literal. */
export function piecesOf(file: OutputFile): readonly Piece[] {
  return file.pieces ?? [file.content];
}

/** The file's size in bytes, without putting it together. */
export function byteLengthOf(file: OutputFile): number {
  return piecesOf(file).reduce((sum, piece) => sum + (typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.byteLength), 0);
}

/** Calls `visit` on every Text inside plain data (objects, arrays), in a fixed order. */
export function forEachText(value: unknown, visit: (text: Text) => void): void {
  if (value instanceof Text) visit(value);
  else if (Array.isArray(value)) for (const item of value) forEachText(item, visit);
  else if (value !== null && typeof value === 'object') for (const key of Object.keys(value)) forEachText((value as Record<string, unknown>)[key], visit);
}
