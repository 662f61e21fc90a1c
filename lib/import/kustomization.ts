// A kustomize `kustomization.yaml` of an imported layer, read as kustomize reads it
// (sigs.k8s.io/kustomize api/types/kustomization.go): `kind` and `apiVersion` are optional and
// default to Kustomization and kustomize.config.k8s.io/v1beta1 (FixKustomization), a file that sets
// them must say Kustomization or Component with its own apiVersion (EnforceFields), and a field
// kustomize does not know is an error (Unmarshal decodes with DisallowUnknownFields). So a values
// file or anything else that merely carries the name is still refused.
export const KUSTOMIZATION_FILE = /(^|\/)kustomization\.ya?ml$/;

/** kind -> the apiVersion kustomize requires of it (and puts in when the file gives none). */
const KINDS: Readonly<Record<string, string>> = {
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
  Component: 'kustomize.config.k8s.io/v1alpha1',
};

/** The JSON field names of kustomize's Kustomization type: any other top-level key is refused. */
const FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'openapi',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patchesStrategicMerge',
  'patchesJson6902',
  'patches',
  'images',
  'imageTags',
  'replacements',
  'replicas',
  'vars',
  'sortOptions',
  'resources',
  'components',
  'crds',
  'bases',
  'configMapGenerator',
  'secretGenerator',
  'helmGlobals',
  'helmCharts',
  'helmChartInflationGenerator',
  'generatorOptions',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'buildMetadata',
]);

/**
 * A document of a kustomization file: undefined when it does not claim to be a kustomization (a
 * kind of its own: the caller reads it as any other document), the document with kustomize's
 * defaults filled in, or why kustomize would refuse it.
 */
export function readKustomization(doc: Record<string, unknown>): { doc: Record<string, unknown> } | { refuse: string } | undefined {
  const kind = doc.kind ?? 'Kustomization';
  if (typeof kind !== 'string' || !Object.hasOwn(KINDS, kind)) return undefined;
  // Another group's object that happens to carry the name (a Flux Kustomization) is read as an object.
  if (typeof doc.apiVersion === 'string' && !doc.apiVersion.startsWith('kustomize.config.k8s.io/')) return undefined;
  const apiVersion = doc.apiVersion ?? KINDS[kind];
  if (apiVersion !== KINDS[kind])
    return { refuse: `apiVersion for ${kind} should be ${KINDS[kind]} (kustomize refuses ${JSON.stringify(apiVersion)})` };
  const unknown = Object.keys(doc).filter((k) => !FIELDS.has(k));
  if (unknown.length)
    return { refuse: `${unknown.map((k) => `"${k}"`).join(', ')}: not a field of a kustomization (kustomize refuses unknown fields)` };
  return { doc: { ...doc, apiVersion, kind } };
}
