// The accepted form of a regex redirect URI (docs/redirect-uris.md). Authentik matches a regex
// entry with Python's re.fullmatch against the whole redirect_uri the client sends
// (authentik/providers/oauth2/views/authorize.py, OAuthAuthorizationParams.check_redirect_uri),
// so a regex is as wide as every string it can fully match. Rather than analyse arbitrary
// regexes, a restricted grammar is accepted whose origin is literal and whose path cannot reach
// back into it:
//
//   [^] scheme :// host [port] [/path-pattern] [$]
//
//   scheme  https; http only for loopback hosts of a public client (RFC 8252 native apps)
//   host    a literal host with escaped dots (grafana\.example\.net), or a group of them,
//           (a|b) or (?:a|b); loopback: 127\.0\.0\.1, \[::1\], localhost
//   port    :<digits>; for loopback also :[0-9]+ or :\d+ (a native app picks a free port)
//   path    starts with a literal /, which ends the authority (no userinfo, no other host can
//           follow); anything after it except a top-level | (alternation would restart the URL)

export interface RedirectRegexContext {
  /** The hosts the config gives the service: its host, migration hosts, explicit callbacks'. */
  ownHosts: ReadonlySet<string>;
  /** A public (PKCE) client may call back on loopback over http. */
  publicClient: boolean;
}

const LOOPBACK = ['127.0.0.1', '[::1]', 'localhost'];
const PORT_PATTERNS = [':[0-9]+', ':\\d+'];

/** One host written literally: letters, digits, '-', and '\.' for a dot. Returns the host or undefined. */
function literalHost(s: string): string | undefined {
  if (s === '\\[::1\\]') return '[::1]';
  if (!/^(?:[A-Za-z0-9-]|\\[.-])+$/.test(s)) return undefined;
  return s.replace(/\\(.)/g, '$1').toLowerCase();
}

const HOST_RULE = 'must name its host literally, dots escaped (grafana\\.example\\.net), or a group of such hosts (a|b)';

/** The hosts at the start of `rest` and what follows them, or a reason. */
function hostsAt(rest: string): { hosts: string[]; after: string } | { why: string } {
  const group = /^\((\?:)?([^()]*)\)/.exec(rest);
  // \[::1\] is the one host with colons in it; any other runs over letters, digits, '-' and '\.'.
  const text = group ? group[2] : rest.startsWith('\\[::1\\]') ? '\\[::1\\]' : (/^(?:[A-Za-z0-9-]|\\[.-])*/.exec(rest)?.[0] ?? '');
  const hosts = text.split('|').map(literalHost);
  const after = rest.slice(group ? group[0].length : text.length);
  // What may follow a host: a port, the path, the end; a regex character here widens the host.
  if (!text || hosts.some((h) => h === undefined) || /^[^:/\\(]/.test(after)) return { why: HOST_RULE };
  return { hosts: hosts as string[], after };
}

/** Whether `pattern` has a `|` outside every group and character class (Python re syntax). */
export function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      // A class runs to the first unescaped ']' that is not its first member.
      i += pattern[i + 1] === '^' ? 2 : 1;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * Why a regex redirect URI could admit a URL that is not the service's own, or undefined when it
 * has the accepted form. The message is the part after "regex <url> ".
 */
export function redirectRegexProblem(url: string, ctx: RedirectRegexContext): string | undefined {
  if (hasTopLevelAlternation(url)) return 'has a top-level "|": fullmatch then admits any URL the other branch matches';
  const body = url.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  const scheme = /^(https?):(?:\/\/|\\\/\\\/)/.exec(body);
  if (!scheme) return 'must start with a literal https:// (^https://<host>/...)';
  const at = hostsAt(body.slice(scheme[0].length));
  if ('why' in at) return at.why;
  const loopback = at.hosts.every((h) => LOOPBACK.includes(h));
  const foreign = at.hosts.filter((h) => !ctx.ownHosts.has(h) && !(loopback && ctx.publicClient));
  if (foreign.length) {
    const own = [...ctx.ownHosts].sort().join(', ') || 'none';
    return `names host ${foreign.join(', ')}, which is not this service's (its hosts: ${own}${loopback ? '; loopback only for a public client' : ''})`;
  }
  if (scheme[1] === 'http' && !(loopback && ctx.publicClient)) {
    return 'can match an http:// URL: only loopback callbacks of a public client may be http; use ^https://, or write an http:// callback out in full as a strict entry';
  }
  let rest = at.after;
  const port = /^:[0-9]+/.exec(rest)?.[0] ?? PORT_PATTERNS.find((p) => rest.startsWith(p));
  if (port && !/^:[0-9]+$/.test(port) && !loopback) return 'has a port pattern: only a loopback callback may take any port';
  rest = rest.slice(port?.length ?? 0);
  if (rest !== '' && !rest.startsWith('/') && !rest.startsWith('\\/')) {
    return 'must continue with a literal "/" after the host and port, or anything could follow the host (another domain, userinfo)';
  }
  return undefined;
}
