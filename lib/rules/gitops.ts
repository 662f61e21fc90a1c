// Engine rules (docs/flux.md): a field only one engine reads is refused under the other, so a
// config never says something the output silently ignores. Rules are read off the config as
// written (`input`), since defaults fill some of these fields in.
import type { ClusterConfig } from '../config/schema';
import { generatedValuesName } from '../model/derivers/gitops';

type Engine = ClusterConfig['gitops']['engine'];

/** Fields only one engine reads: [config path, the engine that reads it, why]. */
const ENGINE_ONLY: ReadonlyArray<readonly [path: readonly string[], engine: Engine, why: string]> = [
  [['gitops', 'flux'], 'flux', 'it configures the Flux objects'],
  [
    ['argocd', 'existingRelease'],
    'argocd',
    'it layers the argocd Application through which ArgoCD manages itself, which Flux does not have',
  ],
  [['argocd', 'valueFiles'], 'argocd', 'it layers the argocd Application through which ArgoCD manages itself, which Flux does not have'],
  [['argocd', 'valuesOrder'], 'argocd', 'it layers the argocd Application through which ArgoCD manages itself, which Flux does not have'],
  [['argocd', 'noValueFiles'], 'argocd', 'it layers the argocd Application through which ArgoCD manages itself, which Flux does not have'],
  [
    ['authentik', 'valueFiles'],
    'argocd',
    'ArgoCD layers git files ($values/...); with Flux list ConfigMaps or Secrets in gitops.flux.valuesFrom',
  ],
  [
    ['verify', 'postSyncHook'],
    'argocd',
    'a PostSync hook is an ArgoCD mechanism; with Flux run npm run verify after each reconcile (docs/verify.md)',
  ],
  [
    ['authentik', 'noValueFiles'],
    'argocd',
    'with Flux an empty gitops.flux.valuesFrom: [] says the running release has no values of its own',
  ],
];

function has(input: unknown, path: readonly string[]): boolean {
  let v: unknown = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return false;
    v = (v as Record<string, unknown>)[p];
  }
  return true;
}

/** Fields the configured engine does not read, and the Flux values sources that cannot resolve. */
export function gitopsProblems(input: unknown, c: ClusterConfig): string[] {
  const engine = c.gitops.engine;
  const out = ENGINE_ONLY.filter(([path, only]) => only !== engine && has(input, path)).map(
    ([path, only]) => `${path.join('.')}: is read only with gitops.engine ${only} (${engine} here): ${why(path)}; remove it`,
  );
  if (c.gitops.handoverTo === engine)
    out.push(
      `gitops.handoverTo: ${engine} is the engine in use; it names the engine the output is being handed to (docs/flux.md#switching-engines)`,
    );
  return engine === 'flux' ? [...out, ...fluxValuesProblems(input, c)] : out;
}

const why = (path: readonly string[]) => ENGINE_ONLY.find(([p]) => p === path)![2];

function fluxValuesProblems(input: unknown, c: ClusterConfig): string[] {
  const sources = c.gitops.flux?.valuesFrom;
  const out: string[] = [];
  const generated = generatedValuesName(c.authentik.chart.releaseName);
  const seen = new Set<string>();
  sources?.forEach((s, i) => {
    const key = `${s.kind}/${s.name}/${s.valuesKey}`;
    if (s.kind === 'ConfigMap' && s.name === generated) {
      out.push(
        `gitops.flux.valuesFrom[${i}]: ConfigMap "${s.name}" is the one the output generates, not a source of the operator's values; name your own ConfigMap or Secret`,
      );
    } else if (seen.has(key)) out.push(`gitops.flux.valuesFrom[${i}]: duplicate values source ${s.kind} "${s.name}" key "${s.valuesKey}"`);
    seen.add(key);
  });
  if (c.authentik.existingRelease && sources === undefined) {
    out.push(
      'gitops.flux.valuesFrom: authentik.existingRelease says an Authentik release already runs, but none of its values sources are named: the first reconcile would render the chart from the generated values alone and revert the rest to chart defaults; list its ConfigMaps/Secrets, or say valuesFrom: [] if it really runs on chart defaults',
    );
  }
  if (has(input, ['authentik', 'valuesOrder']) && !sources?.length) {
    out.push('authentik.valuesOrder: orders gitops.flux.valuesFrom against the generated values, but no valuesFrom is listed; remove it');
  }
  return out;
}
