#!/usr/bin/env bash
# The construct package installed the way a cdk8s user installs it: `npm pack` (only the files a
# consumer needs), then a fresh app laid out as `cdk8s init typescript-app` lays one out, which
# installs the tarball and runs the stock `cdk8s synth` (ts-node, type-checked against the
# package's declarations), then type-checks the whole app as the template's `compile` does. Its Kubernetes objects, parsed, must be those `npm run synth` committed
# to dist/ for the same config. `cdk8s init` itself needs the network for `cdk8s import`, so the
# template's files are written here. Uses the npm registry. Usage: bash .ci/construct-package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# `prepack` builds lib-dist/ first (npm run build:lib), so a tarball never holds a stale build.
npm pack --silent --json --pack-destination "$work" > "$work/pack.json"
node .ci/construct-package.cjs files "$work/pack.json"
tarball="$work/$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].filename)' "$work/pack.json")"

app="$work/app"
mkdir -p "$app"
# package.json: the template's dependencies (cdk8s, cdk8s-plus-28, constructs; ts-node, typescript,
# cdk8s-cli, @types/node), at the versions this project pins, plus the packed tarball (which
# brings no dependency of its own: those three are its peers).
node -e '
  const [root, tarball, out] = process.argv.slice(1);
  const dev = require(root + "/package.json").devDependencies;
  const pick = (names) => Object.fromEntries(names.map((n) => [n, dev[n]]));
  const pkg = {
    name: "fresh-cdk8s-app", version: "1.0.0", private: true, license: "Apache-2.0",
    scripts: { synth: "cdk8s synth", compile: "tsc --build" },
    dependencies: { ...pick(["cdk8s", "cdk8s-plus-28", "constructs"]), "unified-auth": "file:" + tarball },
    devDependencies: pick(["@types/node", "cdk8s-cli", "ts-node", "typescript"]),
  };
  require("fs").writeFileSync(out, JSON.stringify(pkg, null, 2) + "\n");
' "$root" "$tarball" "$app/package.json"
# cdk8s.yaml as the template has it, without `imports` (main.ts uses no imported API).
printf 'language: typescript\napp: npx ts-node main.ts\n' > "$app/cdk8s.yaml"
# The template's tsconfig.json (cdk8s-team/cdk8s-cli, templates/typescript-app/tsconfig.json):
# CommonJS, lib es2016, strict, no esModuleInterop.
cat > "$app/tsconfig.json" <<'EOF'
{
  "compilerOptions": {
    "alwaysStrict": true,
    "declaration": true,
    "experimentalDecorators": true,
    "inlineSourceMap": true,
    "inlineSources": true,
    "lib": ["es2016"],
    "module": "CommonJS",
    "noEmit": false,
    "noEmitOnError": true,
    "noFallthroughCasesInSwitch": true,
    "noImplicitAny": true,
    "noImplicitReturns": true,
    "noImplicitThis": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "resolveJsonModule": true,
    "strict": true,
    "strictNullChecks": true,
    "strictPropertyInitialization": true,
    "stripInternal": true,
    "target": "ES2017"
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules"]
}
EOF
# The default config, typed by the package instead of the repository's source.
sed "s#'../lib/config/schema'#'unified-auth'#" config/frank.ts > "$app/cluster.ts"
cat > "$app/main.ts" <<'EOF'
import { App, Chart } from 'cdk8s';
import { UnifiedAuth, legacyBindings, parseConfig } from 'unified-auth';
import { frank } from './cluster';

const app = new App();
const chart = new Chart(app, 'unified-auth');
// The output this one replaces, as `npm run synth` reads it: its older group bindings are deleted.
const previous = process.env.PREVIOUS_OUTPUT;
new UnifiedAuth(chart, 'auth', { config: parseConfig(frank), ...(previous ? { legacyBindings: legacyBindings(previous) } : {}) });
app.synth();
EOF

( cd "$app"
  npm install --no-audit --no-fund --loglevel=error
  # The stock synth; the upgrade check is a network call to the public registry, not part of it.
  PREVIOUS_OUTPUT="$root/dist" npx cdk8s synth --no-check-upgrade
  # The template's `npm run compile`: the whole app, declarations of node_modules included.
  npx tsc --noEmit -p . )
echo "construct-package: the app type-checks with the template's tsconfig.json"
node .ci/construct-package.cjs objects dist "$app/dist"
