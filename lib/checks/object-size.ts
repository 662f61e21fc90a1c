// Kubernetes refuses a ConfigMap whose data exceeds 1 MiB, and etcd any object much larger: an
// oversized blueprint ConfigMap would sync-fail in ArgoCD while synth said all was well. Every
// object ArgoCD applies (dist/apps, dist/authentik-extras, dist/edge) must fit with room for the metadata
// the cluster adds (ArgoCD's tracking annotation, server-side apply's managedFields).
import type { SynthResult } from '../output/render';
import { OUTPUT } from '../base/paths';
import { k8sObjects } from './rendered';

/** The API server's limit on a ConfigMap's data, and the bound used for every object here. */
export const MAX_OBJECT_BYTES = 1024 * 1024;
/** Room left for what the cluster adds to the stored object. */
export const METADATA_MARGIN_BYTES = 32 * 1024;

/** Size of an object as the API server receives it (JSON). */
export const objectBytes = (obj: unknown): number => Buffer.byteLength(JSON.stringify(obj));

export function checkObjectSizes(r: SynthResult): string[] {
  const limit = MAX_OBJECT_BYTES - METADATA_MARGIN_BYTES;
  const synced = [`${OUTPUT.appsDir}/`, `${OUTPUT.extrasDir}/`, `${OUTPUT.edgeDir}/`];
  return k8sObjects(r)
    .filter(({ file }) => synced.some((d) => file.startsWith(d)))
    .map(({ file, obj }) => ({ file, obj, bytes: objectBytes(obj) }))
    .filter(({ bytes }) => bytes > limit)
    .map(
      ({ file, obj, bytes }) =>
        `${file}: ${obj.kind} "${obj.metadata?.name}" is ${bytes} bytes; the API server accepts at most ${MAX_OBJECT_BYTES} (1 MiB), and ${METADATA_MARGIN_BYTES} are kept for metadata the cluster adds, so the limit is ${limit}`,
    );
}
