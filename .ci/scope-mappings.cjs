#!/usr/bin/env node
// CI only: every scope mapping the rendered blueprints find by `managed` is one Authentik's own
// system blueprints (blueprints/system/providers-oauth2.yaml and providers-proxy.yaml of the pinned
// release) create with that identifier. A typo would make the !Find resolve to nothing on the cluster.
//
//   node .ci/scope-mappings.cjs <system blueprint .yaml> [...] <dist/authentik-extras> [...]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const systems = args.filter((a) => a.endsWith('.yaml'));
const dirs = args.filter((a) => !a.endsWith('.yaml'));
const system = systems.map((s) => path.basename(s)).join(' or ');
const known = new Set(systems.flatMap((s) => [...fs.readFileSync(s, 'utf8').matchAll(/^\s+managed: (\S+)$/gm)].map((m) => m[1])));
const failures = [];
let seen = 0;
for (const dir of dirs) {
  for (const f of fs.readdirSync(dir).filter((x) => x.startsWith('configmap-'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    // !Find [authentik_providers_oauth2.scopemapping, [managed, <id>]] as rendered (block style).
    for (const m of text.matchAll(/- authentik_providers_oauth2\.scopemapping\n\s+- - (\S+)\n\s+- (\S+)/g)) {
      seen++;
      if (m[1] !== 'managed') failures.push(`${f}: a scope mapping is found by ${m[1]} ${m[2]}, not by its managed identifier`);
      else if (!known.has(m[2])) failures.push(`${f}: scope mapping managed "${m[2]}" is not created by ${system}`);
    }
  }
}
if (!seen) failures.push('no scope-mapping reference found in the blueprints (the pattern no longer matches the rendering?)');
for (const f of failures) console.error(`scope-mappings: ${f}`);
if (failures.length) process.exit(1);
console.log(`scope-mappings: ${seen} references, all to managed identifiers of ${system}`);
