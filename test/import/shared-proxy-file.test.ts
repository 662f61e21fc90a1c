// A hand-written layer with several forward-auth services in one blueprint file
// (test/fixtures/shared-proxy-layer): adoption keeps that file. Authentik keys a blueprint
// instance by its file path (authentik/blueprints/v1/tasks.py blueprints_discovery ->
// check_blueprint_v1_file looks the instance up by path), so moving the entries elsewhere would
// leave the old instance behind; the services share the adopted blueprint instead.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importLayer } from '../../lib/import/cli';
import { parseConfig } from '../../lib/rules/validate';
import { derive } from '../../lib/model/derive';
import { buildBlueprints } from '../../lib/blueprints/build';
import { MODEL } from '../../lib/upstream/authentik-models';
import { doc, renderInput } from '../support/helpers';

const FIXTURE = path.join(__dirname, '../fixtures/shared-proxy-layer');
const OLD_FILE = { name: 'Proxy Providers on old.example.net', configMapName: 'lab-proxy-old', fileName: 'proxy-old.yaml' };

type Svc = { slug: string; forwardAuth?: { blueprint?: typeof OLD_FILE } };

describe('two forward-auth services in one hand-written blueprint file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-shared-proxy-'));
  const r = importLayer([FIXTURE], path.join(dir, 'cluster.yaml'), { authentikVersion: '2026.2.1' });
  const services = r.draft.config.services as Svc[];

  test('the draft names the shared file for both, validates, and the guards and plan find nothing', () => {
    expect(services.filter((s) => s.forwardAuth?.blueprint).map((s) => [s.slug, s.forwardAuth!.blueprint])).toEqual([
      ['alpha', OLD_FILE],
      ['beta', OLD_FILE],
    ]);
    expect(r.problems).toEqual([]);
    expect(r.findings).toEqual([]);
  });

  test('both services are rendered into that one file, in config order, with the providers they had', () => {
    const files = buildBlueprints(derive(r.adopted!.config)).filter((b) => b.configMapName === OLD_FILE.configMapName);
    expect(files.map((b) => [b.name, b.fileName])).toEqual([[OLD_FILE.name, OLD_FILE.fileName]]);
    const entries = files[0].entries;
    expect(entries.filter((e) => e.model === MODEL.proxyProvider).map((e) => e.identifiers.name)).toEqual(['Alpha', 'Beta']);
    // (Beside each: the absent `<slug>-forward-auth` handover entry every forward-auth service has.)
    const apps = entries.filter((e) => e.model === MODEL.application && e.state !== 'absent');
    expect(apps.map((e) => e.identifiers.slug)).toEqual(['alpha', 'beta']);
  });

  test('the shared ConfigMap is written and mounted once', () => {
    const r2 = renderInput(r.adopted!.config);
    expect(r2.files.filter((f) => f.path.endsWith(`-${OLD_FILE.configMapName}.yaml`)).map((f) => f.path)).toHaveLength(1);
    const values = doc(r2, 'values/authentik.yaml') as { blueprints: { configMaps: string[] } };
    expect(values.blueprints.configMaps.filter((n) => n === OLD_FILE.configMapName)).toEqual([OLD_FILE.configMapName]);
  });

  test('a file shared only in part (same blueprint name, another ConfigMap) is still two claims on one name', () => {
    const config = structuredClone(r.draft.config) as { services: Svc[] };
    config.services.find((s) => s.slug === 'beta')!.forwardAuth!.blueprint = { ...OLD_FILE, configMapName: 'lab-proxy-other' };
    expect(() => parseConfig(config)).toThrow(/forwardAuth\.blueprint: blueprint name "Proxy Providers on old\.example\.net" is already/);
  });
});
