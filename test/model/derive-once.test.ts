// The model is derived once per config: parseConfig derives it to check the derived names, and the
// construct that renders the same config takes that model (lib/model/derive-once.ts). A config
// edited after parsing is derived anew, never rendered from the model of what it was.
import { derive } from '../../lib/model/derive';
import { deriveOnce, derivedModel } from '../../lib/model/derive-once';
import { parseConfig } from '../../lib/rules/validate';
import { render } from '../../lib/output/render';
import type { ClusterConfig } from '../../lib/config/schema';
import { defaultInput } from '../support/helpers';

test('parseConfig derives the model once; render takes that model, the one derive() gives', () => {
  const config = parseConfig(defaultInput());
  const parsed = derivedModel(config);
  expect(parsed).toBeDefined();
  const { model, files } = render(config);
  expect(model).toBe(parsed);
  // Rendering left the shared model as derive() makes it, so a second render reads the same facts.
  expect(model).toEqual(derive(config));
  // The same config, unchanged: the same model object again, and the same files.
  const again = render(config);
  expect(again.model).toBe(parsed);
  expect(again.files).toEqual(files);
});

test('a config edited after parsing is derived anew', () => {
  const config = parseConfig(defaultInput());
  const before = derivedModel(config)!;
  config.cluster.name = 'edited';
  expect(derivedModel(config)).toBeUndefined();
  const { model } = render(config);
  expect(model).not.toBe(before);
  expect(model.clusterName).toBe('edited');
  expect(model).toEqual(derive(config));
  expect(derivedModel(config)).toBe(model);
});

test('a key set to undefined is an edit too', () => {
  const config = parseConfig(defaultInput());
  const before = deriveOnce(config);
  expect(config.talos).toBeDefined();
  (config as { talos?: ClusterConfig['talos'] }).talos = undefined;
  expect(derivedModel(config)).toBeUndefined();
  const after = deriveOnce(config);
  expect(after).not.toBe(before);
  expect(after).toEqual(derive(config));
});

test('another git path is another config: its own model', () => {
  const config = parseConfig(defaultInput());
  const { model } = render(config, { gitPath: 'clusters/frank/auth' });
  expect(model).not.toBe(derivedModel(config));
  expect(model.git.path).toBe('clusters/frank/auth');
});
