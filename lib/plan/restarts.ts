// The pods a change restarts for a rotation (secrets.mode external-secrets, docs/secrets.md): each
// generated values file names, in a pod-template annotation, the generations its pods read; a
// changed annotation rolls that Deployment. Read from the two trees, like the rest of the plan.
import type { Tree } from '../readback/tree';
import { loadYaml } from '../readback/yaml';
import { isRecord } from '../base/records';
import { OUTPUT } from '../base/paths';
import { RESTART_ANNOTATION } from '../model/derivers/secrets';

/** Which pods each values file's annotation restarts, and why they must. */
const PODS: ReadonlyArray<{ file: string; pods: string }> = [
  { file: OUTPUT.authentikValues, pods: 'Authentik worker pods (read client secrets and app passwords through !Env at start)' },
  { file: OUTPUT.grafanaValues, pods: 'Grafana pods (read the client secret from their env at start)' },
  { file: OUTPUT.argocdValues, pods: 'argocd-server pods (rolled so the new client secret is read for certain)' },
];

/** Every value of the annotation in a parsed values file, wherever the chart nests it. */
function annotationOf(v: unknown): string | undefined {
  if (!isRecord(v)) return undefined;
  const own = v.podAnnotations;
  if (isRecord(own) && typeof own[RESTART_ANNOTATION] === 'string') return own[RESTART_ANNOTATION];
  for (const child of Object.values(v)) {
    const found = annotationOf(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

const read = (tree: Tree, file: string): string | undefined => {
  const text = tree.get(file);
  if (text === undefined) return undefined;
  try {
    return annotationOf(loadYaml(text));
  } catch {
    return undefined; // the drift check reports a broken file
  }
};

/** A consumer copy (an ExternalSecret of dist/secrets/ outside the Authentik namespace) that changes. */
function changedCopies(before: Tree, after: Tree): string[] {
  const copy = /^secrets\/externalsecret-([^.]+)\.(.+)\.yaml$/;
  return [...after.keys()]
    .filter((f) => copy.test(f) && before.has(f) && before.get(f) !== after.get(f))
    .map((f) => copy.exec(f)!)
    .filter(([f]) => !/-g\d+\.yaml$/.test(f) && !(after.get(f) ?? '').includes('refreshPolicy: CreatedOnce'))
    .map(
      ([, ns, name]) =>
        `Secret ${ns}/${name} gets the new value: any other pod reading it at start keeps the old one until restarted (docs/secrets.md#rotation)`,
    );
}

/** "Authentik worker pods (...): grafana:0 -> grafana:1", then each consumer copy that changes. */
export function podRestarts(before: Tree, after: Tree): string[] {
  return [
    ...PODS.flatMap(({ file, pods }) => {
      const was = read(before, file);
      const now = read(after, file);
      return now !== undefined && was !== now ? [`${pods}: ${was ?? '(none)'} -> ${now}`] : [];
    }),
    ...changedCopies(before, after),
  ];
}
