#!/usr/bin/env node
// Prints the official blueprint JSON schema in <upstream dir> closest to an Authentik release, and
// says on stderr which one it picked and why: the same minor is required, then the nearest patch
// (an -rcN counts as patch 0 of its minor), the older one on a tie. CI only.
// Usage: node .ci/closest-blueprint-schema.cjs <upstream dir> <authentik version>
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const FILE = /^authentik-blueprint-schema-(\d+)\.(\d+)\.(\d+)(-rc\d+)?\.json$/;

function closest(dir, version) {
  const [major, minor, patch] = version.split('.').map(Number);
  const candidates = fs
    .readdirSync(dir)
    .map((f) => [f, FILE.exec(f)])
    .filter(([, m]) => m && Number(m[1]) === major && Number(m[2]) === minor)
    .map(([f, m]) => ({ file: f, patch: Number(m[3]), rc: Boolean(m[4]) }))
    .sort((a, b) => Math.abs(a.patch - patch) - Math.abs(b.patch - patch) || a.patch - b.patch);
  return candidates[0];
}

function main([dir, version]) {
  if (!dir || !version) {
    console.error('usage: node .ci/closest-blueprint-schema.cjs <upstream dir> <authentik version>');
    return 2;
  }
  const found = closest(dir, version);
  if (!found) {
    console.error(`closest-blueprint-schema: no blueprint schema of Authentik ${version.split('.').slice(0, 2).join('.')} in ${dir}`);
    return 1;
  }
  const exact = found.file === `authentik-blueprint-schema-${version}.json`;
  console.error(
    `closest-blueprint-schema: Authentik ${version} -> ${found.file}${exact ? ' (exact release)' : ` (nearest of its minor${found.rc ? ', a release candidate' : ''})`}`,
  );
  console.log(path.join(dir, found.file));
  return 0;
}

module.exports = { closest };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
