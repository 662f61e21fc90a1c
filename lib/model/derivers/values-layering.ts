// Values layering of the generated `authentik` and `argocd` Applications (docs/values-layering.md):
// the operator's own values files and the generated one, in the order Helm merges them.
import type { ClusterConfig } from '../../config/schema';

/** Helm merges value files in list order: a later file's key wins (maps merge, lists and scalars are replaced). */
export type ValuesOrder = 'operatorFirst' | 'generatedFirst';

export interface ValuesLayering {
  /** The Application's helm.valueFiles, `$values/<repository path>`, in Helm's merge order. */
  helmValueFiles: string[];
  /** The operator's files (repository paths), as configured. */
  operatorFiles: string[];
  order: ValuesOrder;
  /** The Application takes over a release that already runs. */
  existingRelease: boolean;
}

/** The `ref` the Applications' git source carries, so `$values/...` resolves in the repository. */
export const VALUES_REF = 'values';

type LayeringConfig = Pick<ClusterConfig['argocd'], 'valueFiles' | 'valuesOrder' | 'existingRelease'>;

/** `generatedFile` is the generated values file's repository path (inside git.path). */
export function deriveValuesLayering(c: LayeringConfig, generatedFile: string): ValuesLayering {
  const operatorFiles = c.valueFiles ?? [];
  const order = c.valuesOrder ?? 'operatorFirst';
  const files = order === 'operatorFirst' ? [...operatorFiles, generatedFile] : [generatedFile, ...operatorFiles];
  return { helmValueFiles: files.map((f) => `$${VALUES_REF}/${f}`), operatorFiles, order, existingRelease: c.existingRelease };
}
