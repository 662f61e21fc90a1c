// Jest's globalSetup and globalTeardown (jest.config.cjs): every temporary directory a test run
// makes (mkdtemp under os.tmpdir(), in the tests and in the processes they start) lands in one
// directory of the run's own, removed when the run ends. Not every test removes what it makes, and
// a run left about 170 directories behind in /tmp.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const KEY = 'UA_TEST_TMPDIR';

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ua-test-run-'));
  process.env[KEY] = dir;
  // os.tmpdir() reads TMPDIR on each call; the workers and every process they start inherit it.
  process.env.TMPDIR = dir;
}

async function teardown() {
  const dir = process.env[KEY];
  if (dir && path.basename(dir).startsWith('ua-test-run-')) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { setup, teardown };
