// Where verify reads Authentik's answers: the live API (Node's fetch, a time limit per request,
// redirects followed by hand so a loop is caught) or a directory of saved responses (--from-json),
// so the same comparison runs on a bug report's attachments and in tests.
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../base/errors';
import { readBounded } from '../readback/file';

/** verify cannot read Authentik (unreachable, refused, not Authentik, off-schema): exit 2. */
export class VerifyError extends UserError {
  override readonly kind = 'verify error';
}

/** One GET: the parsed JSON body, or a VerifyError naming the URL and what to do. */
export type Source = (url: string) => Promise<unknown>;

export interface LiveOptions {
  token: string;
  /** The only origin the token is sent to (--url's); discovery on a public issuer host goes without it. */
  origin: string;
  timeoutSeconds: number;
  /** Redirects followed per request before it counts as a loop. */
  maxRedirects?: number;
  /** Ctrl-C (lib/base/signals.ts): aborts the request in flight. */
  abort?: AbortSignal;
}

/** What an HTTP status means to the operator (the rest: "answered <status>"). */
const STATUS_HINTS: Readonly<Record<number, string>> = {
  401: 'the token was refused (401): check AUTHENTIK_TOKEN is a valid API token',
  403: 'the token lacks permission (403): give its user the view permissions on blueprints, providers, applications, policies, bindings, groups, users, tokens and outposts',
  404: 'not found (404): is this the Authentik URL?',
};

const loopback = (u: URL) => ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);

/** --url: https, or plain http to a loopback address (kubectl port-forward); never with userinfo. */
export function checkUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new VerifyError(`--url ${raw}: not a URL (give e.g. https://auth.example.com)`);
  }
  if (u.username || u.password) throw new VerifyError('--url: carries a user name or password; give the token in AUTHENTIK_TOKEN instead');
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback(u)))
    throw new VerifyError(`--url ${u.origin}: must be https (plain http only to a loopback address such as a port-forward)`);
  return u;
}

async function getOnce(url: URL, opts: LiveOptions): Promise<Response> {
  // The token goes only to the origin --url names.
  const auth: Record<string, string> = url.origin === opts.origin ? { authorization: `Bearer ${opts.token}` } : {};
  try {
    return await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'application/json', ...auth },
      signal: opts.abort
        ? AbortSignal.any([AbortSignal.timeout(opts.timeoutSeconds * 1000), opts.abort])
        : AbortSignal.timeout(opts.timeoutSeconds * 1000),
    });
  } catch (e) {
    // Interrupted: not a connection problem, and the run says so itself.
    if (opts.abort?.aborted) throw e;
    const err = e as Error & { cause?: { code?: string; message?: string; errors?: Array<{ code?: string }> } };
    const why = err.cause?.code ?? err.cause?.errors?.[0]?.code ?? err.cause?.message ?? err.message;
    if (err.name === 'TimeoutError')
      throw new VerifyError(`${url.origin}${url.pathname}: no answer within ${opts.timeoutSeconds} s (raise --timeout or check the URL)`);
    throw new VerifyError(`${url.origin}: cannot connect (${why}); check --url and that Authentik is reachable`);
  }
}

/** The live API: each request with its own time limit, redirects followed up to a bound. */
export function liveSource(opts: LiveOptions): Source {
  const max = opts.maxRedirects ?? 5;
  return async (raw) => {
    let url = new URL(raw);
    for (let hop = 0; ; hop++) {
      const res = await getOnce(url, opts);
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        if (hop >= max) throw new VerifyError(`${url.origin}${url.pathname}: more than ${max} redirects (a redirect loop); check --url`);
        const next = new URL(res.headers.get('location')!, url);
        if (next.protocol !== 'https:' && !(next.protocol === 'http:' && loopback(next)))
          throw new VerifyError(`${url.origin}${url.pathname}: redirected to plain http ${next.origin}; refusing to send the token there`);
        url = next;
        continue;
      }
      if (!res.ok) {
        const hint = STATUS_HINTS[res.status] ?? `answered ${res.status}`;
        throw new VerifyError(`${url.origin}${url.pathname}: ${hint}`);
      }
      const text = await res.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new VerifyError(`${url.origin}${url.pathname}: the answer is not JSON: is this an Authentik server?`);
      }
    }
  };
}

/**
 * A saved response's file name: the URL's path and query on the API's own origin (whatever --url
 * was when it was saved), host, path and query elsewhere (a public issuer); every character
 * outside [A-Za-z0-9.-] becomes `_`.
 */
export function savedName(url: string, base: URL): string {
  const u = new URL(url);
  const key = u.origin === base.origin ? `${u.pathname}${u.search}` : `${u.host}${u.pathname}${u.search}`;
  return `${key.replace(/^\//, '').replace(/[^A-Za-z0-9.-]/g, '_')}.json`;
}

/** --from-json <dir>: each request answered by the file savedName names; a missing file is a finding of the caller's choosing. */
export function savedSource(dir: string, base: URL): Source {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new VerifyError(`--from-json ${dir}: no such directory`);
  return (url) => {
    const file = path.join(dir, savedName(url, base));
    if (!fs.existsSync(file)) return Promise.reject(new VerifyError(`${file}: missing (the saved answer of GET ${url})`));
    try {
      return Promise.resolve(JSON.parse(readBounded(file)) as unknown);
    } catch (e) {
      return Promise.reject(e instanceof SyntaxError ? new VerifyError(`${file}: not JSON`) : (e as Error));
    }
  };
}
