// An existing cdk8s app that adds the unified-auth layer to its own chart: its own objects and
// the auth layer's end up in one manifest, and the layer's other outputs (Helm values, Talos
// patch, Traefik config, docs) are written next to it. See README.md in this directory.
//
//   npm run example -- [cluster.yaml] [out-dir]
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { App, Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { KubeNamespace } from '../../imports/k8s';
import { UnifiedAuth, parseConfig, runChecks, type ClusterConfig } from '../../lib';

export interface PlatformChartProps extends ChartProps {
  readonly authConfig: ClusterConfig;
}

/** The app's own chart: a monitoring namespace of its own, plus the auth layer. */
export class PlatformChart extends Chart {
  readonly auth: UnifiedAuth;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, props);
    new KubeNamespace(this, 'monitoring', { metadata: { name: 'monitoring' } });
    this.auth = new UnifiedAuth(this, 'auth', { config: props.authConfig });
  }
}

/** Synthesize the app into `outdir`: cdk8s writes the chart's manifest, we write the rest. */
export function synthExample(configFile: string, outdir: string): PlatformChart {
  const config = parseConfig(yaml.load(fs.readFileSync(configFile, 'utf8')));
  const app = new App({ outdir });
  const chart = new PlatformChart(app, 'platform', { authConfig: config, disableResourceNameHashes: true });
  // The same checks `npm run synth` runs before it writes anything.
  runChecks({ model: chart.auth.model, blueprints: [...chart.auth.blueprints], files: chart.auth.outputFiles() });
  app.synth();
  for (const f of chart.auth.files) {
    const target = path.join(outdir, 'unified-auth', f.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.text);
  }
  return chart;
}

if (require.main === module) {
  const [configFile = 'test/fixtures/other-cluster.yaml', outdir = 'build/example'] = process.argv.slice(2);
  synthExample(configFile, outdir);
  console.log(`example: wrote ${outdir}/platform.k8s.yaml and ${outdir}/unified-auth/`);
}
