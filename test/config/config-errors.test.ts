// Config errors that point at the fix: every case of the bad-config corpus (test/bad-configs/)
// must fail with one line per problem, each starting with the exact config path it names.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { frank } from '../../config/frank';
import { ConfigError, formatPath, parseConfig } from '../../lib/rules/validate';
import { loadConfigFile } from '../../lib/config/load';

const DIR = path.join(__dirname, '../bad-configs');

type Op =
  { set: string; value: unknown } | { delete: string } | { push: string; value?: unknown; copyOf?: string; with?: Record<string, unknown> };
interface Case {
  name: string;
  mutate: Op[];
  expect: Record<string, string>;
}
interface FileCase {
  file: string;
  expect: Record<string, string>;
}
const corpus = yaml.load(fs.readFileSync(path.join(DIR, 'cases.yaml'), 'utf8')) as { cases: Case[]; files: FileCase[] };

/** `services[3].host` -> ['services', 3, 'host'] (the inverse of formatPath). */
export function parsePath(p: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

type Obj = Record<string | number, unknown>;
function parentOf(root: unknown, p: string): [Obj, string | number] {
  const keys = parsePath(p);
  let v = root as Obj;
  for (const k of keys.slice(0, -1)) {
    if (v[k] === null || typeof v[k] !== 'object') throw new Error(`mutation path ${p}: ${String(k)} is not an object`);
    v = v[k] as Obj;
  }
  return [v, keys[keys.length - 1]];
}
const get = (root: unknown, p: string) => {
  const [o, k] = parentOf(root, p);
  return o[k];
};

function applyOp(root: unknown, op: Op): void {
  if ('set' in op) {
    const [o, k] = parentOf(root, op.set);
    o[k] = structuredClone(op.value);
  } else if ('delete' in op) {
    const [o, k] = parentOf(root, op.delete);
    if (Array.isArray(o) && typeof k === 'number') o.splice(k, 1);
    else delete o[k];
  } else {
    const list = get(root, op.push);
    if (!Array.isArray(list)) throw new Error(`push: ${op.push} is not a list`);
    const item = op.copyOf !== undefined ? structuredClone(get(root, op.copyOf)) : structuredClone(op.value);
    list.push(op.with ? { ...(item as Obj), ...op.with } : item);
  }
}

export function mutated(ops: Op[]): unknown {
  const input = structuredClone(frank);
  for (const op of ops) applyOp(input, op);
  return input;
}

/** The problem lines, or a failure when the input is accepted or fails some other way. */
function problemsOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('the config was accepted');
}

const split = (line: string) => {
  const i = line.indexOf(': ');
  return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 2)];
};

/** Exactly the expected paths (one line each), each line carrying its expected message. */
function expectProblems(problems: string[], expected: Record<string, string>): void {
  const actual = problems.map(split);
  expect(actual.map(([p]) => p).sort()).toEqual(Object.keys(expected).sort());
  for (const [p, message] of Object.entries(expected)) {
    const line = problems.find((l) => l.startsWith(`${p}: `));
    expect(line).toContain(`${p}: `);
    expect(line!.slice(p.length + 2)).toContain(message);
  }
  for (const l of problems) {
    expect(l).not.toMatch(/\n|^\s|\s{4}at /);
    expect(l).not.toMatch(/Invalid input|Too (small|big)|must match pattern/); // zod's raw wording
  }
}

test('the corpus holds at least 40 cases, each with a unique name', () => {
  expect(corpus.cases.length + corpus.files.length).toBeGreaterThanOrEqual(40);
  expect(new Set(corpus.cases.map((c) => c.name)).size).toBe(corpus.cases.length);
});

test('the default config is valid (the corpus mutates a valid base)', () => {
  expect(() => parseConfig(structuredClone(frank))).not.toThrow();
});

describe('bad configs (mutations of the default)', () => {
  test.each(corpus.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const input = mutated(c.mutate);
    expectProblems(problemsOf(input), c.expect);
    // The same config written as YAML or JSON reports the same problems.
    expect(problemsOf(yaml.load(yaml.dump(input)))).toEqual(problemsOf(input));
    expect(problemsOf(JSON.parse(JSON.stringify(input)))).toEqual(problemsOf(input));
  });
});

describe('bad config files (through the CLI loader)', () => {
  test.each(corpus.files.map((f) => [f.file, f] as const))('%s', (_name, f) => {
    expectProblems(problemsOf(loadConfigFile(path.join(DIR, f.file))), f.expect);
  });

  test('every file in bad-configs/files/ is listed in cases.yaml', () => {
    const listed = corpus.files.map((f) => f.file).sort();
    expect(
      fs
        .readdirSync(path.join(DIR, 'files'))
        .map((n) => `files/${n}`)
        .sort(),
    ).toEqual(listed);
  });
});

describe('message wording', () => {
  test('formatPath writes list indexes in brackets and the root as (config)', () => {
    expect(formatPath(['services', 3, 'host'])).toBe('services[3].host');
    expect(formatPath([])).toBe('(config)');
    expect(formatPath(['services', 0, 'call back'])).toBe('services[0]["call back"]');
    expect(formatPath(['1', 'a.b'])).toBe('["1"]["a.b"]');
  });

  test('an unknown key with odd characters stays on one line, quoted', () => {
    expectProblems(problemsOf(mutated([{ set: 'services[0].oidc', value: { consumer: 'argocd', 'call\nback': 1 } }])), {
      'services[0].oidc["call\\nback"]': 'unknown field "call\\nback"',
    });
  });

  test('all problems are reported at once, each on its own line', () => {
    const input = mutated([
      { set: 'services[3].host', value: 'Longhorn UI' },
      { set: 'cilium.version', value: '1.16' },
      { set: 'extra', value: true },
    ]);
    expectProblems(problemsOf(input), {
      'services[3].host': '"Longhorn UI" is not a DNS name',
      'cilium.version': 'is not a Cilium version',
      extra: 'unknown field "extra"',
    });
  });

  test('cross-field problems are all reported together too', () => {
    const input = mutated([
      { set: 'services[5].host', value: 'longhorn.frank.derio.net' },
      { set: 'authentik.loadBalancer.ip', value: '10.0.0.1' },
      { set: 'authentik.chart.version', value: '2026.11.0' },
    ]);
    expectProblems(problemsOf(input), {
      'services[5].host': 'duplicate host',
      'authentik.loadBalancer.ip': 'outside the pool',
      'authentik.chart.version': 'is Authentik 2026.11',
    });
  });

  test('ConfigError.message is the problem lines, no stack-trace noise', () => {
    try {
      parseConfig(mutated([{ delete: 'cluster' }]));
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toBe('cluster: is required (a mapping)');
    }
  });
});
