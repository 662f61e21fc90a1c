// The starter config as text: YAML (with the schema line editors read) or TypeScript (typed by the
// exported ClusterConfigInput, so the editor completes and checks it).
import { toCommentedYaml } from '../base/commented-yaml';
import { starterConfig, starterServices, type StarterInput } from './starter';

export type InitFormat = 'yaml' | 'ts';

const header = (s: StarterInput): string[] => [
  `The auth layer of the cluster ${s.name} (${s.domain}), written by npm run init.`,
  'Review every value marked REVIEW, then npm run synth. Reference: docs/getting-started.md.',
];

/** YAML: the schema line first (a path relative to the config file), commented-out services last. */
function yamlText(s: StarterInput, schemaRef: string): string {
  const { config, comments } = starterConfig(s);
  const services = starterServices(s.domain);
  const on = services.filter((x) => x.enabled);
  on.forEach((x, i) => comments.set(`services[${i}]`, x.comment));
  const body = toCommentedYaml({ ...config, services: on.map((x) => x.service) }, comments, header(s));
  const off = services
    .filter((x) => !x.enabled)
    .flatMap((x) => {
      // The same YAML as an entry of the list, commented out (drop the `l:` line).
      const lines = toCommentedYaml({ l: [x.service] }, new Map(), [])
        .trimEnd()
        .split('\n')
        .slice(1);
      return [`  # ${x.comment}`, ...lines.map((l) => `  # ${l.slice(2)}`)];
    });
  return `# yaml-language-server: $schema=${schemaRef}\n${body}${off.join('\n')}\n`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const tsString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A value as a TypeScript literal, on one line. */
function tsInline(v: unknown): string {
  if (typeof v === 'string') return tsString(v);
  if (Array.isArray(v)) return `[${v.map(tsInline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    if (!entries.length) return '{}';
    return `{ ${entries.map(([k, x]) => `${IDENT.test(k) ? k : tsString(k)}: ${tsInline(x)}`).join(', ')} }`;
  }
  return String(v);
}

/** TypeScript: one line per top-level key (and per group and service), comments above. */
function tsText(s: StarterInput, typesImport: string): string {
  const { config, comments } = starterConfig(s);
  const lines = [
    ...header(s).map((h) => `// ${h}`),
    `import type { ClusterConfigInput } from '${typesImport}';`,
    '',
    'const config: ClusterConfigInput = {',
  ];
  // One line per key: the comments of its nested values go above it too.
  const comment = (key: string, pad: string) => {
    for (const [p, c] of comments) if (p === key || p.startsWith(`${key}.`)) lines.push(`${pad}// ${c}`);
  };
  for (const [k, v] of Object.entries(config)) {
    comment(k, '  ');
    if (Array.isArray(v)) lines.push(`  ${k}: [`, ...v.map((x) => `    ${tsInline(x)},`), '  ],');
    else lines.push(`  ${k}: ${tsInline(v)},`);
  }
  comment('services', '  ');
  lines.push('  services: [');
  for (const x of starterServices(s.domain)) lines.push(`    // ${x.comment}`, `    ${x.enabled ? '' : '// '}${tsInline(x.service)},`);
  lines.push('  ],', '};', '', 'export default config;');
  return `${lines.join('\n')}\n`;
}

/** The starter config's text; `ref` is the schema (YAML) or the types module (TypeScript), relative to the file. */
export const starterText = (format: InitFormat, s: StarterInput, ref: string): string =>
  format === 'yaml' ? yamlText(s, ref) : tsText(s, ref);
