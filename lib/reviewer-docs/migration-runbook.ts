// The runbook of the current migration phase (entries of dist/docs/manual-operations.yaml): what
// to apply outside ArgoCD, in which order, and how to verify each step before the next phase.
// docs/changing-domains.md.
import type { AuthModel } from '../model/derive';
import type { ManualOperation } from './manual-operations';
import { controlPlaneRollout } from './control-plane-rollout';
import { agentContext } from '../consumers/kubeconfig';
import { OUTPUT, repoPath } from '../base/paths';
import { authentikIssuer } from '../upstream/conventions';
import { MIGRATION_PHASES } from '../config/schema';
import { PHASES, hostOf, oldHostSlug, type MigrationModel } from '../model/migration';
import type { Blueprint } from '../upstream/blueprint-types';
import { MODEL } from '../upstream/authentik-models';
import { blueprintMountPath } from '../blueprints/build';

export function migrationOperations(
  m: AuthModel,
  mig: MigrationModel | undefined,
  layer: string,
  blueprints: ReadonlyArray<Blueprint> = [],
): ManualOperation[] {
  if (!mig) return [];
  const dist = (p: string) => repoPath(m.git.path, p);
  const phase = mig.phase;
  const next = MIGRATION_PHASES[PHASES[phase].order];
  const op = (n: number, id: string, o: Omit<ManualOperation, 'id' | 'layer' | 'status'>): ManualOperation => ({
    id: `migration-${phase}-${n}-${id}`,
    layer,
    ...o,
    status: 'pending',
  });
  const ops: ManualOperation[] = [];
  const ak = mig.authentik;
  const oldClient = (slug: string) => `<the previous kubeconfig of ${slug}>`;
  const agentWhoami = (kubeconfig: string, a: AuthModel['agents'][number]) =>
    `kubectl --kubeconfig ${kubeconfig} --context ${agentContext(m, a)} auth whoami  # ${a.kubernetesUsername}, groups include ${a.group}`;
  const peopleWhoami = (kubeconfig: string, k: AuthModel['kubectlApps'][number]) =>
    `kubectl --kubeconfig ${kubeconfig} --context ${k.context} auth whoami  # ${m.kubernetes.usernamePrefix}<your username> and your groups`;
  const newWhoami = [
    ...m.agents.map((a) => agentWhoami(`<kubeconfig of ${a.slug}, from ${dist(OUTPUT.kubeconfig)}>`, a)),
    ...m.kubectlApps.map((k) => peopleWhoami(`<your copy of ${dist(OUTPUT.peopleKubeconfig)}>`, k)),
  ];
  const oldWhoami = [
    ...m.agents.map((a) => agentWhoami(oldClient(a.slug), a)),
    ...m.kubectlApps.map((k) => peopleWhoami(oldClient(k.slug), k)),
  ];
  const clients = [...m.agents.map((a) => a.slug), ...m.kubectlApps.map((k) => k.slug)];
  const edgeApply = m.edge.inCluster
    ? `ArgoCD syncs the edge Application (${dist(OUTPUT.edgeDir)}): check it is Synced and Healthy`
    : `scp ${dist(OUTPUT.traefik)} <edge host>:<file-provider directory>/authentik.yaml`;
  const discovery = (url: string, slug: string) =>
    `curl -s ${authentikIssuer(url, slug)}.well-known/openid-configuration | jq -r .issuer  # ${authentikIssuer(url, slug)} (Authentik builds the issuer from the host it is asked on)`;
  const oidcSlugs = [...m.oidcApps.map((a) => a.slug), ...clients];
  const moved = mig.hosts;

  if (phase === 'overlap') {
    ops.push(
      op(1, 'routes', {
        app: 'edge',
        when: 'first, as soon as this output is committed',
        why_manual: `Both hosts must be routed before anything is pointed at the new one: ${[...(ak ? [`Authentik at ${hostOf(ak.to)}`] : []), ...moved.map((h) => h.to)].join(', ')} next to the old ${[...(ak ? [hostOf(ak.from)] : []), ...moved.map((h) => h.from)].join(', ')}.`,
        commands: [edgeApply],
        verify: [
          ...(ak ? [`curl -s -o /dev/null -w '%{http_code}\\n' ${ak.to}/-/health/live/  # 200: Authentik answers on the new host`] : []),
          ...(ak ? oidcSlugs.map((slug) => discovery(ak.to, slug)) : []),
          ...moved.map((h) =>
            m.edge.routes.some((r) => r.host === h.to)
              ? `curl -sI https://${h.to}/ | head -1  # the service answers on its new host (a redirect to Authentik for forward auth)`
              : `curl -sI https://${h.to}/ | head -1  # the service answers on its new host: this edge does not route it, so its own ingress must serve the new host too`,
          ),
        ],
      }),
    );
    if (ak && m.apiserverIssuers.length) {
      const r = controlPlaneRollout(m, [...oldWhoami, ...newWhoami]);
      ops.push(
        op(2, 'apiserver-both-issuers', {
          app: 'kube-apiserver',
          when: 'after step 1 verified',
          why_manual: `The apiserver must trust both issuers of every client (${clients.join(', ')}) before any kubeconfig names the new one: ${dist(OUTPUT.talosPatch)} now has one JWT authenticator per issuer. It is applied by hand, one control plane at a time.`,
          commands: r.commands,
          verify: r.verify,
        }),
      );
    }
    if (m.agents.length || m.kubectlApps.length) {
      ops.push(
        op(3, 'kubeconfigs', {
          app: 'agents and people',
          when: 'after step 2 verified; one client at a time',
          why_manual: `The kubeconfigs in ${dist('kubeconfig/')} name the new issuer; agents and people hold copies, handed over by hand. The old ones keep working until the done phase.`,
          commands: [
            ...m.agents.map(
              (a) => `re-run agent-credentials-${a.slug} with the new ${dist(OUTPUT.kubeconfig)} (the credential itself does not change)`,
            ),
            ...m.kubectlApps.map(
              (k) =>
                `people-kubeconfig-${k.slug}: every person copies the new ${dist(OUTPUT.peopleKubeconfig)} (kubelogin signs in once more)`,
            ),
          ],
          verify: newWhoami,
        }),
      );
    }
    ops.push(
      op(4, 'consumers-still-sign-in', {
        app: 'consumers',
        when: 'before setting the phase to cutover',
        why_manual:
          'Nothing the consumers use has moved yet; every provider lists the callbacks of both hosts, so each consumer keeps signing in while the next phase moves it.',
        commands: [`when every step above is verified: set migration.phase: ${next}, npm run plan, npm run synth, commit`],
        verify: [
          ...m.oidcApps.map((a) => `log in to ${a.url} through Authentik`),
          ...new Set(m.proxyApps.map((p) => `open ${p.launchUrl} and sign in through Authentik`)),
        ],
      }),
    );
  }

  if (phase === 'cutover') {
    // The blueprint that sets the embedded outpost's config (with the proxy providers, or its own file).
    const outpostFile = blueprints.find((b) => b.entries.some((e) => e.model === MODEL.outpost));
    const probe = m.proxyApps.find((p) => !p.slug.endsWith(oldHostSlug('')));
    ops.push(
      op(1, 'authentik-host', {
        app: 'authentik',
        when: 'as soon as this output is committed (ArgoCD syncs it)',
        why_manual: `AUTHENTIK_HOST (the authentik Application; the pods restart with it), the embedded outpost's authentik_host and authentik_host_browser and the launch URLs (authentik-extras blueprints) move to ${m.authentik.url}. The outpost keeps its own stored config: until the blueprint has set it, forward auth still redirects to the old host.`,
        commands: [
          'ArgoCD syncs the authentik and authentik-extras Applications: check both are Synced and Healthy',
          ...(outpostFile
            ? [
                `if the redirect below still names the old host: kubectl -n ${m.authentik.namespace} exec deploy/${m.authentik.releaseName}-worker -- ak apply_blueprint ${blueprintMountPath(outpostFile)}  # apply the outpost's config now`,
              ]
            : []),
        ],
        verify: [
          `kubectl -n ${m.authentik.namespace} get deploy -l app.kubernetes.io/name=authentik -o jsonpath='{..env[?(@.name=="AUTHENTIK_HOST")].value}'  # ${m.authentik.url}`,
          ...(probe
            ? [
                `curl -sI ${probe.externalHost}/ | grep -i '^location: ${m.authentik.url}/'  # forward auth sends the browser to the new host`,
              ]
            : []),
        ],
      }),
      op(2, 'consumers-on-new-host', {
        app: 'consumers',
        when: 'after step 1; one consumer at a time',
        why_manual:
          'ArgoCD and Grafana read their new issuer and URLs from the values files their Applications sync; a consumer configured in its own UI (Infisical) is changed by hand.',
        commands: [
          ...m.oidcApps
            .filter((a) => a.consumer === 'infisical' || a.consumer === 'generic')
            .map((a) => `${a.name}: set the discovery URL ${a.discoveryUrl} and the callback ${a.consumerCallback} where it is configured`),
          `Application ${m.grafana.application} and argocd: check they synced the new values`,
        ],
        verify: [
          ...m.oidcApps.map((a) => `log in to ${a.url} through Authentik: the browser goes to ${m.authentik.url} and comes back signed in`),
          ...new Set(m.proxyApps.map((p) => `open ${p.launchUrl} and sign in through Authentik`)),
          `when every consumer and every client (migration-overlap-3-kubeconfigs) is on the new host: set migration.phase: ${next}, npm run plan, npm run synth, commit`,
        ],
      }),
    );
  }

  if (phase === 'done') {
    ops.push(
      op(1, 'nothing-left-on-old', {
        app: 'agents and people',
        when: 'before this output is applied anywhere',
        why_manual: 'The old issuer, callbacks and routes go away in this phase: any client still on them stops working.',
        commands: ['check that every agent and person runs the kubeconfig of the overlap phase (migration-overlap-3-kubeconfigs)'],
        verify: newWhoami,
      }),
    );
    if (ak && m.apiserverIssuers.length) {
      const r = controlPlaneRollout(m, newWhoami);
      ops.push(
        op(2, 'apiserver-new-issuer-only', {
          app: 'kube-apiserver',
          when: 'after step 1',
          why_manual: `${dist(OUTPUT.talosPatch)} trusts only the new issuers now; applied by hand, one control plane at a time.`,
          commands: r.commands,
          verify: [
            ...r.verify,
            ...oldWhoami.map((w) => w.replace(/#.*$/, '# must now fail with 401 Unauthorized (the old issuer is no longer trusted)')),
          ],
        }),
      );
    }
    ops.push(
      op(3, 'old-routes', {
        app: 'edge',
        when: 'after step 2',
        why_manual: 'The old hosts are no longer routed.',
        commands: [edgeApply],
        verify: [...(ak ? [hostOf(ak.from)] : []), ...moved.map((h) => h.from)].map(
          (h) => `curl -s -o /dev/null -w '%{http_code}\\n' https://${h}/  # 404: nothing is routed on the retired host`,
        ),
      }),
    );
    const standIns = m.proxyApps.filter((p) => moved.some((h) => h.to === p.host)).map((p) => oldHostSlug(p.slug));
    ops.push(
      op(4, 'tombstones', {
        app: 'authentik',
        when: 'after ArgoCD synced authentik-extras',
        why_manual:
          'The retired blueprint deletes what only the old hosts used (the old-host proxy providers and applications); Authentik applies it at its next discovery.',
        commands: ['then, and only then, remove the migration block from the config: npm run plan, npm run synth, commit'],
        verify: standIns.map(
          (slug) =>
            `curl -s -H "Authorization: Bearer $AUTHENTIK_TOKEN" '${m.authentik.url}/api/v3/core/applications/?slug=${slug}' | jq .pagination.count  # 0`,
        ),
      }),
    );
  }
  return ops;
}
