// Snapshots live in the top-level __snapshots__/ directory (the project card's layout), named by
// the test file's base name. Test files sit in folders by behaviour, and their base names stay
// unique (test/docs/test-layout.test.ts), so a name finds its file.
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');

/** Base name -> path of every test file under test/ (walked once, on the first look-up). */
let byName;
function testFiles() {
  if (byName) return byName;
  byName = new Map();
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts')) byName.set(e.name, p);
    }
  };
  walk(path.join(root, 'test'));
  return byName;
}

module.exports = {
  resolveSnapshotPath: (testPath, ext) => path.join(root, '__snapshots__', path.basename(testPath) + ext),
  resolveTestPath: (snapPath, ext) => {
    const name = path.basename(snapPath).slice(0, -ext.length);
    return testFiles().get(name) ?? path.join(root, 'test', name);
  },
  testPathForConsistencyCheck: path.join(root, 'test', 'example.test.ts'),
};
