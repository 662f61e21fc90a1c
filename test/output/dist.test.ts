// The committed dist/ must be exactly what a fresh synth of the default config produces, with the
// committed dist/ as the previous output (as `npm run synth` and `npm run check` read it).
import path from 'node:path';
import { compareTree } from '../../lib/output/write';
import { legacyBindings } from '../../lib/previous/legacy-bindings';
import { parseConfig } from '../../lib/rules/validate';
import { render } from '../../lib/output/render';
import { ROOT, defaultInput } from '../support/helpers';

test('committed dist/ equals a fresh synth', () => {
  const dist = path.join(ROOT, 'dist');
  const drift = compareTree(dist, render(parseConfig(defaultInput()), { legacyBindings: legacyBindings(dist) }).files);
  expect(drift).toEqual({ changed: [], missing: [], extra: [] });
});
