// docs/config-reference.md is rendered from the zod schema (lib/config/config-reference.ts): the
// committed page must be the current render, every field must say what it does, and every field a
// real config sets must be in it (so the walk over the schema misses nothing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REFERENCE_FILE, configReferenceMarkdown, referenceFields } from '../../lib/config/config-reference';
import { SCHEMA_FILE } from '../../lib/config/json-schema';
import { schemaMain } from '../../lib/init/schema';
import { isRecord } from '../../lib/base/records';
import { ROOT, defaultInput, loadYamlFile } from '../support/helpers';

const fields = referenceFields();
const byPath = new Map(fields.map((f) => [f.path, f]));

/** The field paths a config sets, as the reference writes them (lists as [], maps not entered). */
function pathsOf(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => pathsOf(v, `${prefix}[]`));
  if (!isRecord(value) || byPath.get(prefix)?.type.startsWith('map of')) return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return [p, ...pathsOf(v, p)];
  });
}

test('the committed reference is current (run npm run schema after changing lib/config/schema.ts)', () => {
  expect(fs.readFileSync(path.join(ROOT, REFERENCE_FILE), 'utf8')).toBe(configReferenceMarkdown());
});

test('every field has a description (.describe() in the zod schema)', () => {
  expect(fields.length).toBeGreaterThan(150);
  expect(fields.filter((f) => !f.description?.trim()).map((f) => f.path)).toEqual([]);
});

test.each([
  ['the default config', () => JSON.parse(JSON.stringify(defaultInput())) as unknown],
  ...fs
    .readdirSync(path.join(ROOT, 'test/fixtures'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f): [string, () => unknown] => [f, () => loadYamlFile(path.join(ROOT, 'test/fixtures', f))]),
])('every field %s sets is in the reference', (_name, load) => {
  const set = [...new Set(pathsOf(load()))];
  expect(set.length).toBeGreaterThan(10);
  expect(set.filter((p) => !byPath.has(p))).toEqual([]);
});

test('defaults and required fields are those of the schema', () => {
  expect(byPath.get('authentik.loadBalancer.httpPort')).toMatchObject({ default: 9000, required: false });
  expect(byPath.get('services[].slug')).toMatchObject({ required: true });
  expect(byPath.get('edge.mode')).toMatchObject({ default: 'traefik-file', type: '`traefik-file`, `traefik-crd`, `gateway-api`' });
  expect(byPath.get('edge.ipAllowLists')?.type).toBe('map of list of string');
});

test('npm run schema writes the JSON Schema and the reference, then finds both current', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-schema-'));
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(schemaMain([], dir)).toBe(0);
    expect(fs.readFileSync(path.join(dir, REFERENCE_FILE), 'utf8')).toBe(configReferenceMarkdown());
    expect(fs.existsSync(path.join(dir, SCHEMA_FILE))).toBe(true);
    expect(schemaMain([], dir)).toBe(0);
    expect(log.mock.calls.slice(2).map((c) => String(c[0]))).toEqual([
      `schema: ${SCHEMA_FILE} is current`,
      `schema: ${REFERENCE_FILE} is current`,
    ]);
  } finally {
    log.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
