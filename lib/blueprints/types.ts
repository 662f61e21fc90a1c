// The typed shape of an Authentik blueprint (blueprints.goauthentik.io, version 1).
import type { Tag } from './tags';

export type BlueprintValue = string | number | boolean | null | Tag | BlueprintValue[] | { [k: string]: BlueprintValue };
export type Attrs = { [field: string]: BlueprintValue };

export interface BlueprintEntry {
  model: string;
  /** Local id for `!KeyOf` references within the same file. */
  id?: string;
  state?: 'present' | 'created' | 'must_created' | 'absent';
  identifiers: Attrs;
  attrs?: Attrs;
}

export interface Blueprint {
  /** metadata.name; also what `authentik_blueprints.metaapplyblueprint` refers to. */
  name: string;
  /** ConfigMap that carries it, and its data key (must end in .yaml: docs/field-traps.md#blueprint-configmaps). */
  configMapName: string;
  fileName: string;
  entries: BlueprintEntry[];
}
