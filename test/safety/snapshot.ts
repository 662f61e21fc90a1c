// Every entry under a directory, for "byte-identical afterwards" assertions: regular files by
// their bytes, everything else by kind (a FIFO is never opened, a link never followed).
import fs from 'node:fs';
import path from 'node:path';

export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string, prefix: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = `${prefix}${e.name}`;
      if (e.isSymbolicLink()) out[rel] = `<link ${fs.readlinkSync(p)}>`;
      else if (e.isDirectory()) {
        out[`${rel}/`] = '<dir>';
        visit(p, `${rel}/`);
      } else if (e.isFile()) {
        const st = fs.statSync(p);
        // A sparse file of many MiB is recorded by size and mtime, not read.
        out[rel] = st.size > 1024 * 1024 ? `<${st.size} bytes ${st.mtimeMs}>` : fs.readFileSync(p).toString('base64');
      } else out[rel] = '<special>';
    }
  };
  visit(dir, '');
  return out;
}

/** Console lines of one call, captured (console.error and console.log, process.stdout.write). */
export function capture<T>(run: () => T): { result: T; stderr: string[]; stdout: string[] } {
  const stderr: string[] = [];
  const stdout: string[] = [];
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.map(String).join(' ')));
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (stdout.push(String(s)), true));
  try {
    return { result: run(), stderr, stdout };
  } finally {
    err.mockRestore();
    log.mockRestore();
    write.mockRestore();
  }
}
