// The opt-in PostSync hook (verify.postSyncHook, lib/constructs/verify-hook.ts): a Job and its ConfigMap in
// authentik-extras, valid Kubernetes objects (kubernetes-models' validate), carrying the check the
// CLI runs and the very hashes verify expects; and that check, run with local python3 exactly as
// the Job runs it, against the fake Authentik.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { ROOT, defaultInput, renderInput } from '../support/helpers';
import { parseConfig, type ConfigError } from '../../lib/rules/validate';
import { expectedOf } from '../../lib/verify/expected';
import { manualOperations } from '../../lib/reviewer-docs/manual-operations';
import { findings } from '../../lib/checks';
import { matchingState, startFake, type Fake, type FakeState } from '../support/fake-authentik';

const TOKEN = 'tok-HOOK-SECRET-7';
const input = defaultInput();
input.verify = { postSyncHook: { enabled: true } };
const r = renderInput(input);
const hookFiles = r.files.filter((f) => /verify/.test(f.path));
const docOf = (kind: string) => hookFiles.flatMap((f) => f.docs ?? []).find((d: any) => d.kind === kind) as any;
const job = docOf('Job');
const cm = docOf('ConfigMap');

test('off by default: no Job, no ConfigMap (the output stays as it was)', () => {
  expect(renderInput(defaultInput()).files.filter((f) => /verify/.test(f.path))).toEqual([]);
});

test('on: a Job and its ConfigMap in authentik-extras, valid Kubernetes objects', () => {
  expect(hookFiles.map((f) => f.path).sort()).toEqual([
    'authentik-extras/configmap-authentik-verify.yaml',
    'authentik-extras/job-authentik-verify.yaml',
  ]);
  expect(() => new Job(structuredClone(job)).validate()).not.toThrow();
  expect(() => new ConfigMap(structuredClone(cm)).validate()).not.toThrow();
  // The check can fail: a Job without its pod template is not a Job.
  expect(() => new Job({ ...structuredClone(job), spec: { template: { spec: {} } } }).validate()).toThrow();
});

test('every check synth runs passes on the output with the hook (lib/checks: no secret, object sizes, blueprint ConfigMaps)', () => {
  expect(findings(r)).toEqual([]);
});

test('a PostSync hook kept until the next one starts, so a failed pod stays readable; it fails the sync by failing once', () => {
  expect(job.metadata.annotations).toEqual({
    'argocd.argoproj.io/hook': 'PostSync',
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
  });
  expect(job.metadata.namespace).toBe(r.model.authentik.namespace);
  expect(job.spec.backoffLimit).toBe(0);
  expect(job.spec.template.spec.restartPolicy).toBe('Never');
  expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(600);
});

test("the Authentik server image of the chart's version, the token from the operator's Secret, no value in the output", () => {
  const [c] = job.spec.template.spec.containers;
  expect(c.image).toBe(`ghcr.io/goauthentik/server:${r.model.authentik.chartVersion}`);
  expect(c.env).toContainEqual({ name: 'AUTHENTIK_TOKEN', valueFrom: { secretKeyRef: { name: 'authentik-verify-token', key: 'token' } } });
  expect(c.env.every((e: any) => e.name !== 'AUTHENTIK_TOKEN' || e.value === undefined)).toBe(true);
  expect(c.command.slice(0, 2)).toEqual(['python3', '/verify/blueprint_status.py']);
  expect(c.command).toContain('http://authentik-server.authentik.svc.cluster.local:80');
  expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
});

test("the ConfigMap carries the repository's check and the hashes `npm run verify` expects of the same output", () => {
  expect(cm.data['blueprint_status.py']).toBe(fs.readFileSync(path.join(ROOT, 'lib/verify/python/blueprint_status.py'), 'utf8'));
  // verify reads the hashes back from the rendered ConfigMaps; the hook's come from the blueprints: they agree.
  const byPath = (l: Array<{ path: string }>) => [...l].sort((a, b) => a.path.localeCompare(b.path));
  expect(byPath(JSON.parse(cm.data['blueprints.json']))).toEqual(byPath(expectedOf(r).blueprints));
  expect(JSON.parse(cm.data['blueprints.json']).length).toBeGreaterThan(3);
});

test('the token Secret joins the credential hand-over in the manual operations', () => {
  const op = manualOperations(r.model).find((o) => o.id === 'create-secret-authentik-authentik-verify-token');
  expect(op).toBeDefined();
  expect(op!.commands.join('\n')).toMatch(/--from-file=token=\/dev\/stdin/);
});

test('ArgoCD only: under Flux verify.postSyncHook is one problem naming it', () => {
  const c = defaultInput() as any;
  delete c.authentik.valueFiles;
  delete c.argocd.valueFiles;
  c.gitops = { engine: 'flux', flux: { valuesFrom: [{ kind: 'Secret', name: 'authentik-own-values' }] } };
  expect(() => parseConfig(c)).not.toThrow();
  c.verify = { postSyncHook: { enabled: true } };
  let problems: string[] = [];
  try {
    parseConfig(c);
  } catch (e) {
    problems = (e as ConfigError).problems;
  }
  expect(problems).toEqual([expect.stringMatching(/^verify\.postSyncHook: is read only with gitops\.engine argocd .*npm run verify/)]);
});

describe('the check as the Job runs it (local python3, the fake Authentik)', () => {
  let s: FakeState;
  let fake: Fake;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-hook-'));
  for (const [k, v] of Object.entries(cm.data as Record<string, string>)) fs.writeFileSync(path.join(dir, k), v);
  beforeEach(async () => {
    s = matchingState(expectedOf(r));
    fake = await startFake(s);
  });
  afterEach(() => fake.close());

  /** Seconds between checks: the script's default 10 s shortened, so a test waits only as long as the behaviour needs. */
  const INTERVAL = '0.05';
  /** The Job's command, its files and URL moved to the test's, the wait shortened. */
  const runHook = (wait: string) => {
    const [c] = job.spec.template.spec.containers;
    const args = (c.command as string[])
      .slice(2)
      .map((a) => a.replace('/verify/', `${dir}/`).replace(/^http:\/\/authentik-server.*/, fake.url));
    args[args.indexOf('--wait') + 1] = wait;
    return new Promise<{ code: number; out: string; err: string }>((resolve) =>
      execFile(
        'python3',
        [path.join(dir, 'blueprint_status.py'), ...args, '--interval', INTERVAL],
        { env: { PATH: process.env.PATH, AUTHENTIK_TOKEN: TOKEN } },
        (e, out, err) => resolve({ code: e ? Number(e.code) : 0, out, err }),
      ),
    );
  };

  test('a blueprint the worker applies while the hook waits: exit 0, progress on stderr', async () => {
    const stale = s.instances[0].last_applied_hash;
    s.instances[0].last_applied_hash = 'ef'.repeat(64);
    // The worker applies it once the hook has looked once.
    const timer = setInterval(() => {
      if (s.seenAuth.length === 0) return;
      s.instances[0].last_applied_hash = stale;
      clearInterval(timer);
    }, 10);
    const res = await runHook('10');
    expect(res).toMatchObject({ code: 0, out: '' });
    expect(res.err).toContain(`not yet (1 finding(s)); checking again in ${INTERVAL} s`);
    expect(res.err + res.out).not.toContain(TOKEN);
  });

  test('a blueprint in error until the wait ends: exit 1 (the sync fails), the finding with the task messages', async () => {
    s.instances[1].status = 'error';
    s.taskLogs = new Map([[s.instances[1].path, [['error', 'entry invalid: no flow default-authentication-flow']]]]);
    const res = await runHook('0.2');
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/found status error \(apply task: entry invalid: no flow default-authentication-flow\)/);
  });

  test('Authentik unreachable for the whole wait: exit 2, one error line after the progress', async () => {
    s.status = 401;
    const res = await runHook('0.2');
    expect(res.code).toBe(2);
    expect(res.err.trim().split('\n').at(-1)).toMatch(/^verify error: .*401/);
  });
});
