// Snapshots live in the top-level __snapshots__/ directory (the project card's layout).
const path = require('path');
const root = path.resolve(__dirname, '..');
module.exports = {
  resolveSnapshotPath: (testPath, ext) => path.join(root, '__snapshots__', path.basename(testPath) + ext),
  resolveTestPath: (snapPath, ext) => path.join(root, 'test', path.basename(snapPath).slice(0, -ext.length)),
  testPathForConsistencyCheck: path.join(root, 'test', 'example.test.ts'),
};
