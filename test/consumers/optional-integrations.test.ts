// Cilium and Talos are optional: without their blocks the output has no Cilium annotation or
// objects and no Talos patch, every check still passes, and manual-operations.yaml says what is
// left to the operator, with the values read back from the rendered output.
import { runChecks } from '../../lib/checks';
import { OUTPUT, isTalosFile } from '../../lib/base/paths';
import { defaultInput, file, renderInput } from '../support/helpers';

const input = defaultInput();
delete input.cilium;
delete input.talos;
const r = renderInput(input);
type Op = { id: string; commands: string[]; verify: string[] };
const ops = file(r, OUTPUT.manualOperations).docs![0] as Op[];
const op = (id: string) => ops.find((o) => o.id === id);

test('every check passes', () => {
  expect(() => runChecks(r)).not.toThrow();
});

test('no Cilium: the Service requests no address and no Cilium object is written', () => {
  const svc = file(r, `${OUTPUT.extrasDir}/service-authentik-server-lb.yaml`).docs![0] as { metadata: { annotations?: object } };
  expect(svc.metadata.annotations).toBeUndefined();
  expect(r.files.filter((f) => /cilium/i.test(f.text) && f.path.startsWith(`${OUTPUT.extrasDir}/`))).toEqual([]);
  const lb = op('authentik-load-balancer-address')!;
  expect(lb.commands[0]).toContain(`assign ${r.model.authentik.loadBalancer.ip} to Service authentik/authentik-server-lb`);
});

test('no Talos: no patch, and the apiserver entry lists every issuer the kubeconfigs use', () => {
  expect(r.files.filter((f) => isTalosFile(f.path))).toEqual([]);
  expect(op('talos-apiserver-oidc')).toBeUndefined();
  const api = op('kube-apiserver-oidc')!;
  // The issuers and client ids are those the rendered kubeconfigs (agent and people) sign in with.
  const kubeconfigs = [file(r, OUTPUT.kubeconfig).text, file(r, OUTPUT.peopleKubeconfig).text].join('\n');
  const trusted = api.commands.flatMap((c) => /^trust issuer (\S+) with audience \(client id\) (\S+)/.exec(c)?.slice(1) ?? []);
  expect(trusted.length).toBe(2 * r.model.apiserverIssuers.length);
  for (const value of trusted) expect(kubeconfigs).toContain(value);
  // People still get their kubeconfig step.
  expect(op('people-kubeconfig-kubernetes')).toBeDefined();
});

test('with both blocks, none of these entries appear (the default cluster)', () => {
  const dflt = file(renderInput(defaultInput()), OUTPUT.manualOperations).docs![0] as Op[];
  expect(dflt.map((o) => o.id)).not.toEqual(expect.arrayContaining(['kube-apiserver-oidc']));
  expect(dflt.map((o) => o.id)).not.toEqual(expect.arrayContaining(['authentik-load-balancer-address']));
});
