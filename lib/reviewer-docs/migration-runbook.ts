// The runbook of the current migration phase (entries of dist/docs/manual-operations.yaml): what
// to apply outside the GitOps engine, in which order, and how to verify each step before the next
// phase; the engine's own steps in its words (engine-words.ts). docs/changing-domains.md.
import type { AuthModel } from '../model/derive';
import type { ManualOperation } from './manual-operations';
import { controlPlaneRollout } from './control-plane-rollout';
import { agentContext } from '../consumers/kubeconfig';
import { OUTPUT, repoPath } from '../base/paths';
import { authentikIssuer } from '../upstream/conventions';
import { MIGRATION_PHASES, type MigrationPhase } from '../config/schema';
import { PHASES, hostOf, oldHostSlug, type MigrationModel } from '../model/migration';
import type { Blueprint } from '../upstream/blueprint-types';
import { MODEL } from '../upstream/authentik-models';
import { blueprintMountPath } from '../blueprints/build';
import { engineWords, type EngineWords } from './engine-words';

/** What every runbook step of a phase may use: the moves and the commands shared between steps. */
interface RunbookContext {
  readonly m: AuthModel;
  readonly mig: MigrationModel;
  /** What syncs the output, in its words. */
  readonly w: EngineWords;
  readonly blueprints: ReadonlyArray<Blueprint>;
  readonly dist: (p: string) => string;
  /** The phase after this one. */
  readonly next: string;
  readonly ak: MigrationModel['authentik'];
  /** Whoami checks with the new kubeconfigs, and with the old ones. */
  readonly newWhoami: string[];
  readonly oldWhoami: string[];
  /** The slugs of the agents and kubectl clients. */
  readonly clients: string[];
  readonly edgeApply: string;
  readonly discovery: (url: string, slug: string) => string;
}

type StepBody = Omit<ManualOperation, 'id' | 'layer' | 'status'>;

/** One runbook step: its number and id within the phase, when it applies, and what it says. */
interface RunbookStep {
  readonly n: number;
  readonly id: string;
  readonly applies?: (x: RunbookContext) => boolean;
  readonly body: (x: RunbookContext) => StepBody;
}

function runbookContext(m: AuthModel, mig: MigrationModel, blueprints: ReadonlyArray<Blueprint>): RunbookContext {
  const dist = (p: string) => repoPath(m.git.path, p);
  const oldClient = (slug: string) => `<the previous kubeconfig of ${slug}>`;
  const agentWhoami = (kubeconfig: string, a: AuthModel['agents'][number]) =>
    `kubectl --kubeconfig ${kubeconfig} --context ${agentContext(m, a)} auth whoami  # ${a.kubernetesUsername}, groups include ${a.group}`;
  const peopleWhoami = (kubeconfig: string, k: AuthModel['kubectlApps'][number]) =>
    `kubectl --kubeconfig ${kubeconfig} --context ${k.context} auth whoami  # ${m.kubernetes.usernamePrefix}<your username> and your groups`;
  const w = engineWords(m);
  return {
    m,
    mig,
    w,
    blueprints,
    dist,
    next: MIGRATION_PHASES[PHASES[mig.phase].order],
    ak: mig.authentik,
    newWhoami: [
      ...m.agents.map((a) => agentWhoami(`<kubeconfig of ${a.slug}, from ${dist(OUTPUT.kubeconfig)}>`, a)),
      ...m.kubectlApps.map((k) => peopleWhoami(`<your copy of ${dist(OUTPUT.peopleKubeconfig)}>`, k)),
    ],
    oldWhoami: [...m.agents.map((a) => agentWhoami(oldClient(a.slug), a)), ...m.kubectlApps.map((k) => peopleWhoami(oldClient(k.slug), k))],
    clients: [...m.agents.map((a) => a.slug), ...m.kubectlApps.map((k) => k.slug)],
    edgeApply: m.edge.inCluster
      ? w.edgeApply(dist(OUTPUT.edgeDir))
      : `scp ${dist(OUTPUT.traefik)} <edge host>:<file-provider directory>/authentik.yaml`,
    discovery: (url, slug) =>
      `curl -s ${authentikIssuer(url, slug)}.well-known/openid-configuration | jq -r .issuer  # ${authentikIssuer(url, slug)} (Authentik builds the issuer from the host it is asked on)`,
  };
}

const signInChecks = (m: AuthModel) => [...new Set(m.proxyApps.map((p) => `open ${p.launchUrl} and sign in through Authentik`))];

/** The old and the new hosts of the move, Authentik's first. */
const movedHosts = ({ ak, mig }: RunbookContext, side: 'from' | 'to'): string[] => [
  ...(ak ? [hostOf(ak[side])] : []),
  ...mig.hosts.map((h) => h[side]),
];

/** Overlap: both hosts served and trusted, then the hand-held clients move. */
const OVERLAP: ReadonlyArray<RunbookStep> = [
  {
    n: 1,
    id: 'routes',
    body: (x) => {
      const ak = x.ak;
      return {
        app: 'edge',
        when: 'first, as soon as this output is committed',
        why_manual: `Both hosts must be routed before anything is pointed at the new one: ${[...(x.ak ? [`Authentik at ${hostOf(x.ak.to)}`] : []), ...x.mig.hosts.map((h) => h.to)].join(', ')} next to the old ${movedHosts(x, 'from').join(', ')}.`,
        commands: [x.edgeApply],
        verify: [
          ...(x.ak
            ? [`curl -s -o /dev/null -w '%{http_code}\\n' ${x.ak.to}/-/health/live/  # 200: Authentik answers on the new host`]
            : []),
          ...(ak ? [...x.m.oidcApps.map((a) => a.slug), ...x.clients].map((slug) => x.discovery(ak.to, slug)) : []),
          ...x.mig.hosts.map((h) =>
            x.m.edge.routes.some((r) => r.host === h.to)
              ? `curl -sI https://${h.to}/ | head -1  # the service answers on its new host (a redirect to Authentik for forward auth)`
              : `curl -sI https://${h.to}/ | head -1  # the service answers on its new host: this edge does not route it, so its own ingress must serve the new host too`,
          ),
        ],
      };
    },
  },
  {
    n: 2,
    id: 'apiserver-both-issuers',
    applies: (x) => !!x.ak && x.m.apiserverIssuers.length > 0,
    body: (x) => {
      const r = controlPlaneRollout(x.m, [...x.oldWhoami, ...x.newWhoami]);
      return {
        app: 'kube-apiserver',
        when: 'after step 1 verified',
        why_manual: `The apiserver must trust both issuers of every client (${x.clients.join(', ')}) before any kubeconfig names the new one: ${x.dist(OUTPUT.talosPatch)} now has one JWT authenticator per issuer. It is applied by hand, one control plane at a time.`,
        commands: r.commands,
        verify: r.verify,
      };
    },
  },
  {
    n: 3,
    id: 'kubeconfigs',
    applies: (x) => x.m.agents.length > 0 || x.m.kubectlApps.length > 0,
    body: (x) => ({
      app: 'agents and people',
      when: 'after step 2 verified; one client at a time',
      why_manual: `The kubeconfigs in ${x.dist('kubeconfig/')} name the new issuer; agents and people hold copies, handed over by hand. The old ones keep working until the done phase.`,
      commands: [
        ...x.m.agents.map(
          (a) => `re-run agent-credentials-${a.slug} with the new ${x.dist(OUTPUT.kubeconfig)} (the credential itself does not change)`,
        ),
        ...x.m.kubectlApps.map(
          (k) =>
            `people-kubeconfig-${k.slug}: every person copies the new ${x.dist(OUTPUT.peopleKubeconfig)} (kubelogin signs in once more)`,
        ),
      ],
      verify: x.newWhoami,
    }),
  },
  {
    n: 4,
    id: 'consumers-still-sign-in',
    body: (x) => ({
      app: 'consumers',
      when: 'before setting the phase to cutover',
      why_manual:
        'Nothing the consumers use has moved yet; every provider lists the callbacks of both hosts, so each consumer keeps signing in while the next phase moves it.',
      commands: [`when every step above is verified: set migration.phase: ${x.next}, npm run plan, npm run synth, commit`],
      verify: [...x.m.oidcApps.map((a) => `log in to ${a.url} through Authentik`), ...signInChecks(x.m)],
    }),
  },
];

/** Cutover: Authentik's host and the synced consumers move; the hand-configured ones follow. */
const CUTOVER: ReadonlyArray<RunbookStep> = [
  {
    n: 1,
    id: 'authentik-host',
    body: ({ m, w, blueprints }) => {
      // The blueprint that sets the embedded outpost's config (with the proxy providers, or its own file).
      const outpostFile = blueprints.find((b) => b.entries.some((e) => e.model === MODEL.outpost));
      const probe = m.proxyApps.find((p) => !p.slug.endsWith(oldHostSlug('')));
      return {
        app: 'authentik',
        when: `as soon as this output is committed (${w.name} ${w.applies} it)`,
        why_manual: `AUTHENTIK_HOST (${w.authentikValues}; the pods restart with it), the embedded outpost's authentik_host and authentik_host_browser and the launch URLs (authentik-extras blueprints) move to ${m.authentik.url}. The outpost keeps its own stored config: until the blueprint has set it, forward auth still redirects to the old host.`,
        commands: [
          w.authentikApply,
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
      };
    },
  },
  {
    n: 2,
    id: 'consumers-on-new-host',
    body: ({ m, w, dist, next }) => ({
      app: 'consumers',
      when: 'after step 1; one consumer at a time',
      why_manual: `${w.consumersTakeValues(dist(OUTPUT.grafanaValues))}; a consumer configured in its own UI (Infisical) is changed by hand.`,
      commands: [
        ...m.oidcApps
          .filter((a) => a.consumer === 'infisical' || a.consumer === 'generic')
          .map((a) => `${a.name}: set the discovery URL ${a.discoveryUrl} and the callback ${a.consumerCallback} where it is configured`),
        w.consumersCheck(m.grafana.application),
      ],
      verify: [
        ...m.oidcApps.map((a) => `log in to ${a.url} through Authentik: the browser goes to ${m.authentik.url} and comes back signed in`),
        ...signInChecks(m),
        `when every consumer and every client (migration-overlap-3-kubeconfigs) is on the new host: set migration.phase: ${next}, npm run plan, npm run synth, commit`,
      ],
    }),
  },
];

/** Done: the old issuer, routes and stand-ins go away, once no client needs them. */
const DONE: ReadonlyArray<RunbookStep> = [
  {
    n: 1,
    id: 'nothing-left-on-old',
    body: (x) => ({
      app: 'agents and people',
      when: 'before this output is applied anywhere',
      why_manual: 'The old issuer, callbacks and routes go away in this phase: any client still on them stops working.',
      commands: ['check that every agent and person runs the kubeconfig of the overlap phase (migration-overlap-3-kubeconfigs)'],
      verify: x.newWhoami,
    }),
  },
  {
    n: 2,
    id: 'apiserver-new-issuer-only',
    applies: (x) => !!x.ak && x.m.apiserverIssuers.length > 0,
    body: (x) => {
      const r = controlPlaneRollout(x.m, x.newWhoami);
      return {
        app: 'kube-apiserver',
        when: 'after step 1',
        why_manual: `${x.dist(OUTPUT.talosPatch)} trusts only the new issuers now; applied by hand, one control plane at a time.`,
        commands: r.commands,
        verify: [
          ...r.verify,
          ...x.oldWhoami.map((w) => w.replace(/#.*$/, '# must now fail with 401 Unauthorized (the old issuer is no longer trusted)')),
        ],
      };
    },
  },
  {
    n: 3,
    id: 'old-routes',
    body: (x) => ({
      app: 'edge',
      when: 'after step 2',
      why_manual: 'The old hosts are no longer routed.',
      commands: [x.edgeApply],
      verify: movedHosts(x, 'from').map(
        (h) => `curl -s -o /dev/null -w '%{http_code}\\n' https://${h}/  # 404: nothing is routed on the retired host`,
      ),
    }),
  },
  {
    n: 4,
    id: 'tombstones',
    body: ({ m, w, mig }) => ({
      app: 'authentik',
      when: `after ${w.name} ${w.applied} authentik-extras`,
      why_manual:
        'The retired blueprint deletes what only the old hosts used (the old-host proxy providers and applications); Authentik applies it at its next discovery.',
      commands: ['then, and only then, remove the migration block from the config: npm run plan, npm run synth, commit'],
      verify: m.proxyApps
        .filter((p) => mig.hosts.some((h) => h.to === p.host))
        .map((p) => oldHostSlug(p.slug))
        .map(
          (slug) =>
            `curl -s -H "Authorization: Bearer $AUTHENTIK_TOKEN" '${m.authentik.url}/api/v3/core/applications/?slug=${slug}' | jq .pagination.count  # 0`,
        ),
    }),
  },
];

/** Each phase's runbook, steps in order. */
const RUNBOOK: Readonly<Record<MigrationPhase, ReadonlyArray<RunbookStep>>> = { overlap: OVERLAP, cutover: CUTOVER, done: DONE };

export function migrationOperations(
  m: AuthModel,
  mig: MigrationModel | undefined,
  layer: string,
  blueprints: ReadonlyArray<Blueprint> = [],
): ManualOperation[] {
  if (!mig) return [];
  const x = runbookContext(m, mig, blueprints);
  return RUNBOOK[mig.phase]
    .filter((step) => step.applies?.(x) ?? true)
    .map((step) => ({ id: `migration-${mig.phase}-${step.n}-${step.id}`, layer, ...step.body(x), status: 'pending' }));
}
