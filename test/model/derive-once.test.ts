// The model is derived once per config: parseConfig derives it to check the derived names, and the
// construct that renders the same config takes that model (lib/model/derive-once.ts). A config
// edited after parsing is derived anew, never rendered from the model of what it was.
import * as deriveModule from '../../lib/model/derive';
import { deriveOnce } from '../../lib/model/derive-once';
import { parseConfig } from '../../lib/rules/validate';
import { render } from '../../lib/output/render';
import type { ClusterConfig } from '../../lib/config/schema';
import { defaultInput } from '../support/helpers';

// derive() counted where every module calls it (its export cannot be spied on in place).
jest.mock('../../lib/model/derive', () => {
  const actual = jest.requireActual<typeof import('../../lib/model/derive')>('../../lib/model/derive');
  return { ...actual, derive: jest.fn(actual.derive) };
});

describe('deriveOnce', () => {
  const spy = deriveModule.derive as jest.MockedFunction<typeof deriveModule.derive>;
  beforeEach(() => spy.mockClear());

  test('parseConfig then render derives the model once, and it is the one derive() gives', () => {
    const config = parseConfig(defaultInput());
    const { model } = render(config);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(model).toEqual(deriveModule.derive(config));
    // The same config, unchanged: the same model object again.
    expect(render(config).model).toBe(model);
    expect(spy).toHaveBeenCalledTimes(2); // the toEqual's own derive() above only
  });

  test('a config edited after parsing is derived anew', () => {
    const config = parseConfig(defaultInput());
    const before = deriveOnce(config);
    config.cluster.name = 'edited';
    const { model } = render(config);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(model).not.toBe(before);
    expect(model.clusterName).toBe('edited');
    expect(model).toEqual(deriveModule.derive(config));
  });

  test('a key set to undefined is an edit too', () => {
    const config = parseConfig(defaultInput());
    const before = deriveOnce(config);
    expect(config.talos).toBeDefined();
    (config as { talos?: ClusterConfig['talos'] }).talos = undefined;
    const after = deriveOnce(config);
    expect(after).not.toBe(before);
    expect(after).toEqual(deriveModule.derive(config));
  });

  test('another git path is another config: its own model', () => {
    const config = parseConfig(defaultInput());
    const { model } = render(config, { gitPath: 'clusters/frank/auth' });
    expect(model).not.toBe(deriveOnce(config));
    expect(model.git.path).toBe('clusters/frank/auth');
  });
});
