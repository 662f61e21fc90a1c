#!/usr/bin/env node
// CI only: every metaapplyblueprint entry of the rendered blueprints that applies one of Authentik's
// own blueprints (by path) carries the condition `!Condition [NAND, !Find ...]`, and every `!Find`
// in it names an object that very file creates (by an identifier of one of its entries). Then
// the file applies on the install that creates those objects and is skipped after that, so no
// change of ours re-imports a default file over an operator's edits (docs/authentik-importer.md).
// A `!Find` of an object the file does not create would re-import it on every apply, or never.
//
//   node .ci/meta-apply-conditions.cjs <authentik blueprints dir> <dist/authentik-extras> [...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

// Any tag, of any node kind, read as { tag, data }: enough to see !Find and !Condition, and to
// read Authentik's own files, which use tags of their own (!KeyOf, !Context, !Format, ...).
const anyTag = (kind) => new yaml.Type('!', { kind, multi: true, construct: (data, tag) => ({ tag, data }) });
const SCHEMA = yaml.DEFAULT_SCHEMA.extend([anyTag('scalar'), anyTag('sequence'), anyTag('mapping')]);
const load = (text) => yaml.load(text, { schema: SCHEMA });

/** `model field=value` for every string identifier of every entry of an Authentik blueprint. */
function createdBy(file) {
  const doc = load(fs.readFileSync(file, 'utf8'));
  return new Set(
    (doc.entries || []).flatMap((e) =>
      Object.entries(e.identifiers || {})
        .filter(([, v]) => typeof v === 'string')
        .map(([k, v]) => `${e.model} ${k}=${v}`),
    ),
  );
}

/** The `model field=value` a `!Find [model, [field, value]]` names, or undefined for another shape. */
function findKey(f) {
  if (!f || f.tag !== '!Find' || !Array.isArray(f.data) || f.data.length !== 2) return undefined;
  const [model, [field, value]] = f.data;
  return `${model} ${field}=${value}`;
}

function entryProblems(where, e, blueprintsDir) {
  const target = ((e.attrs || {}).identifiers || {}).path;
  if (typeof target !== 'string') return { checked: 0, problems: [] };
  const file = path.join(blueprintsDir, target);
  if (!fs.existsSync(file)) return { checked: 1, problems: [`${where}: applies ${target}, which the release does not ship`] };
  const conditions = e.conditions || [];
  const cond = conditions.length === 1 ? conditions[0] : undefined;
  if (!cond || cond.tag !== '!Condition' || cond.data[0] !== 'NAND' || cond.data.length < 2)
    return { checked: 1, problems: [`${where}: applies ${target} without the condition !Condition [NAND, !Find ...]`] };
  const created = createdBy(file);
  const problems = cond.data.slice(1).flatMap((f) => {
    const key = findKey(f);
    if (key === undefined) return [`${where}: the condition on ${target} holds something other than a !Find [model, [field, value]]`];
    return created.has(key) ? [] : [`${where}: the condition on ${target} finds ${key}, which that file does not create`];
  });
  return { checked: 1, problems };
}

function main(argv) {
  if (argv.length < 2) {
    console.error('usage: node .ci/meta-apply-conditions.cjs <authentik blueprints dir> <dist/authentik-extras> [...]');
    return 2;
  }
  const [blueprintsDir, ...dirs] = argv;
  const problems = [];
  let checked = 0;
  for (const dir of dirs) {
    for (const f of fs.readdirSync(dir).filter((x) => x.startsWith('configmap-') && x.endsWith('.yaml'))) {
      const cm = yaml.load(fs.readFileSync(path.join(dir, f), 'utf8'));
      for (const [key, text] of Object.entries(cm.data || {})) {
        const entries = (load(text) || {}).entries || [];
        entries.forEach((e, i) => {
          if (e.model !== 'authentik_blueprints.metaapplyblueprint') return;
          const r = entryProblems(`${f} ${key} entry ${i}`, e, blueprintsDir);
          checked += r.checked;
          problems.push(...r.problems);
        });
      }
    }
  }
  if (!checked) problems.push('no metaapplyblueprint entry of an Authentik blueprint found (the rendering changed?)');
  for (const p of problems) console.error(`meta-apply-conditions: ${p}`);
  console.log(`meta-apply-conditions: ${checked} meta-applies of Authentik's own blueprints checked, ${problems.length} problems`);
  return problems.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
