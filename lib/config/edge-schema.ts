// The edge part of the cluster config: how requests reach the services (docs/edge.md).
// Cross-field rules (which backend fits which mode, collisions, TLS coverage) are in ./validate.ts.
import * as z from 'zod';
import { perDescribe } from './describe';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const label = (what: string) => z.string().regex(DNS_LABEL, `is not a ${what} (DNS label)`);
const CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$|^[0-9a-fA-F:]+\/\d{1,3}$/;
/** A TLS domain: a DNS name, optionally with one leading wildcard label. */
const TLS_DOMAIN = /^(\*\.)?[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

export const EDGE_MODES = ['traefik-file', 'traefik-crd', 'gateway-api'] as const;
export type EdgeMode = (typeof EDGE_MODES)[number];

/**
 * One link of a middleware chain: a middleware this tool does not own, by name (and, in the
 * in-cluster modes, namespace), or one of the IP allow lists of `edge.ipAllowLists`.
 */
const middlewareRefSchema = perDescribe((d) =>
  z.strictObject({
    name: d(
      z
        .string()
        .regex(
          /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(@[a-z0-9][-a-z0-9]*)?$/,
          'is not a middleware name (a DNS label, in traefik-file mode optionally @provider)',
        )
        .optional(),
      'A middleware this tool does not own; in traefik-file mode name@provider is allowed (e.g. secure-headers@file).',
    ),
    namespace: d(
      label('namespace name').optional(),
      "Its namespace (traefik-crd only; in gateway-api it must exist in each route's namespace).",
    ),
    ipAllowList: d(
      label('allow-list name').optional(),
      'Instead of name: an allow list of edge.ipAllowLists, emitted as an owned ip-allow-<name> Middleware.',
    ),
  }),
);

const tlsSchema = perDescribe((d) =>
  z.strictObject({
    certResolver: d(z.string().regex(/^\S+$/, 'must be one word').optional(), 'The Traefik cert resolver.'),
    secretName: d(label('Secret name').optional(), "A Kubernetes TLS Secret in the route's namespace (traefik-crd only)."),
    domains: d(
      z
        .array(
          z.strictObject({
            main: d(
              z.string().regex(TLS_DOMAIN, 'is not a TLS domain (a DNS name, optionally *.name)'),
              'The main domain (*.name for a wildcard).',
            ),
            sans: d(
              z.array(z.string().regex(TLS_DOMAIN, 'is not a TLS domain (a DNS name, optionally *.name)')).optional(),
              'More names on the same certificate.',
            ),
          }),
        )
        .min(1, 'must name at least one domain (omit it to let the resolver use the route host)')
        .optional(),
      'What the certificate is requested for; every host they serve must be covered.',
    ),
  }),
);

/** A Kubernetes Service backend: what the in-cluster modes route to. */
const serviceBackendSchema = perDescribe((d) =>
  z.strictObject({
    namespace: d(label('namespace name'), "The Service's namespace; the route object is emitted there."),
    name: d(label('Service name'), "The Service's name."),
    // Required, but checked in ./validate.ts: a union's own message is no help.
    port: d(
      z.union([z.number().int().min(1).max(65535), label('port name')]).optional(),
      "The Service port: a number, or (traefik-crd only) the port's name. Required.",
    ),
  }),
);

export const routeSchema = perDescribe((d) =>
  z.strictObject({
    path: d(
      z
        .string()
        .regex(/^\/[^\s`]*$/, 'must start with / (a PathPrefix) and contain no spaces or backticks')
        .default('/'),
      "Requests whose path starts with this (a PathPrefix) go to this route's backend.",
    ),
    url: d(
      z
        .string()
        .regex(/^https?:\/\/[^\s/`]+(\/\S*)?$/, 'is not an http(s) URL')
        .optional(),
      'traefik-file mode: the URL the edge forwards to.',
    ),
    service: d(serviceBackendSchema(d).optional(), 'traefik-crd and gateway-api modes: the Kubernetes Service.'),
    middlewares: d(z.array(middlewareRefSchema(d)).optional(), 'Run after the global chain (edge.middlewares) and before forward auth.'),
    tls: d(tlsSchema(d).optional(), 'Overrides edge.tls for this route.'),
  }),
);

const gatewayParentRefSchema = perDescribe((d) =>
  z.strictObject({
    name: d(label('Gateway name'), "The Gateway's name."),
    namespace: d(label('namespace name').optional(), "The Gateway's namespace."),
    sectionName: d(label('listener name').optional(), 'The listener of that Gateway.'),
  }),
);

export const edgeSchema = perDescribe((d) =>
  z
    .strictObject({
      mode: d(
        z.enum(EDGE_MODES).default('traefik-file'),
        'traefik-file: a Traefik outside the cluster (file provider); traefik-crd: IngressRoutes; gateway-api: HTTPRoutes.',
      ),
      middlewares: d(z.array(middlewareRefSchema(d)).default([]), "The global chain: runs first on every route, Authentik's own included."),
      tls: d(tlsSchema(d).optional(), 'Default TLS of every route (not in gateway-api). Default: certResolver traefik.certResolver.'),
      ipAllowLists: d(
        z
          .record(label('allow-list name'), z.array(z.string().regex(CIDR, 'is not a CIDR')).min(1, 'must list at least one CIDR'))
          .default({}),
        'Named source ranges, e.g. {lan: [192.168.0.0/16]}, that chains use as {ipAllowList: <name>}.',
      ),
      gateway: d(
        z
          .strictObject({
            parentRefs: d(
              z.array(gatewayParentRefSchema(d)).min(1, 'must name at least one Gateway (the HTTPRoutes attach to it)'),
              'The Gateway listeners every HTTPRoute attaches to.',
            ),
          })
          .optional(),
        'gateway-api mode only, required there: the Gateway.',
      ),
    })
    .prefault({}),
);

export type MiddlewareRefConfig = z.output<ReturnType<typeof middlewareRefSchema>>;
export type TlsConfig = z.output<ReturnType<typeof tlsSchema>>;
export type RouteConfig = z.output<ReturnType<typeof routeSchema>>;
export type ServiceBackend = z.output<ReturnType<typeof serviceBackendSchema>>;
export type EdgeConfig = z.output<ReturnType<typeof edgeSchema>>;
