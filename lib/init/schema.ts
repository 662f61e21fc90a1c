// `npm run schema`: write the files generated from the config schema (lib/config/schema.ts): the
// JSON Schema YAML configs' `$schema` lines point at, and the config reference in docs/. Run it
// after changing lib/config/schema.ts; a test fails until you do.
import fs from 'node:fs';
import path from 'node:path';
import { REFERENCE_FILE, configReferenceMarkdown } from '../config/config-reference';
import { SCHEMA_FILE, configJsonSchema } from '../config/json-schema';

/** Each generated file, relative to the repository root, with its renderer. */
const GENERATED: ReadonlyArray<readonly [string, () => string]> = [
  [SCHEMA_FILE, configJsonSchema],
  [REFERENCE_FILE, configReferenceMarkdown],
];

/** Writes one file unless it is current (atomically: a temporary file renamed over it). */
function writeIfChanged(cwd: string, file: string, text: string): string {
  const abs = path.join(cwd, file);
  if (fs.existsSync(abs) && fs.readFileSync(abs, 'utf8') === text) return `schema: ${file} is current`;
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(`${abs}.${process.pid}.tmp`, text);
  fs.renameSync(`${abs}.${process.pid}.tmp`, abs);
  return `schema: wrote ${file}`;
}

export function schemaMain(argv: string[], cwd = process.cwd()): number {
  if (argv.length) {
    console.error(`usage error: npm run schema takes no arguments (it writes ${GENERATED.map(([f]) => f).join(' and ')})`);
    return 1;
  }
  for (const [file, render] of GENERATED) console.log(writeIfChanged(cwd, file, render()));
  return 0;
}
