// --probe-hosts: for each forward-auth host, one unauthenticated HTTPS GET, never followed, read by
// a table of what the answer means. How Authentik answers decides the rows:
// - the outpost answers an unauthenticated forward-auth request with a redirect to Authentik's
//   authorize endpoint (internal/outpost/proxyv2/application/mode_forward.go forwardHandleTraefik ->
//   oauth.go handleAuthStart), which Traefik passes to the client: ok;
// - a host no proxy provider of the embedded outpost claims is not handled by the outpost
//   (internal/outpost/proxyv2/proxyv2.go HandleHost returns false) and goes to the core, which has no
//   such path: a 404 carrying `X-Powered-By: authentik` (internal/web/proxy.go proxyModifyResponse);
//   a standalone outpost answers 400 {"Message": "no app for hostname"} (proxyv2/handlers.go Handle).
import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import type { Finding } from './format';
import { VerifyError } from './source';

/** One forward-auth host to probe. */
export interface ProbeHost {
  /** `forward-auth <slug>`. */
  who: string;
  url: string;
}

/** What a probe saw. */
export interface ProbeAnswer {
  /** The URL asked (a relative Location resolves against it). */
  url: string;
  status: number;
  location?: string;
  poweredBy?: string;
  body: string;
}

export interface ProbeOptions {
  timeoutSeconds: number;
  /** PEM CA certificates trusted besides the system's (--ca-file), for this request only. */
  ca?: string;
  /** Where to connect instead of the host's address (tests: host -> 127.0.0.1:port). */
  connectTo?: (host: string) => { address: string; port: number } | undefined;
  /** Ctrl-C (lib/base/signals.ts): aborts the request in flight. */
  abort?: AbortSignal;
}

/** --ca-file: read once, refused when it holds no certificate. */
export function readCaFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new VerifyError(`--ca-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new VerifyError(`--ca-file ${file}: holds no PEM certificate`);
  return text;
}

/** One GET without credentials and without following a redirect. */
export function probe(raw: string, opts: ProbeOptions): Promise<ProbeAnswer> {
  const url = new URL(raw);
  const to = opts.connectTo?.(url.hostname);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: to?.address ?? url.hostname,
        port: to?.port ?? (url.port || 443),
        servername: url.hostname,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { host: url.host, accept: 'text/html' },
        // The system's roots plus the operator's CA, for these requests only.
        ...(opts.ca ? { ca: [...tls.rootCertificates, opts.ca] } : {}),
        timeout: opts.timeoutSeconds * 1000,
        ...(opts.abort ? { signal: opts.abort } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body = (body + c).slice(0, 4096)));
        res.on('end', () =>
          resolve({
            url: url.href,
            status: res.statusCode ?? 0,
            location: res.headers.location,
            poweredBy: String(res.headers['x-powered-by'] ?? ''),
            body,
          }),
        );
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end();
  });
}

const noAppForHostname = (body: string): boolean => {
  try {
    return (JSON.parse(body) as { Message?: unknown }).Message === 'no app for hostname';
  } catch {
    return false;
  }
};

type Verdict = Omit<Finding, 'object' | 'expected'> | undefined;

/** What an answer means, first matching row wins; undefined: ok. */
const PROBE_RULES: ReadonlyArray<{
  when: (a: ProbeAnswer, authentik: ReadonlyArray<string>) => boolean;
  verdict: (a: ProbeAnswer) => Verdict;
}> = [
  {
    when: (a, authentik) => a.status >= 300 && a.status < 400 && !!a.location && authentik.includes(originOf(a.location, a.url)),
    verdict: () => undefined,
  },
  {
    when: (a) => a.status >= 300 && a.status < 400,
    verdict: (a) => ({
      found: `a redirect to ${a.location ? originOf(a.location, a.url) : 'nowhere'}`,
      fix: "check the route's forward-auth middleware asks Authentik's outpost, and AUTHENTIK_HOST",
    }),
  },
  {
    when: (a) => a.status >= 200 && a.status < 300,
    verdict: (a) => ({
      found: `${a.status}: no middleware`,
      fix: 'the route serves without forward auth: add the middleware to it (edge config) and sync',
    }),
  },
  {
    when: (a) => (a.status === 404 && /authentik/i.test(a.poweredBy ?? '')) || (a.status === 400 && noAppForHostname(a.body)),
    verdict: (a) => ({
      found: `${a.status} from Authentik: host unregistered in the outpost`,
      fix: "assign the host's proxy provider to the embedded outpost (authentik.outpost.manageProviders) and check the proxy blueprint applied",
    }),
  },
  { when: () => true, verdict: (a) => ({ found: `answered ${a.status}`, fix: 'check the route, its middleware and the outpost' }) },
];

function originOf(location: string, base?: string): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return location;
  }
}

/** Each host: a redirect to Authentik, or one finding saying what answered instead. */
export async function probeFindings(
  hosts: ReadonlyArray<ProbeHost>,
  authentik: ReadonlyArray<string>,
  opts: ProbeOptions,
): Promise<Finding[]> {
  const origins = authentik.map((u) => originOf(u));
  const out: Finding[] = [];
  for (const h of hosts) {
    const object = `host ${h.url} (${h.who})`;
    const expected = `an unauthenticated request redirected to ${origins[0]}`;
    let a: ProbeAnswer;
    try {
      a = await probe(h.url, opts);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      // Node's TLS verification codes (UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, CERT_HAS_EXPIRED, ...).
      const fix = /CERT|SELF_SIGNED|ISSUER|VERIFY|SIGNATURE/.test(code)
        ? 'give the CA that signed its certificate with --ca-file'
        : 'check DNS, the edge and the route';
      out.push({ object, expected, found: code === 'TIMEOUT' ? `no answer within ${opts.timeoutSeconds} s` : `no answer (${code})`, fix });
      continue;
    }
    const verdict = PROBE_RULES.find((r) => r.when(a, origins))!.verdict(a);
    if (verdict) out.push({ object, expected, ...verdict });
  }
  return out;
}
