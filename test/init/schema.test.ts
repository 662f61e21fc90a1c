// The committed JSON Schema (schema/config.schema.json) is the zod schema's current output, and it
// accepts the configs synth accepts and rejects what the zod schema rejects, as editors will.
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { SCHEMA_FILE, configJsonSchema } from '../../lib/config/json-schema';
import { ROOT, defaultInput } from '../support/helpers';

const committed = fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8');
const validate = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(committed) as object);

test('is current (run npm run schema after changing lib/config/schema.ts)', () => {
  expect(committed).toBe(configJsonSchema());
});

test.each(fs.readdirSync(path.join(ROOT, 'test/fixtures')).filter((f) => f.endsWith('.yaml')))('accepts the fixture %s', (f) => {
  expect(validate(yaml.load(fs.readFileSync(path.join(ROOT, 'test/fixtures', f), 'utf8')))).toBe(true);
});

test('accepts the default config', () => {
  expect(validate(JSON.parse(JSON.stringify(defaultInput())))).toBe(true);
});

test.each([
  ['an unknown field', (c: any) => (c.cluster.nmae = 'x'), '/cluster'],
  ['a host that is not a DNS name', (c: any) => (c.services[3].host = 'Longhorn UI'), '/services/3/host'],
  ['a port given as a string', (c: any) => (c.authentik.loadBalancer.httpPort = '9000'), '/authentik/loadBalancer/httpPort'],
  ['a missing required field', (c: any) => delete c.authentik.url, '/authentik'],
])('rejects %s, at its path', (_name, mutate, at) => {
  const c = JSON.parse(JSON.stringify(defaultInput()));
  mutate(c);
  expect(validate(c)).toBe(false);
  expect(validate.errors!.map((e) => e.instancePath)).toContain(at);
});
