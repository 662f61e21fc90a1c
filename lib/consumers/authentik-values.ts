// dist/values/authentik.yaml: the Authentik chart's values, read by the `authentik`
// Application through its `$values` ref.
import type { AuthModel } from '../model/derive';
import type { BlueprintRef } from '../model/derive';
import { AUTHENTIK_ENV } from '../model/upstream';

const secretEnv = (name: string, secret: string, key: string) => ({
  name,
  valueFrom: { secretKeyRef: { name: secret, key } },
});

/** global.env reaches server and worker alike (docs/field-traps.md#authentik-host). */
export function authentikEnv(m: AuthModel) {
  const s = m.authentik.secret;
  return [
    { name: AUTHENTIK_ENV.host, value: m.authentik.url },
    secretEnv(AUTHENTIK_ENV.secretKey, s.name, s.secretKey),
    secretEnv(AUTHENTIK_ENV.bootstrapPassword, s.name, s.bootstrapPassword),
    secretEnv(AUTHENTIK_ENV.postgresqlPassword, s.name, s.postgresqlPassword),
    // Blueprint `!Env` inputs: each client secret and agent app password, never a literal.
    ...m.oidcApps.map((a) => secretEnv(a.clientSecret.envVar, s.name, a.clientSecret.authentikKey)),
    ...m.agents.map((a) => secretEnv(a.tokenSecret.envVar, s.name, a.tokenSecret.authentikKey)),
  ];
}

export function authentikValues(m: AuthModel, blueprints: ReadonlyArray<BlueprintRef>) {
  const s = m.authentik.secret;
  return {
    global: { env: authentikEnv(m) },
    authentik: {
      // Secrets come from global.env; these stay empty so nothing is inlined.
      secret_key: '',
      bootstrap_password: '',
      postgresql: { password: '' },
    },
    // Mounted only into the worker; a ConfigMap missing here is never applied (docs/field-traps.md#blueprint-configmaps).
    blueprints: { configMaps: blueprints.map((b) => b.configMapName) },
    server: { service: { type: 'ClusterIP' } },
    postgresql: {
      enabled: true,
      auth: {
        existingSecret: s.name,
        secretKeys: { adminPasswordKey: s.postgresqlPassword, userPasswordKey: s.postgresqlPassword },
      },
    },
  };
}
