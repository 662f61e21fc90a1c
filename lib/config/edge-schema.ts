// The edge part of the cluster config: how requests reach the services (docs/edge.md).
// Cross-field rules (which backend fits which mode, collisions, TLS coverage) are in ./validate.ts.
import * as z from 'zod';

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
  name: z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(@[a-z0-9][-a-z0-9]*)?$/,
      'is not a middleware name (a DNS label, in traefik-file mode optionally @provider)',
    )
    .optional()
    .describe('A middleware this tool does not own; in traefik-file mode name@provider is allowed (e.g. secure-headers@file).'),
  namespace: label('namespace name')
    .optional()
    .describe("Its namespace (traefik-crd only; in gateway-api it must exist in each route's namespace)."),
  ipAllowList: label('allow-list name')
    .optional()
    .describe('Instead of name: an allow list of edge.ipAllowLists, emitted as an owned ip-allow-<name> Middleware.'),
});

export const TlsSchema = z.strictObject({
  certResolver: z.string().regex(/^\S+$/, 'must be one word').optional().describe('The Traefik cert resolver.'),
  secretName: label('Secret name').optional().describe("A Kubernetes TLS Secret in the route's namespace (traefik-crd only)."),
  domains: z
    .array(
      z.strictObject({
        main: z
          .string()
          .regex(TLS_DOMAIN, 'is not a TLS domain (a DNS name, optionally *.name)')
          .describe('The main domain (*.name for a wildcard).'),
        sans: z
          .array(z.string().regex(TLS_DOMAIN, 'is not a TLS domain (a DNS name, optionally *.name)'))
          .optional()
          .describe('More names on the same certificate.'),
      }),
    )
    .min(1, 'must name at least one domain (omit it to let the resolver use the route host)')
    .optional()
    .describe('What the certificate is requested for; every host they serve must be covered.'),
});

/** A Kubernetes Service backend: what the in-cluster modes route to. */
export const ServiceBackendSchema = z.strictObject({
  namespace: label('namespace name').describe("The Service's namespace; the route object is emitted there."),
  name: label('Service name').describe("The Service's name."),
  // Required, but checked in ./validate.ts: a union's own message is no help.
  port: z
    .union([z.number().int().min(1).max(65535), label('port name')])
    .optional()
    .describe("The Service port: a number, or (traefik-crd only) the port's name. Required."),
});

export const RouteSchema = z.strictObject({
  path: z
    .string()
    .regex(/^\/[^\s`]*$/, 'must start with / (a PathPrefix) and contain no spaces or backticks')
    .default('/')
    .describe("Requests whose path starts with this (a PathPrefix) go to this route's backend."),
  url: z
    .string()
    .regex(/^https?:\/\/[^\s/`]+(\/\S*)?$/, 'is not an http(s) URL')
    .optional()
    .describe('traefik-file mode: the URL the edge forwards to.'),
  service: ServiceBackendSchema.optional().describe('traefik-crd and gateway-api modes: the Kubernetes Service.'),
  middlewares: z.array(MiddlewareRefSchema).optional().describe('Run after the global chain (edge.middlewares) and before forward auth.'),
  tls: TlsSchema.optional().describe('Overrides edge.tls for this route.'),
});

export const GatewayParentRefSchema = z.strictObject({
  name: label('Gateway name').describe("The Gateway's name."),
  namespace: label('namespace name').optional().describe("The Gateway's namespace."),
  sectionName: label('listener name').optional().describe('The listener of that Gateway.'),
});

export const EdgeSchema = z
  .strictObject({
    mode: z
      .enum(EDGE_MODES)
      .default('traefik-file')
      .describe('traefik-file: a Traefik outside the cluster (file provider); traefik-crd: IngressRoutes; gateway-api: HTTPRoutes.'),
    middlewares: z
      .array(MiddlewareRefSchema)
      .default([])
      .describe("The global chain: runs first on every route, Authentik's own included."),
    tls: TlsSchema.optional().describe('Default TLS of every route (not in gateway-api). Default: certResolver traefik.certResolver.'),
    ipAllowLists: z
      .record(label('allow-list name'), z.array(z.string().regex(CIDR, 'is not a CIDR')).min(1, 'must list at least one CIDR'))
      .default({})
      .describe('Named source ranges, e.g. {lan: [192.168.0.0/16]}, that chains use as {ipAllowList: <name>}.'),
    gateway: z
      .strictObject({
        parentRefs: z
          .array(GatewayParentRefSchema)
          .min(1, 'must name at least one Gateway (the HTTPRoutes attach to it)')
          .describe('The Gateway listeners every HTTPRoute attaches to.'),
      })
      .optional()
      .describe('gateway-api mode only, required there: the Gateway.'),
  })
  .prefault({});

export type MiddlewareRefConfig = z.output<typeof MiddlewareRefSchema>;
export type TlsConfig = z.output<typeof TlsSchema>;
export type RouteConfig = z.output<typeof RouteSchema>;
export type ServiceBackend = z.output<typeof ServiceBackendSchema>;
export type EdgeConfig = z.output<typeof EdgeSchema>;
