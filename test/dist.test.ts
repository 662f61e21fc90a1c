// The committed dist/ must be exactly what a fresh synth of the default config produces.
import path from 'node:path';
import { compareTree } from '../lib/output';
import { ROOT, defaultInput, renderInput } from './helpers';

test('committed dist/ equals a fresh synth', () => {
  const drift = compareTree(path.join(ROOT, 'dist'), renderInput(defaultInput()).files);
  expect(drift).toEqual({ changed: [], missing: [], extra: [] });
});
