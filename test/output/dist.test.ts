// The committed dist/ must be exactly what a fresh synth of the default config produces, with the
// committed dist/ as the previous output (as `npm run synth` and `npm run check` read it).
import path from 'node:path';
import { compareTree } from '../../lib/output';
import { legacyBindings } from '../../lib/blueprints/legacy';
import { parseConfig } from '../../lib/config/validate';
import { render } from '../../lib/synth';
import { ROOT, defaultInput } from '../support/helpers';

test('committed dist/ equals a fresh synth', () => {
  const dist = path.join(ROOT, 'dist');
  const drift = compareTree(dist, render(parseConfig(defaultInput()), { legacyBindings: legacyBindings(dist) }).files);
  expect(drift).toEqual({ changed: [], missing: [], extra: [] });
});
