import { crc32, deflateRawSync } from 'node:zlib';

/** One entry of a hand-made archive: its bytes as stored, and what its headers declare. */
export interface ZipPart {
  name: string;
  /** The bytes as stored (deflated unless `method` is 0). */
  stored: Buffer;
  method?: 0 | 8;
  /** Declared in both headers; a lie is the point of some tests. */
  uncompressedSize: number;
  crc?: number;
}

/** A part deflated honestly. */
export const deflated = (name: string, content: Buffer | string): ZipPart => {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  return { name, stored: deflateRawSync(bytes), uncompressedSize: bytes.length, crc: crc32(bytes) };
};

/**
 * A zip archive written byte by byte (local headers, data, central directory, end record), so that
 * a test can declare what no archiver would: a 2 GB entry of a few bytes, a directory that lies.
 */
export function zipOf(parts: readonly ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const method = part.method ?? 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(part.crc ?? 0, 14);
    local.writeUInt32LE(part.stored.length, 18);
    local.writeUInt32LE(part.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    chunks.push(local, name, part.stored);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt32LE(part.crc ?? 0, 16);
    entry.writeUInt32LE(part.stored.length, 20);
    entry.writeUInt32LE(part.uncompressedSize, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);
    offset += local.length + name.length + part.stored.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directory, end]);
}
