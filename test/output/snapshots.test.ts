// Snapshots of the clusters dist/ does not pin. The default cluster's output is dist/ itself
// (dist.test.ts and `npm run check` compare it byte for byte), so snapshotting it again would
// make every change reviewed twice. These cover the other fixtures instead: the second cluster
// (docs/getting-started.md's --config example) and edge-cases.yaml, with every option on. Reviewers read the
// diffs in __snapshots__/snapshots.test.ts.snap. The in-cluster edge fixtures add their edge objects.
import fs from 'node:fs';
import path from 'node:path';
import { listTree } from '../../lib/readback/tree';
import { OUTPUT } from '../../lib/base/paths';
import { ROOT, loadYamlFile, renderInput } from '../support/helpers';

const FIXTURES = ['other-cluster.yaml', 'edge-cases.yaml'];
const distTexts = new Set(listTree(path.join(ROOT, 'dist')).map((p) => fs.readFileSync(path.join(ROOT, 'dist', p), 'utf8')));

describe.each(FIXTURES)('%s', (fixture) => {
  const r = renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures', fixture)));

  // A file byte-identical to one in dist/ (the other cluster's authentik Namespace) is pinned there.
  const own = r.files.filter((f) => !distTexts.has(f.text));

  test('every other file differs from the default cluster', () => expect(own.length).toBeGreaterThan(r.files.length - 2));

  test.each(own.map((f) => [f.path, f.text]))('%s', (_path, text) => expect(text).toMatchSnapshot());
});

// The in-cluster edge modes' objects (dist/edge/ of a cluster with edge.mode traefik-crd or
// gateway-api): no other snapshot or dist/ file holds them. The rest of those fixtures' output is
// the same kind of file the two clusters above already show.
describe.each(['edge-traefik-crd.yaml', 'edge-gateway-api.yaml'])('%s', (fixture) => {
  const r = renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures', fixture)));
  const edge = r.files.filter((f) => f.path.startsWith(`${OUTPUT.edgeDir}/`) || f.path === `${OUTPUT.appsDir}/application-edge.yaml`);

  test('has edge objects and the edge Application', () => expect(edge.length).toBeGreaterThan(2));

  test.each(edge.map((f) => [f.path, f.text]))('%s', (_path, text) => expect(text).toMatchSnapshot());
});

test('edge-cases.yaml reaches the rare forms it exists for', () => {
  const r = renderInput(loadYamlFile(path.join(ROOT, 'test/fixtures/edge-cases.yaml')));
  const text = (p: string) => r.files.find((f) => f.path === p)?.text ?? '';
  expect(text('authentik-extras/ciliumloadbalancerippool-idp-server-lb.yaml')).toMatch(/^ {2}cidrs:$/m);
  expect(text('authentik-extras/service-idp-server-lb.yaml')).toContain('io.cilium/lb-ipam-ips: 172.16.5.3');
  expect(text('talos/apiserver-oidc.yaml')).toContain('kind: KubeAuthenticationConfig');
  expect(text('talos/omni-configpatch-apiserver-oidc.yaml')).toContain('edge-prod-control-planes');
  expect(text('kubeconfig/agent.yaml')).toContain('AGENT_2ND_AUDITOR_CLIENT_SECRET');
  expect(text('authentik-extras/configmap-authentik-blueprint-retired.yaml')).toContain('old-sso');
  expect(text('authentik-extras/configmap-authentik-blueprint-proxy-providers.yaml')).not.toMatch(/providers:\s*\n\s*- !KeyOf/);
  expect(text('authentik-extras/configmap-authentik-blueprint-oidc-providers-5.yaml')).toContain('http://localhost:8085/auth/callback');
});
