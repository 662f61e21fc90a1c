// Jest globalSetup: see ./tmp-dir.cjs.
module.exports = require('./tmp-dir.cjs').setup;
