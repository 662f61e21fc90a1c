// dist/values/authentik.yaml: the Authentik chart's values, read by the `authentik`
// Application through its `$values` ref.
import { managedSecretApps, type AuthModel } from '../model/derive';
import type { BlueprintRef } from '../model/derive';
import { AUTHENTIK_ENV } from '../upstream/conventions';
import { generationsOf, placeOf } from '../model/derivers/secrets';

const secretRef = (name: string, secret: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});
export type AuthentikEnvVar = { name: string; value: string } | ReturnType<typeof secretRef>;

/** The env var of a value sops mode keeps at secret/key: in external-secrets mode, its generation's Secret. */
const secretEnvOf = (m: AuthModel) => (name: string, secret: string, key: string) => {
  const at = placeOf(m.secrets, { secret, key });
  return secretRef(name, at.secret, at.key);
};

/** global.env reaches server and worker alike: only what both need to run (docs/field-traps.md#authentik-host). */
export function authentikGlobalEnv(m: AuthModel): AuthentikEnvVar[] {
  const s = m.authentik.secret;
  const pg = m.authentik.postgresqlSecret;
  const secretEnv = secretEnvOf(m);
  return [
    { name: AUTHENTIK_ENV.host, value: m.authentik.url },
    secretEnv(AUTHENTIK_ENV.secretKey, s.name, s.secretKey),
    secretEnv(AUTHENTIK_ENV.postgresqlPassword, pg.name, pg.key),
  ];
}

/**
 * worker.env: the inputs of blueprints, which only the worker applies (the system bootstrap
 * blueprint reads the bootstrap password; ours read each client secret and agent app password
 * through `!Env`). The server never sees them.
 */
export function authentikWorkerEnv(m: AuthModel): AuthentikEnvVar[] {
  const s = m.authentik.secret;
  const secretEnv = secretEnvOf(m);
  return [
    secretEnv(AUTHENTIK_ENV.bootstrapPassword, s.name, s.bootstrapPassword),
    // secretMode existingSecret: Authentik keeps the secret it generated, so the worker reads none.
    ...managedSecretApps(m).map((a) => secretEnv(a.clientSecret.envVar, s.name, a.clientSecret.authentikKey)),
    ...m.agents.map((a) => secretEnv(a.tokenSecret.envVar, s.name, a.tokenSecret.authentikKey)),
  ];
}

/** Every env var with the pods that get it (what SECRETS.md lists). */
export function authentikEnv(m: AuthModel): Array<{ pods: 'server and worker' | 'worker'; env: AuthentikEnvVar }> {
  return [
    ...authentikGlobalEnv(m).map((env) => ({ pods: 'server and worker' as const, env })),
    ...authentikWorkerEnv(m).map((env) => ({ pods: 'worker' as const, env })),
  ];
}

/**
 * Only the keys the auth layer owns: it is layered over the operator's own values files
 * (docs/values-layering.md). Replicas, placement, persistence, resources and ingress stay theirs. The lists
 * here (global.env, worker.env, blueprints.configMaps) are replaced whole by Helm, not merged.
 */
export function authentikValues(m: AuthModel, blueprints: ReadonlyArray<BlueprintRef>) {
  const pg = m.authentik.postgresqlSecret;
  return {
    global: { env: authentikGlobalEnv(m) },
    authentik: {
      // Secrets come from env; these stay empty so nothing is inlined.
      secret_key: '',
      bootstrap_password: '',
      postgresql: { password: '' },
    },
    // Mounted only into the worker; a ConfigMap missing here is never applied (docs/field-traps.md#blueprint-configmaps).
    blueprints: { configMaps: blueprints.map((b) => b.configMapName) },
    // The LoadBalancer is authentik-extras' own Service with the LB-IPAM IP; a chart Service of type
    // LoadBalancer asking for the same IP would conflict with it.
    server: { service: { type: 'ClusterIP' } },
    worker: { env: authentikWorkerEnv(m), ...workerRestart(m) },
    postgresql: {
      // A new release gets the bundled PostgreSQL; a running one keeps the database its values chose.
      ...(m.authentik.values.existingRelease ? {} : { enabled: true }),
      auth: {
        // Mounted whole into the PostgreSQL pod, so this Secret holds nothing but its password.
        existingSecret: pg.name,
        secretKeys: { adminPasswordKey: pg.key, userPasswordKey: pg.key },
      },
    },
  };
}

/**
 * external-secrets mode: the worker's pod template names the generation of every value it reads
 * through `!Env`, so a rotation restarts it (the env is read at start) and nothing else does.
 */
function workerRestart(m: AuthModel) {
  if (m.secrets.mode === 'sops') return {};
  return { podAnnotations: { [m.secrets.restartAnnotation]: generationsOf(m.secrets.values) } };
}
