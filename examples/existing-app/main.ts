// An existing cdk8s app that adds the unified-auth layer to its own chart: its own objects and
// the auth layer's end up in one manifest, and the layer's output tree (the objects again, one per
// file, plus Helm values, Talos patch, Traefik config, docs) is written where the Applications
// read it. It imports the package by name, as an app that installed it does. See README.md here.
//
//   npm run example -- [cluster.yaml] [out-dir] [repository path of out-dir]
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { App, Chart, type ChartProps } from 'cdk8s';
import { Namespace } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { UnifiedAuth, parseConfig, runChecks, type ClusterConfig } from 'unified-auth';

/** Where the layer's output tree goes, under the app's output directory. */
export const LAYER_DIR = 'unified-auth';

export interface PlatformChartProps extends ChartProps {
  readonly authConfig: ClusterConfig;
  /**
   * The repository path the layer's output tree is committed at (UnifiedAuth `gitPath`).
   * @default the config's git.path
   */
  readonly authGitPath?: string;
}

/** The app's own chart: a monitoring namespace of its own, plus the auth layer. */
export class PlatformChart extends Chart {
  readonly auth: UnifiedAuth;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    new Namespace(this, 'monitoring', { metadata: { name: 'monitoring' } });
    this.auth = new UnifiedAuth(this, 'auth', {
      config: props.authConfig,
      ...(props.authGitPath === undefined ? {} : { gitPath: props.authGitPath }),
    });
  }
}

/**
 * Synthesize the app into `outdir`: cdk8s writes the chart's manifest, we write the layer's tree
 * under `<outdir>/unified-auth/`, which the repository holds at `<outdirInRepo>/unified-auth`.
 */
export function synthExample(configFile: string, outdir: string, outdirInRepo = outdir): PlatformChart {
  const config = parseConfig(yaml.load(fs.readFileSync(configFile, 'utf8')));
  const app = new App({ outdir });
  const authGitPath = path.posix.join(outdirInRepo.split(path.sep).join('/'), LAYER_DIR);
  const chart = new PlatformChart(app, 'platform', { authConfig: config, authGitPath, disableResourceNameHashes: true });
  const files = chart.auth.outputFiles();
  // The same checks `npm run synth` runs before it writes anything.
  runChecks({ model: chart.auth.model, blueprints: [...chart.auth.blueprints], passThrough: [...chart.auth.passThrough], files });
  app.synth();
  for (const f of files) {
    const target = path.join(outdir, LAYER_DIR, f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.text);
  }
  return chart;
}

if (require.main === module) {
  const [configFile = 'test/fixtures/other-cluster.yaml', outdir = 'build/example', outdirInRepo] = process.argv.slice(2);
  synthExample(configFile, outdir, outdirInRepo);
  console.log(`example: wrote ${outdir}/platform.k8s.yaml and ${outdir}/${LAYER_DIR}/`);
}
