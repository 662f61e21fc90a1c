// Reading a layer for import (lib/import/read.ts, lib/import/groups.ts) on fixtures of our own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { readImportDirs } from '../../lib/import/read';
import { importLayer } from '../../lib/import/cli';
import { writeLayer } from '../support/helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-read-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const layer = (name: string, files: Record<string, string>): string => writeLayer(tmp, name, files);

const GROUP = (name: string) =>
  `version: 1\nmetadata: {name: bp-${name.length}}\nentries:\n  - model: authentik_core.group\n    identifiers: {name: ${name}}\n`;

test('a kustomization without apiVersion (kustomize defaults it) is read, its generator names the ConfigMap', () => {
  const dir = layer('kust', {
    'kustomization.yml': 'kind: Kustomization\nconfigMapGenerator:\n  - name: auth-bps\n    files:\n      - ./bps/lab.yaml\n',
    'bps/lab.yaml': GROUP('lab'),
  });
  const l = readImportDirs([dir]);
  expect(l.objects.map((o) => o.doc.kind)).toEqual(['Kustomization']);
  expect(l.blueprints.map((b) => b.configMap)).toEqual(['auth-bps']);
});

test('a kind other than Kustomization without apiVersion is still refused', () => {
  const dir = layer('kust-bad', { 'kustomization.yml': 'kind: ConfigMap\ndata: {}\n', 'lab.yaml': GROUP('lab') });
  expect(() => readImportDirs([dir])).toThrow(/kustomization\.yml: document 1 is YAML but not a blueprint/);
});

test('a group declared by several blueprints (one Authentik object) is one group in the draft', () => {
  const dir = layer('dup', { 'a.yaml': GROUP('lab'), 'b.yaml': GROUP('lab').replace('bp-3', 'bp-other') });
  const groups = importLayer([dir], path.join(tmp, 'dup.yaml'), { authentikVersion: '2026.2.3' }).draft.config.groups as Array<{
    name: string;
  }>;
  expect(groups.map((g) => g.name)).toEqual(['lab']);
});

test("an application's icon is not reported unknown (core/api/applications.py ApplicationSerializer.__init__ adds it in blueprint context)", () => {
  const dir = layer('icon', {
    'app.yaml':
      'version: 1\nmetadata: {name: icon}\nentries:\n  - model: authentik_core.application\n    identifiers: {slug: wiki}\n    attrs: {name: Wiki, icon: "https://icons.example.org/wiki.png", iconn: x}\n',
  });
  const notes = importLayer([dir], path.join(tmp, 'icon.yaml'), { authentikVersion: '2026.2.3' }).draft.notes.filter((n) =>
    n.includes('unknown field'),
  );
  expect(notes).toEqual([expect.stringMatching(/field iconn: unknown field/)]);
});

test('a draft never holds `blueprints: null` nor an empty blueprint name', () => {
  const noName = 'version: 1\nentries:\n  - model: authentik_core.group\n    identifiers: {name: lab}\n';
  const dir = layer('nameless', {
    'kustomization.yaml': 'kind: Kustomization\nconfigMapGenerator:\n  - name: auth-bps\n    files: [./a.yaml, ./b.yaml]\n',
    'a.yaml': noName,
    'b.yaml':
      'version: 1\nmetadata: {name: gone}\nentries:\n  - model: authentik_core.group\n    state: absent\n    identifiers: {name: old}\n',
  });
  const r = importLayer([dir], path.join(tmp, 'nameless.yaml'), { authentikVersion: '2026.2.3' });
  expect(r.text).not.toMatch(/name: ''/);
  expect(r.problems).toEqual([]);
  // a.yaml (the groups) shares b.yaml's ConfigMap, so it has no override: left out, not null.
  expect((yaml.load(r.text) as any).authentik.blueprints).toEqual({
    retired: { name: 'gone', configMapName: 'auth-bps', fileName: 'b.yaml' },
  });
  // Alone, the nameless blueprint is named after its file.
  const alone = layer('nameless-alone', { 'a.yaml': noName });
  const r2 = importLayer([alone], path.join(tmp, 'alone.yaml'), { authentikVersion: '2026.2.3' });
  expect((r2.draft.config.authentik as any).blueprints).toEqual({ groups: { name: 'a', configMapName: 'a' } });
  expect(r2.problems).toEqual([]);
});
