// What the live Authentik must show for an output: read from the output the pipeline renders in
// memory (never from dist/ on disk), so verify compares the cluster with what git says.
import { blueprintHash, instancePath, type ExpectedInstance } from '../blueprints/instances';
import type { SynthResult } from '../output/render';
import { blueprintsInTree } from '../previous/blueprints';
import { expectedObjects, type ExpectedObject } from './objects';
import { expectedOutpostProviders } from './outpost';
import type { ProbeHost } from './probe';

/** A BlueprintInstance verify expects (lib/blueprints/instances.ts). */
export type ExpectedBlueprint = ExpectedInstance;

export interface ExpectedIssuer {
  /** Who trusts it: `oidc <slug>`, `kubectl <slug>`, `agent <slug>`. */
  who: string;
  issuer: string;
}

export interface Expected {
  minor: string;
  /** The URL Authentik is given to clients (--from-json's default --url). */
  url: string;
  blueprints: ExpectedBlueprint[];
  issuers: ExpectedIssuer[];
  /** Providers and applications to find (or, tombstones, not to find) by their identifiers. */
  objects: ExpectedObject[];
  /** Each forward-auth host (--probe-hosts). */
  probeHosts: ProbeHost[];
  /** Every URL Authentik answers on: where a probed host's redirect must lead. */
  authentikUrls: string[];
  /** The proxy provider names the embedded outpost lists; undefined when the config leaves the list alone. */
  outpostProviders?: string[];
}

/** Everything verify expects of the output synth renders for this config (the ConfigMaps' stored bytes). */
export function expectedOf(result: SynthResult): Expected {
  const m = result.model;
  const stored = blueprintsInTree(new Map(result.files.map((f) => [f.path, f.text])));
  const issuers: ExpectedIssuer[] = [
    ...m.oidcApps.map((a) => ({ who: `oidc ${a.slug}`, issuer: a.issuer })),
    ...m.kubectlApps.map((a) => ({ who: `kubectl ${a.slug}`, issuer: a.issuer })),
    ...m.agents.map((a) => ({ who: `agent ${a.slug}`, issuer: a.issuer })),
  ];
  return {
    minor: m.authentik.minor,
    url: m.authentik.url,
    blueprints: stored.map((bp) => ({
      path: instancePath(bp.configMap, bp.key),
      name: bp.name,
      hash: blueprintHash(bp.text),
    })),
    issuers,
    objects: expectedObjects(stored),
    probeHosts: m.proxyApps.map((a) => ({ who: `forward-auth ${a.slug}`, url: a.externalHost })),
    authentikUrls: [...m.authentik.servedUrls],
    outpostProviders: expectedOutpostProviders(stored),
  };
}
