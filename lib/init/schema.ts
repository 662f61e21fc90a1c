// `npm run schema`: write the config's JSON Schema (lib/config/json-schema.ts) where YAML configs'
// `$schema` lines point. Run it after changing lib/config/schema.ts; a test fails until you do.
import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_FILE, configJsonSchema } from '../config/json-schema';

export function schemaMain(argv: string[], cwd = process.cwd()): number {
  if (argv.length) {
    console.error(`usage error: npm run schema takes no arguments (it writes ${SCHEMA_FILE})`);
    return 1;
  }
  const abs = path.join(cwd, SCHEMA_FILE);
  const text = configJsonSchema();
  if (fs.existsSync(abs) && fs.readFileSync(abs, 'utf8') === text) {
    console.log(`schema: ${SCHEMA_FILE} is current`);
    return 0;
  }
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(`${abs}.${process.pid}.tmp`, text);
  fs.renameSync(`${abs}.${process.pid}.tmp`, abs);
  console.log(`schema: wrote ${SCHEMA_FILE}`);
  return 0;
}
