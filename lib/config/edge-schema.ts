// The edge part of the cluster config: how requests reach the services (README § Edge routes).
// Cross-field rules (which backend fits which mode, collisions, TLS coverage) are in ./validate.ts.
import { z } from 'zod';

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
export const MiddlewareRefSchema = z.strictObject({
  /** In traefik-file mode `name@provider` is allowed (e.g. `secure-headers@file`). */
  name: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(@[a-z0-9][-a-z0-9]*)?$/,
      'is not a middleware name (a DNS label, in traefik-file mode optionally @provider)',
    )
    .optional(),
  namespace: label('namespace name').optional(),
  /** Name of an allow list in `edge.ipAllowLists`; emitted as an owned ipAllowList Middleware. */
  ipAllowList: label('allow-list name').optional(),
});

export const TlsSchema = z.strictObject({
  certResolver: z.string().regex(/^\S+$/, 'must be one word').optional(),
  /** A Kubernetes TLS Secret in the route's namespace (traefik-crd only). */
  secretName: label('Secret name').optional(),
  /** What the certificate is requested for; every route host must be covered by one of them. */
  domains: z
    .array(
      z.strictObject({
        main: z.string().regex(TLS_DOMAIN, 'is not a TLS domain (a DNS name, optionally *.name)'),
        sans: z.array(z.string().regex(TLS_DOMAIN, 'is not a TLS domain (a DNS name, optionally *.name)')).optional(),
      }),
    )
    .min(1, 'must name at least one domain (omit it to let the resolver use the route host)')
    .optional(),
});

/** A Kubernetes Service backend: what the in-cluster modes route to. */
export const ServiceBackendSchema = z.strictObject({
  namespace: label('namespace name'),
  name: label('Service name'),
  /** The Service port: a number, or (traefik-crd only) the port's name. Required (checked in ./validate.ts: a union's own message is no help). */
  port: z.union([z.number().int().min(1).max(65535), label('port name')]).optional(),
});

export const RouteSchema = z.strictObject({
  /** Requests whose path starts with this go to this route's backend ['/']. */
  path: z
    .string()
    .regex(/^\/[^\s`]*$/, 'must start with / (a PathPrefix) and contain no spaces or backticks')
    .default('/'),
  /** traefik-file mode: the URL the edge forwards to. */
  url: z
    .string()
    .regex(/^https?:\/\/[^\s/`]+(\/\S*)?$/, 'is not an http(s) URL')
    .optional(),
  /** traefik-crd and gateway-api modes: the Kubernetes Service. */
  service: ServiceBackendSchema.optional(),
  /** Run after the global chain (edge.middlewares) and before forward auth. */
  middlewares: z.array(MiddlewareRefSchema).optional(),
  /** Overrides edge.tls for this route. */
  tls: TlsSchema.optional(),
});

export const GatewayParentRefSchema = z.strictObject({
  name: label('Gateway name'),
  namespace: label('namespace name').optional(),
  /** The listener of that Gateway. */
  sectionName: label('listener name').optional(),
});

export const EdgeSchema = z
  .strictObject({
    mode: z.enum(EDGE_MODES).default('traefik-file'),
    /** Global chain: runs first on every route (Authentik's own included). */
    middlewares: z.array(MiddlewareRefSchema).default([]),
    /** Default TLS of every route [certResolver: traefik.certResolver]. */
    tls: TlsSchema.optional(),
    /** Named source-range allow lists that routes put in their chains with `ipAllowList: <name>`. */
    ipAllowLists: z
      .record(label('allow-list name'), z.array(z.string().regex(CIDR, 'is not a CIDR')).min(1, 'must list at least one CIDR'))
      .default({}),
    /** gateway-api mode: the Gateway listener(s) every HTTPRoute attaches to. */
    gateway: z
      .strictObject({
        parentRefs: z.array(GatewayParentRefSchema).min(1, 'must name at least one Gateway (the HTTPRoutes attach to it)'),
      })
      .optional(),
  })
  .prefault({});

export type MiddlewareRefConfig = z.output<typeof MiddlewareRefSchema>;
export type TlsConfig = z.output<typeof TlsSchema>;
export type RouteConfig = z.output<typeof RouteSchema>;
export type ServiceBackend = z.output<typeof ServiceBackendSchema>;
export type EdgeConfig = z.output<typeof EdgeSchema>;
