import yauzl from 'yauzl';
import { IntakeTooLarge, megabytes, type IntakeLimits } from './limits';

/** One entry of an .xlsx archive as its central directory declares it. */
export interface ArchiveEntry {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** More entries than any workbook has (a sheet is a few entries): an archive of thousands is not a workbook. */
const MAX_ENTRIES = 10_000;
/** Below this an entry cannot inflate to anything that matters, whatever its ratio (a short XML part compresses well). */
const RATIO_FLOOR_BYTES = 1024 * 1024;

export class UnreadableArchive extends Error {}

/**
 * An .xlsx workbook's central directory, checked before a byte of it is inflated (yauzl reads the
 * directory at the end of the file; nothing is decompressed): every entry's declared size within
 * `maxEntryBytes`, all of them within `maxArchiveBytes`, each no more than `maxCompressionRatio`
 * times its compressed size. An entry that inflates beyond what the directory declares is stopped
 * when it is read (yauzl's `validateEntrySizes`, on in xlsx-reader.worker.cjs), so a lying
 * directory gains nothing. Throws IntakeTooLarge naming the entry and the limit, or
 * UnreadableArchive for what is not a zip archive.
 */
export async function checkArchive(path: string, limits: Pick<IntakeLimits, 'maxEntryBytes' | 'maxArchiveBytes' | 'maxCompressionRatio'>): Promise<ArchiveEntry[]> {
  const entries = await centralDirectory(path);
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      throw new IntakeTooLarge(`工作簿中的"${entry.name}"解压后有 ${megabytes(entry.uncompressedSize)},超过上限 ${megabytes(limits.maxEntryBytes)};未解压`, 'maxEntryBytes');
    }
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > limits.maxCompressionRatio * Math.max(entry.compressedSize, 1)) {
      const ratio = Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1));
      throw new IntakeTooLarge(`工作簿中的"${entry.name}"压缩比为 ${ratio}:1,超过上限 ${limits.maxCompressionRatio}:1(疑为压缩炸弹);未解压`, 'maxCompressionRatio');
    }
    if (total > limits.maxArchiveBytes) {
      throw new IntakeTooLarge(`工作簿解压后超过 ${megabytes(limits.maxArchiveBytes)} 的上限;未解压`, 'maxArchiveBytes');
    }
  }
  return entries;
}

function centralDirectory(path: string): Promise<ArchiveEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) return reject(new UnreadableArchive(`不是有效的 .xlsx 文件(zip):${error?.message ?? 'no archive'}`));
      if (zip.entryCount > MAX_ENTRIES) {
        zip.close();
        return reject(new IntakeTooLarge(`工作簿有 ${zip.entryCount} 个部件,不是工作簿(上限 ${MAX_ENTRIES});未解压`, 'maxArchiveBytes'));
      }
      const entries: ArchiveEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({ name: entry.fileName, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize });
        zip.readEntry();
      });
      zip.on('end', () => {
        zip.close();
        resolve(entries);
      });
      zip.on('error', (e: Error) => {
        zip.close();
        reject(new UnreadableArchive(`不是有效的 .xlsx 文件(zip):${e.message}`));
      });
      zip.readEntry();
    });
  });
}
