// The typed shape of an Authentik blueprint (blueprints.goauthentik.io, version 1).
import type { Tag } from './blueprint-tags';

export type BlueprintValue = string | number | boolean | null | Tag | BlueprintValue[] | { [k: string]: BlueprintValue };
export type Attrs = { [field: string]: BlueprintValue };

export interface BlueprintEntry {
  model: string;
  /** Local id for `!KeyOf` references within the same file. */
  id?: string;
  state?: 'present' | 'created' | 'must_created' | 'absent';
  /** The entry is skipped unless every value resolves truthy (a `!Find` that finds nothing is null). */
  conditions?: BlueprintValue[];
  identifiers: Attrs;
  attrs?: Attrs;
}

export interface Blueprint {
  /** metadata.name; also what `authentik_blueprints.metaapplyblueprint` refers to. */
  name: string;
  /** ConfigMap that carries it, and its data key (must end in .yaml: docs/field-traps.md#blueprint-configmaps). */
  configMapName: string;
  fileName: string;
  /** Extra metadata labels; rotation markers live here (they change the file, nothing else). */
  labels?: Record<string, string>;
  entries: BlueprintEntry[];
}
