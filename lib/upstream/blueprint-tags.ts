// Authentik's blueprint tags as real YAML tags: typed values in TypeScript, rendered and parsed
// by one js-yaml schema, so `!Find [...]` can never be a mistyped string (docs/field-traps.md#blueprint-references).
import yaml from 'js-yaml';

/** `!KeyOf id`: the primary key of an entry with that `id` earlier in the same file. */
export class KeyOf {
  constructor(readonly id: string) {}
}

/** `!Find [model, [field, value], ...]`: the primary key of an existing object. */
export class Find {
  readonly query: ReadonlyArray<readonly [string, string]>;
  constructor(
    readonly model: string,
    ...query: Array<readonly [string, string]>
  ) {
    this.query = query;
  }
}

/** `!Env NAME` or `!Env [NAME, default]`: a value read from the worker's environment. */
export class Env {
  constructor(
    readonly name: string,
    readonly fallback?: string,
  ) {}
}

/** The `!Condition` modes we emit: AND (every value truthy), NAND (not every one), NOR (none). */
export const CONDITION_MODES = ['AND', 'NAND', 'NOR'] as const;
export type ConditionMode = (typeof CONDITION_MODES)[number];

/**
 * `!Condition [MODE, value, ...]`: the values combined by MODE (a `!Find` that finds nothing is
 * null, i.e. false). What `conditions:` should hold: the blueprint schema types each condition as a boolean.
 */
export class Condition {
  readonly args: ReadonlyArray<Find>;
  constructor(
    readonly mode: ConditionMode,
    ...args: Find[]
  ) {
    this.args = args;
  }
}

/**
 * Any other tag Authentik defines (`!Format`, `!Context`, `!If`, ...), or one of the typed tags above
 * in a form this tool does not model (`!Condition [OR, ...]`): kept as read, never evaluated. Read
 * back, such a value is opaque, never mistaken for a plain string or dropped.
 */
export class OpaqueTag {
  constructor(
    readonly tag: string,
    readonly value: unknown,
  ) {}
}

export type Tag = KeyOf | Find | Env | Condition | OpaqueTag;
export const isTag = (v: unknown): v is Tag =>
  v instanceof KeyOf || v instanceof Find || v instanceof Env || v instanceof Condition || v instanceof OpaqueTag;

const keyOf = new yaml.Type('!KeyOf', {
  kind: 'scalar',
  resolve: (d: unknown) => typeof d === 'string' && d.length > 0,
  construct: (d: string) => new KeyOf(d),
  instanceOf: KeyOf,
  represent: (v: object) => (v as KeyOf).id,
});

const find = new yaml.Type('!Find', {
  kind: 'sequence',
  resolve: (d: unknown) => Array.isArray(d),
  construct: (d: unknown[]) =>
    typeof d[0] === 'string' && d.slice(1).every((q) => Array.isArray(q) && q.length === 2)
      ? new Find(d[0], ...(d.slice(1) as Array<[string, string]>))
      : new OpaqueTag('!Find', d),
  instanceOf: Find,
  represent: (v: object) => [(v as Find).model, ...(v as Find).query.map((q) => [...q])],
});

const envScalar = new yaml.Type('!Env', {
  kind: 'scalar',
  resolve: (d: unknown) => typeof d === 'string' && d.length > 0,
  construct: (d: string) => new Env(d),
  instanceOf: Env,
  predicate: (v: object) => (v as Env).fallback === undefined,
  represent: (v: object) => (v as Env).name,
});

const envSequence = new yaml.Type('!Env', {
  kind: 'sequence',
  resolve: (d: unknown) => Array.isArray(d) && d.length === 2 && typeof d[0] === 'string',
  construct: (d: [string, string]) => new Env(d[0], d[1]),
  instanceOf: Env,
  predicate: (v: object) => (v as Env).fallback !== undefined,
  represent: (v: object) => [(v as Env).name, (v as Env).fallback],
});

// Its arguments are tags too: represented as the objects themselves, which the schema dumps with
// their own tags (js-yaml represents nested typed values by their instanceOf).
const condition = new yaml.Type('!Condition', {
  kind: 'sequence',
  resolve: (d: unknown) => Array.isArray(d),
  construct: (d: unknown[]) =>
    (CONDITION_MODES as ReadonlyArray<unknown>).includes(d[0]) && d.slice(1).every((a) => a instanceof Find)
      ? new Condition(d[0] as ConditionMode, ...(d.slice(1) as Find[]))
      : new OpaqueTag('!Condition', d),
  instanceOf: Condition,
  represent: (v: object) => [(v as Condition).mode, ...(v as Condition).args],
});

/**
 * The tags of Authentik's BlueprintLoader the tool reads but does not model, with the YAML node
 * kinds each constructor takes (authentik/blueprints/v1/common.py, the same 14 tags in 2026.2, 2026.5
 * and 2026.8; test/safety/baseline.test.ts). A tag or node kind missing here fails to parse: a
 * baseline the tool cannot read completely is an error, never a silently smaller one.
 */
export const OPAQUE_TAGS: ReadonlyArray<readonly [string, ReadonlyArray<'scalar' | 'sequence'>]> = [
  ['!FindObject', ['sequence']],
  ['!Context', ['scalar', 'sequence']],
  ['!Format', ['sequence']],
  ['!If', ['sequence']],
  ['!File', ['scalar', 'sequence']],
  ['!Enumerate', ['sequence']],
  ['!Value', ['scalar']],
  ['!Index', ['scalar']],
  ['!AtIndex', ['sequence']],
  ['!ParseJSON', ['scalar']],
];

const opaque = OPAQUE_TAGS.flatMap(([tag, kinds]) =>
  kinds.map((kind) => new yaml.Type(tag, { kind, construct: (d: unknown) => new OpaqueTag(tag, d) })),
);

/** The js-yaml schema for blueprint documents: dump and load with it, never without. */
export const BLUEPRINT_SCHEMA = yaml.DEFAULT_SCHEMA.extend([keyOf, find, envScalar, envSequence, condition, ...opaque]);
