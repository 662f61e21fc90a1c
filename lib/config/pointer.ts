// The committed pointer `unified-auth.json` at the repository root: which cluster config
// `npm run synth`, `check` and `plan` use when no --config is given, and where its output goes.
// `npm run init` writes it. With no pointer the default stays config/frank.ts into dist/.
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { ConfigFileError } from './load';

export const POINTER_FILE = 'unified-auth.json';

const PointerSchema = z.strictObject({
  /** The cluster config, relative to the repository root. */
  config: z.string().regex(/^[^/\s][^\s]*\.(ts|ya?ml|json)$/, 'must be a relative .ts, .yaml, .yml or .json path'),
  /** Its output directory, relative to the repository root. */
  out: z.string().regex(/^(?!.*(^|\/)\.\.?(\/|$))[^/\s]([^\s]*[^/\s])?$/, 'must be a relative directory inside the repository'),
});
export type Pointer = z.output<typeof PointerSchema>;

/** How the pointer's text is read: its content, or undefined when there is none. */
export type PointerReader = (file: string) => string | undefined;

function readFromDisk(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigFileError(`${POINTER_FILE}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/**
 * The pointer in `dir` (the working directory: npm runs scripts at the root), or undefined when
 * there is none; `read` gives its text (the working tree, or the git index for --staged, so a
 * staged pointer picks the config the commit will hold).
 */
export function readPointer(dir = process.cwd(), read: PointerReader = readFromDisk): Pointer | undefined {
  const text = read(path.join(dir, POINTER_FILE));
  if (text === undefined) return undefined;
  // A broken pointer is an error, never a silent fall back to another cluster's config.
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigFileError(`${POINTER_FILE}: not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = PointerSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigFileError(`${POINTER_FILE}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

export const pointerText = (p: Pointer): string => `${JSON.stringify(p, null, 2)}\n`;
