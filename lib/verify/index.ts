// `npm run verify`: does the live Authentik run what the output says? Blueprint instances (applied,
// successful, at the file's hash) and each issuer's discovery and keys, read through a Source (the
// live API or saved responses), so tests and bug reports run the very same comparison.
import type { Expected } from './expected';
import { applyTaskMessages, blueprintInstances, type Instance } from './api';
import { blueprintFindings, issuerFindings } from './checks';
import type { Finding } from './format';
import { objectFindings } from './objects';
import { outpostFindings } from './outpost';
import { probeFindings, type ProbeOptions } from './probe';
import { VerifyError, type Source } from './source';

export interface VerifyInput {
  expected: Expected;
  get: Source;
  /** Authentik's API base (--url). */
  base: URL;
  /** --probe-hosts: probe each forward-auth host this way; undefined: no probes. */
  probe?: ProbeOptions;
}

/**
 * The apply task's messages of each expected instance in error. They only explain a finding, so a
 * task list verify cannot read (no permission, an old saved answer) is said in the finding instead.
 */
async function errorMessages({ expected, get, base }: VerifyInput, instances: ReadonlyArray<Instance>): Promise<Map<string, string[]>> {
  const paths = new Set(expected.blueprints.map((b) => b.path));
  const out = new Map<string, string[]>();
  for (const i of instances.filter((x) => x.status === 'error' && paths.has(x.path) && !out.has(x.path)))
    try {
      out.set(i.path, await applyTaskMessages(get, base, expected.minor, i.pk));
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
      out.set(i.path, [`its messages could not be read: ${e.message}`]);
    }
  return out;
}

/** The blueprint-status part alone (what lib/verify/python/blueprint_status.py checks in the cluster). */
export async function blueprintCheck(input: VerifyInput): Promise<Finding[]> {
  const instances = await blueprintInstances(input.get, input.base, input.expected.minor);
  return blueprintFindings(input.expected.blueprints, instances, await errorMessages(input, instances));
}

/** Every finding: blueprints, then objects (and tombstones), the embedded outpost, issuers in the model's order, then probed hosts. */
export async function verify(input: VerifyInput): Promise<Finding[]> {
  const { expected, get, base } = input;
  const findings = await blueprintCheck(input);
  findings.push(...(await objectFindings(get, base, expected.objects)));
  findings.push(...(await outpostFindings(get, base, expected.outpostProviders)));
  for (const iss of expected.issuers) findings.push(...(await issuerFindings(get, iss)));
  if (input.probe) findings.push(...(await probeFindings(expected.probeHosts, expected.authentikUrls, input.probe)));
  return findings;
}
