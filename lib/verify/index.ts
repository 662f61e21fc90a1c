// `npm run verify`: does the live Authentik run what the output says? Blueprint instances (applied,
// successful, at the file's hash) and each issuer's discovery and keys, read through a Source (the
// live API or saved responses), so tests and bug reports run the very same comparison.
import type { Expected } from './expected';
import { blueprintInstances } from './api';
import { blueprintFindings, issuerFindings } from './checks';
import type { Finding } from './format';
import { objectFindings } from './objects';
import { outpostFindings } from './outpost';
import type { Source } from './source';

export interface VerifyInput {
  expected: Expected;
  get: Source;
  /** Authentik's API base (--url). */
  base: URL;
}

/** Every finding: blueprints, then objects (and tombstones), the embedded outpost, then issuers in the model's order. */
export async function verify({ expected, get, base }: VerifyInput): Promise<Finding[]> {
  const instances = await blueprintInstances(get, base, expected.minor);
  const findings = blueprintFindings(expected.blueprints, instances);
  findings.push(...(await objectFindings(get, base, expected.objects)));
  findings.push(...(await outpostFindings(get, base, expected.outpostProviders)));
  for (const iss of expected.issuers) findings.push(...(await issuerFindings(get, iss)));
  return findings;
}
