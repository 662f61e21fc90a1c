#!/usr/bin/env node
// CI only: Authentik's own blueprints (every YAML file under blueprints/ of the pinned release)
// are read completely by the tool's reader (lib/previous/hand-written.ts with the tag schema of
// lib/upstream/blueprint-tags.ts), the one the fail-closed baseline uses: a tag the reader did not know
// would make a real layer unreadable (docs/ownership-and-baseline.md).
//
//   node .ci/blueprint-tags.cjs <authentik-src>/blueprints
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const [dir] = process.argv.slice(2);
const out = esbuild.buildSync({
  entryPoints: [path.join(__dirname, '..', 'lib/previous/hand-written.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'warning',
});
const mod = { exports: {} };
new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, require);
const { readHandWrittenLayer } = mod.exports;

const tree = new Map();
const visit = (d, prefix) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (e.isDirectory()) visit(path.join(d, e.name), `${prefix}${e.name}/`);
    else if (/\.ya?ml$/.test(e.name)) tree.set(`${prefix}${e.name}`, fs.readFileSync(path.join(d, e.name), 'utf8'));
  }
};
visit(dir, '');
const layer = readHandWrittenLayer(tree);
const tags = new Set([...tree.values()].flatMap((t) => [...t.matchAll(/(?<=^|[\s[,:])!([A-Z][A-Za-z]+)/gm)].map((m) => `!${m[1]}`)));
for (const u of layer.unreadable) console.error(`blueprint-tags: ${path.join(dir, u.file)}: ${u.message}`);
if (layer.unreadable.length || layer.blueprints.length === 0) process.exit(1);
console.log(
  `blueprint-tags: ${layer.blueprints.length} of Authentik's blueprints read completely; tags used: ${[...tags].sort().join(' ')}`,
);
