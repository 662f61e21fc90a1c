// Jest globalTeardown: see ./tmp-dir.cjs.
module.exports = require('./tmp-dir.cjs').teardown;
