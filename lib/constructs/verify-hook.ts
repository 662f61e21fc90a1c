// The opt-in in-cluster check (docs/verify.md#the-in-cluster-hook): an ArgoCD PostSync hook Job
// that runs lib/verify/python/blueprint_status.py in the Authentik server image after each sync and
// fails the sync when a blueprint the output carries is not applied, successfully, at its hash. The
// script and the expected instances travel in a ConfigMap; the token comes from a Secret the
// operator creates (never a value in the output).
import fs from 'node:fs';
import path from 'node:path';
import { Construct } from 'constructs';
import { KubeConfigMap, KubeJob, Quantity, type PodSpec } from '../../imports/k8s';
import { UserError } from '../base/errors';
import type { ExpectedInstance } from '../blueprints/instances';
import { PART_OF_LABEL } from '../model/identity';

/** The check, from the repository (lib/constructs/ in source, build/ when bundled: the first ancestor holding it). */
export const VERIFY_SCRIPT = 'lib/verify/python/blueprint_status.py';

export function verifyScript(): string {
  const file = [1, 2, 3].map((up) => path.resolve(__dirname, ...Array<string>(up).fill('..'), VERIFY_SCRIPT)).find((f) => fs.existsSync(f));
  if (file === undefined)
    throw new UserError(`verify.postSyncHook: ${VERIFY_SCRIPT} is not in this installation; run synth from the unified-auth repository`);
  return fs.readFileSync(file, 'utf8');
}

export interface VerifyHookProps {
  /** The Job's and the ConfigMap's name. */
  readonly name: string;
  /** Authentik's namespace. */
  readonly namespace: string;
  /** An image with python3 on PATH: the Authentik server image the chart already pulls. */
  readonly image: string;
  /** Authentik's server Service, e.g. `http://authentik-server.authentik.svc.cluster.local:80`. */
  readonly url: string;
  /** The operator's Secret holding an API token. */
  readonly tokenSecret: { readonly name: string; readonly key: string };
  /** The instances the synced blueprints must become. */
  readonly expected: ReadonlyArray<ExpectedInstance>;
  /** How long the check waits for the worker to apply them, in seconds. */
  readonly waitSeconds: number;
  /**
   * The check's text.
   * @default the repository's lib/verify/python/blueprint_status.py
   */
  readonly script?: string;
}

const MOUNT = '/verify';

/** ArgoCD hook annotations: run after every sync; delete the old Job only when the next one starts, so a failed pod stays readable. */
export const HOOK_ANNOTATIONS = {
  'argocd.argoproj.io/hook': 'PostSync',
  'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
} as const;

export class VerifyHook extends Construct {
  readonly configMap: KubeConfigMap;
  readonly job: KubeJob;

  constructor(scope: Construct, id: string, props: VerifyHookProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': 'verify', ...PART_OF_LABEL };
    const metadata = { name: props.name, namespace: props.namespace, labels };
    this.configMap = new KubeConfigMap(this, 'ConfigMap', {
      metadata,
      data: { 'blueprint_status.py': props.script ?? verifyScript(), 'blueprints.json': `${JSON.stringify(props.expected, null, 2)}\n` },
    });
    this.job = new KubeJob(this, 'Job', {
      metadata: { ...metadata, annotations: { ...HOOK_ANNOTATIONS } },
      spec: {
        backoffLimit: 0,
        // The wait, then time to read Authentik once more and print.
        activeDeadlineSeconds: props.waitSeconds + 120,
        template: { metadata: { labels }, spec: podSpec(props) },
      },
    });
  }
}

function podSpec(props: VerifyHookProps): PodSpec {
  const args = ['--url', props.url, '--expected', `${MOUNT}/blueprints.json`, '--wait', String(props.waitSeconds)];
  return {
    restartPolicy: 'Never',
    automountServiceAccountToken: false,
    // The image runs as 1000 (its Dockerfile's USER); nothing is written.
    securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'verify',
        image: props.image,
        // The image's entrypoint is `ak`: run the standard-library script with the image's python3 instead.
        command: ['python3', `${MOUNT}/blueprint_status.py`, ...args],
        env: [
          { name: 'AUTHENTIK_TOKEN', valueFrom: { secretKeyRef: { name: props.tokenSecret.name, key: props.tokenSecret.key } } },
          { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
        ],
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        resources: {
          requests: { cpu: Quantity.fromString('10m'), memory: Quantity.fromString('64Mi') },
          limits: { memory: Quantity.fromString('128Mi') },
        },
        volumeMounts: [{ name: 'verify', mountPath: MOUNT, readOnly: true }],
      },
    ],
    volumes: [{ name: 'verify', configMap: { name: props.name } }],
  };
}
