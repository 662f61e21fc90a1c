#!/usr/bin/env node
// The in-cluster edge calls Authentik's server Service by name and port, which the Authentik chart
// creates (not this project). This holds the synthesized edge against what the real chart renders
// with the synthesized values: the forwardAuth address of every owned Middleware and the backend of
// Authentik's own route must name the chart's server Service and its http port.
// CI only: nothing under lib/ or test/ imports this.
//
// Usage: node .ci/edge-authentik-service.cjs <helm template output.yaml> <dist dir> <authentik namespace>
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const yaml = require('js-yaml');

function main([chartFile, dist, namespace]) {
  if (!chartFile || !dist || !namespace) {
    console.error('usage: node .ci/edge-authentik-service.cjs <helm template output.yaml> <dist dir> <authentik namespace>');
    return 1;
  }
  const docs = (file) => yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d && typeof d === 'object');
  // The server Service: the chart labels it component=server and gives it a port named http.
  const services = docs(chartFile).filter(
    (d) =>
      d.kind === 'Service' &&
      d.metadata?.labels?.['app.kubernetes.io/component'] === 'server' &&
      (d.spec?.ports ?? []).some((p) => p.name === 'http'),
  );
  if (services.length !== 1) {
    console.error(`edge-authentik-service: expected one server Service with an http port in ${chartFile}, found ${services.length}`);
    return 1;
  }
  const svc = services[0];
  const port = svc.spec.ports.find((p) => p.name === 'http').port;
  const want = `http://${svc.metadata.name}.${namespace}.svc.cluster.local:${port}/outpost.goauthentik.io/auth/traefik`;

  const edgeDir = path.join(dist, 'edge');
  const objects = fs
    .readdirSync(edgeDir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => docs(path.join(edgeDir, f)).map((d) => ({ f, d })));
  const errors = [];
  const forwardAuth = objects.filter(({ d }) => d.kind === 'Middleware' && d.spec?.forwardAuth);
  for (const { f, d } of forwardAuth) {
    if (d.spec.forwardAuth.address !== want)
      errors.push(`${f}: forwardAuth address ${d.spec.forwardAuth.address}, but the chart's server Service is ${want}`);
  }
  const own = objects.find(({ d }) => d.metadata?.namespace === namespace && d.metadata?.name === 'authentik' && /Route$/.test(d.kind));
  if (!own) errors.push(`no route object authentik in ${namespace}`);
  else {
    const refs =
      own.d.kind === 'IngressRoute' ? own.d.spec.routes.flatMap((r) => r.services) : own.d.spec.rules.flatMap((r) => r.backendRefs);
    for (const b of refs) {
      if (b.name !== svc.metadata.name || b.port !== port)
        errors.push(
          `${own.f}: Authentik's route sends to ${b.name}:${b.port}, but the chart's server Service is ${svc.metadata.name}:${port}`,
        );
    }
  }
  for (const e of errors) console.error(e);
  const summary = `edge-authentik-service: ${forwardAuth.length} forwardAuth Middleware(s) and Authentik's route against Service ${svc.metadata.name}:${port}: ${errors.length} error(s)`;
  (errors.length ? console.error : console.log)(summary);
  return errors.length || forwardAuth.length === 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
