#!/usr/bin/env python3
"""The blueprint-status part of `npm run verify`, with the standard library only, for a hook Job
that runs in the Authentik server image (it ships Python). Same findings, same words and the same
exit codes as lib/verify/checks.ts blueprintFindings (test/verify/python.test.ts compares them).

usage: blueprint_status.py --url URL --expected FILE [--timeout S] [--wait S [--interval S]], the API
token in the environment variable AUTHENTIK_TOKEN.
FILE: JSON list of {"path", "name", "hash"} (lib/verify/expected.ts). Exit 0 match, 1 findings,
2 cannot read Authentik. With --wait it checks again every --interval seconds while findings
remain (or Authentik cannot be read), up to --wait seconds, and reports the last check; progress
goes to stderr. The token is never printed."""
import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

MAX_PAGES = 1000
# The apply task's actor and the levels shown: lib/verify/api.ts APPLY_ACTOR, SHOWN_LEVELS.
APPLY_ACTOR = "authentik.blueprints.v1.tasks.apply_blueprint"
SHOWN_LEVELS = {"critical", "exception", "error", "warn", "warning"}
MAX_MESSAGES = 3


class VerifyError(Exception):
    """verify cannot read Authentik: exit 2."""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise VerifyError(f"{req.full_url}: redirected to {newurl}; give that URL as --url")


def get(url, token, timeout):
    req = urllib.request.Request(url, headers={"Accept": "application/json", "Authorization": f"Bearer {token}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=timeout) as res:
            body = res.read()
    except urllib.error.HTTPError as e:
        raise VerifyError(f"{url}: answered {e.code}" + (": check AUTHENTIK_TOKEN" if e.code in (401, 403) else "")) from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise VerifyError(f"{url}: cannot read it ({getattr(e, 'reason', e)}); check --url and --timeout") from None
    try:
        return json.loads(body)
    except ValueError:
        raise VerifyError(f"{url}: the answer is not JSON: is this an Authentik server?") from None


def instances(base, token, timeout):
    out, page = [], 1
    while page > 0:
        if page > MAX_PAGES:
            raise VerifyError(f"{base}: more than {MAX_PAGES} pages of blueprint instances")
        url = urllib.parse.urljoin(base, f"/api/v3/managed/blueprints/?page={page}&page_size=100")
        doc = get(url, token, timeout)
        if not isinstance(doc, dict) or not isinstance(doc.get("results"), list) or not isinstance(doc.get("pagination"), dict):
            raise VerifyError(f"GET /api/v3/managed/blueprints/ page {page}: not a paginated blueprint list; is this an Authentik server of the configured minor?")
        out.extend(doc["results"])
        nxt = doc["pagination"].get("next")
        if not isinstance(nxt, int) or (nxt != 0 and nxt <= page):
            raise VerifyError(f"{base}: pagination goes back from page {page} to {nxt}")
        page = nxt
    return out


def task_message(event):
    one = re.sub(r"[\x00-\x1f\x7f]", "?", re.sub(r"\s+", " ", event).strip())
    return f"{one[:160]}…" if len(one) > 160 else one


def apply_task_messages(base, token, timeout, pk):
    """The latest apply task's warnings and errors (lib/verify/api.ts applyTaskMessages); a list
    that cannot be read is said in the finding, never an exit 2."""
    query = urllib.parse.urlencode({"actor_name": APPLY_ACTOR, "rel_obj_id": pk, "ordering": "-mtime", "page": 1, "page_size": 1})
    try:
        doc = get(urllib.parse.urljoin(base, f"/api/v3/tasks/tasks/?{query}"), token, timeout)
        if not isinstance(doc, dict) or not isinstance(doc.get("results"), list):
            raise VerifyError("GET /api/v3/tasks/tasks/: does not match the Task list schema")
    except VerifyError as e:
        return [f"its messages could not be read: {e}"]
    logs = doc["results"][0].get("logs", []) if doc["results"] and isinstance(doc["results"][0], dict) else []
    shown = [l["event"] for l in logs if isinstance(l, dict) and l.get("log_level") in SHOWN_LEVELS and isinstance(l.get("event"), str)]
    return [task_message(e) for e in shown[:MAX_MESSAGES]]


def error_found(messages):
    return f"status error (apply task: {' | '.join(messages)})" if messages else "status error"


def short(h):
    return f"{h[:12]}…" if h else "none"


def finding(obj, expected, found, fix):
    return f"verify: {obj}: expected {expected}, found {found}; {fix}"


def findings(expected, live, messages):
    by_path = {i.get("path"): i for i in live}
    out = []
    for bp in expected:
        obj = f"blueprint {bp['path']} ({bp['name']})"
        want = f"status successful, last_applied_hash {short(bp['hash'])}"
        i = by_path.get(bp["path"])
        if i is None:
            out.append(finding(obj, "a BlueprintInstance", "none: not applied yet", "wait for the worker to discover it (ArgoCD synced the ConfigMap? the Authentik values list it?)"))
        elif i.get("status") == "error":
            out.append(finding(obj, want, error_found(messages.get(bp["path"], [])), "read the apply task's messages (Admin > System Tasks > apply_blueprint) and fix the config, then re-sync"))
        elif i.get("enabled") is False:
            out.append(finding(obj, "enabled", "disabled", "enable the blueprint instance in the admin UI"))
        elif i.get("last_applied_hash") != bp["hash"]:
            h = i.get("last_applied_hash") or ""
            found = f"last_applied_hash {short(h)}: applied an older version" if h else "never applied"
            out.append(finding(obj, want, f"status {i.get('status')}, {found}", "wait for the worker (it re-applies changed files), or check ArgoCD synced the ConfigMap"))
        elif i.get("status") != "successful":
            out.append(finding(obj, want, f"status {i.get('status')}", "read the apply task's messages in the admin UI"))
    return out


def check_once(args, token, expected):
    live = instances(args.url, token, args.timeout)
    paths = {bp["path"] for bp in expected}
    messages = {}
    for i in live:
        if i.get("status") == "error" and i.get("path") in paths and i.get("path") not in messages:
            messages[i["path"]] = apply_task_messages(args.url, token, args.timeout, str(i.get("pk")))
    return findings(expected, live, messages)


def read_inputs(args, token):
    if not token:
        raise VerifyError("AUTHENTIK_TOKEN is not set: give the Job the token Secret")
    u = urllib.parse.urlsplit(args.url)
    if u.username or u.password:
        raise VerifyError("--url: carries a user name or password; give the token in AUTHENTIK_TOKEN instead")
    host = u.hostname or ""
    loopback = host in ("127.0.0.1", "::1", "localhost")
    if u.scheme != "https" and not (u.scheme == "http" and (loopback or host.endswith(".svc") or ".svc." in host)):
        raise VerifyError(f"--url {u.scheme}://{host}: must be https (plain http only to loopback or a cluster Service)")
    try:
        with open(args.expected, encoding="utf-8") as f:
            expected = json.load(f)
    except (OSError, ValueError) as e:
        raise VerifyError(f"--expected {args.expected}: cannot read it as JSON ({e.__class__.__name__})") from None
    if not isinstance(expected, list) or not all(isinstance(b, dict) and {"path", "name", "hash"} <= b.keys() for b in expected):
        raise VerifyError(f"--expected {args.expected}: not a list of {{path, name, hash}}")
    return expected


def main(argv, env):
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--expected", required=True)
    p.add_argument("--timeout", type=float, default=10)
    # The hook runs right after a sync: the kubelet refreshes a mounted ConfigMap within about a
    # minute and the worker then re-applies, so it checks again until nothing is left or time is up.
    p.add_argument("--wait", type=float, default=0, help="seconds to keep checking while findings remain")
    p.add_argument("--interval", type=float, default=10, help="seconds between checks while waiting")
    args = p.parse_args(argv)
    token = (env.get("AUTHENTIK_TOKEN") or "").strip()
    clean = lambda s: s.replace(token, "***") if token else s
    try:
        expected = read_inputs(args, token)
    except VerifyError as e:
        print(f"verify error: {clean(str(e))}", file=sys.stderr)
        return 2
    deadline = time.monotonic() + args.wait
    while True:
        try:
            lines, error = check_once(args, token, expected), None
        except VerifyError as e:
            lines, error = None, clean(str(e))
        if lines == [] or time.monotonic() + args.interval > deadline:
            break
        left = f"{len(lines)} finding(s)" if error is None else error
        print(f"verify: not yet ({left}); checking again in {args.interval:g} s", file=sys.stderr, flush=True)
        time.sleep(args.interval)
    if error is not None:
        print(f"verify error: {error}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], __import__("os").environ))
