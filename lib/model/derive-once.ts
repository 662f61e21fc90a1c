// The model derived once per config and passed on: parseConfig (lib/rules/validate.ts) derives it
// to check the derived names, and the UnifiedAuth construct renders the same config, so it takes
// that model instead of deriving it again. Never a stale one: a config edited after it was derived
// (the object is the caller's) no longer matches the text it was derived from, and is derived anew.
import type { ClusterConfig } from '../config/schema';
import { derive } from './derive';
import type { AuthModel } from './types';

interface Derived {
  readonly model: AuthModel;
  /** The config as it was when derived: any edit since changes it (undefined keys included). */
  readonly text: string;
}

// Keyed by the config object the caller holds: it goes when that config goes.
const derivedOf = new WeakMap<ClusterConfig, Derived>();

// A key set to undefined is an edit too (JSON.stringify alone drops it): it is written as a lone
// NUL, and a string that starts with a NUL gets one more, so no value reads as another.
const UNDEFINED = '\0';
const marked = (_key: string, v: unknown) =>
  v === undefined ? UNDEFINED : typeof v === 'string' && v.startsWith(UNDEFINED) ? UNDEFINED + v : v;
const textOf = (config: ClusterConfig) => JSON.stringify(config, marked);

/** The model derived from this config object, when the config is unchanged since; else undefined. */
export function derivedModel(config: ClusterConfig, text = textOf(config)): AuthModel | undefined {
  const known = derivedOf.get(config);
  return known && known.text === text ? known.model : undefined;
}

/** derive(config), or the model derived from this same config object when it is unchanged since. */
export function deriveOnce(config: ClusterConfig): AuthModel {
  const text = textOf(config);
  const known = derivedModel(config, text);
  if (known) return known;
  const model = derive(config);
  derivedOf.set(config, { model, text });
  return model;
}
