// The "Routes" section of dist/docs/ACCESS.md: every edge route with its backend, its chain and
// what protects it, read from the same model the routes are rendered from.
import type { AuthModel } from '../model/derive';
import { OUTPUT } from '../base/paths';
import { code, table } from './markdown';
import { backendKey, type ChainLink, type EdgeRoute } from '../model/edge';
import { engineWords, type EngineWords } from './engine-words';

const who = (groups?: string[]) => (groups ? groups.join(', ') : 'any authenticated user');

export function protectionText(r: EdgeRoute): string {
  const base = {
    'forward-auth': `forward auth (embedded outpost): ${who(r.allowedGroups)}`,
    oidc: `OIDC in the app: ${who(r.allowedGroups)}`,
    public: 'public (no authentication)',
    authentik: 'Authentik itself (its own login)',
  }[r.protection];
  const lists = r.chain.filter((l): l is Extract<ChainLink, { kind: 'ipAllowList' }> => l.kind === 'ipAllowList');
  return lists.length ? `${base}; IP allow-listed (${lists.map((l) => `${l.list}: ${l.sourceRange.join(', ')}`).join('; ')})` : base;
}

const linkText = (l: ChainLink) => (l.kind === 'foreign' && l.namespace ? `${l.namespace}/${l.name}` : l.name);

const MODE_TEXT = {
  'traefik-file': () => `the edge Traefik outside the cluster (file provider, ${OUTPUT.traefik})`,
  'traefik-crd': (w: EngineWords) =>
    `the in-cluster Traefik (IngressRoutes and Middlewares in ${OUTPUT.edgeDir}/, ${w.applied} by ${w.edge})`,
  'gateway-api': (w: EngineWords) =>
    `Gateway API (HTTPRoutes with Traefik Middlewares as ExtensionRef filters in ${OUTPUT.edgeDir}/, ${w.applied} by ${w.edge})`,
} as const;

export function routesSection(m: AuthModel): string[] {
  return [
    '',
    '## Routes',
    '',
    `Every route of ${MODE_TEXT[m.edge.mode](engineWords(m))}. Chain: the middlewares a request passes, in order; forward auth asks ${code(m.edge.forwardAuth.address)}.`,
    '',
    ...table(
      ['Host', 'Path', 'Backend', 'Protection', 'Chain'],
      m.edge.routes.map((r) => [
        r.host,
        r.path,
        backendKey(r.backend),
        protectionText(r),
        r.chain.length ? r.chain.map(linkText).join(' → ') : '—',
      ]),
    ),
  ];
}
