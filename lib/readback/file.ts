// Reading one input file with bounds: only a regular file (a FIFO would block for ever, a device
// never ends) and at most MAX_FILE_BYTES, both checked before a byte is read. Every refusal and
// every OS error is a ReadError: one line naming the file.
import fs from 'node:fs';
import { errnoText } from '../os/errors';

/** Bad input on disk (a file or directory the tool was told to read): one line naming the path. */
export class ReadError extends Error {}

/** The largest input file read: configs, baselines and import directories are far smaller. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Why a path that is not a regular file cannot be read (undefined: it can). */
export function notRegular(st: fs.Stats | fs.Dirent): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a file';
  if (st.isSocket()) return 'is a socket, not a file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a file';
  return 'is not a regular file';
}

/** A ReadError for an OS error on `file` (any other value is returned as it was: a bug). */
export function readFailure(e: unknown, file: string): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return e;
  if (code === 'ENOENT') return new ReadError(`${file}: no such file`);
  return new ReadError(`${file}: cannot read: ${errnoText(code) ?? code}`);
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** Refuse a file that is not regular or is too large, by its (followed) stat. */
export function assertReadable(file: string, st: fs.Stats): void {
  const why = notRegular(st);
  if (why) throw new ReadError(`${file}: ${why}`);
  if (st.size > MAX_FILE_BYTES) throw new ReadError(`${file}: ${mib(st.size)} is over the ${mib(MAX_FILE_BYTES)} limit for an input file`);
}

/**
 * The UTF-8 text of a file, read through one descriptor: opened without blocking (a FIFO swapped
 * in after the check cannot hang the run), checked by fstat, read to at most the limit.
 */
export function readBounded(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw readFailure(e, file);
  }
  try {
    const st = fs.fstatSync(fd);
    assertReadable(file, st);
    // Read to the end (a file's size may be 0, as in /proc, or grow), never past the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(st.size + 1, 65536));
      const got = fs.readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      chunks.push(buf.subarray(0, got));
      total += got;
      if (total > MAX_FILE_BYTES) throw new ReadError(`${file}: is over the ${mib(MAX_FILE_BYTES)} limit for an input file`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch (e) {
    throw e instanceof ReadError ? e : readFailure(e, file);
  } finally {
    fs.closeSync(fd);
  }
}
