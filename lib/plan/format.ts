// The plan as text for a terminal, or as Markdown for a pull-request comment.
import type { ObjectChange } from '../guards/authentik-changes';
import type { KubernetesChange, ChangePlan } from './index';
import { isEmpty } from './index';
import { visibleControls } from '../base/messages';

export type PlanFormat = 'text' | 'markdown';

const objectLine = (c: ObjectChange) =>
  `${c.model} ${c.identity}${c.attributes ? `: ${c.attributes.join(', ')}` : ''} (${c.cascade ? `with ${c.cascade}` : c.blueprint})`;
const k8sLine = (o: KubernetesChange) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

interface Section {
  title: string;
  lines: Array<[sign: string, text: string]>;
}

function sections(p: ChangePlan): Section[] {
  const a = p.authentik;
  return [
    { title: 'Refused by Authentik as it stands (fix the config before syncing)', lines: a.conflicts.map((l) => ['!', l]) },
    { title: 'GitOps engine', lines: p.engine.map((l) => ['>', l]) },
    { title: 'Access', lines: p.access.map((l) => ['*', l]) },
    { title: 'Existing sessions after this narrowing (not ended by the change)', lines: p.sessions.map((l) => ['!', l]) },
    { title: 'What to expect', lines: p.firstInstall.map((l) => ['*', l]) },
    {
      title: 'Endpoints and trust',
      lines: [
        ...(p.endpoints.phase ? [['>', `domain move: ${p.endpoints.phase}`] as [string, string]] : []),
        ...p.endpoints.added.map((l): [string, string] => ['+', l]),
        ...p.endpoints.removed.map((l): [string, string] => ['-', l]),
      ],
    },
    {
      title: 'Authentik objects',
      lines: [
        ...a.created.map((c): [string, string] => ['+', objectLine(c)]),
        ...a.updated.map((c): [string, string] => ['~', objectLine(c)]),
        ...a.deleted.map((c): [string, string] => ['-', objectLine(c)]),
        ...a.replaced.map((c): [string, string] => ['>', `${objectLine(c)}: replaced by ${c.by} (access unchanged)`]),
        ...a.abandoned.map((c): [string, string] => ['!', `${objectLine(c)}: no longer managed, stays in Authentik`]),
      ],
    },
    {
      title: 'Secrets rotated',
      lines: a.rotated.map((r) => [
        '~',
        `${r.label}: marker ${r.from ?? '(none)'} -> ${r.to ?? '(none)'}; ${r.blueprint} re-applies and reads ${r.env.join(', ') || 'its !Env values'} again`,
      ]),
    },
    { title: 'Pods that restart, and copies that change (a rotated value is read at start)', lines: p.restarts.map((l) => ['~', l]) },
    { title: 'Blueprints the worker re-applies', lines: a.reapplied.map((f) => ['~', f]) },
    {
      title:
        'Blueprints that move (Authentik registers the new path only after its hourly cleanup removed the old instance; discovery fails until then)',
      lines: a.moved.map((m) => ['>', `${m.blueprint}: ${m.from} -> ${m.to}`]),
    },
    {
      title: 'Objects that move to another blueprint file (same identities: Authentik changes nothing, in any order of the files)',
      lines: a.regrouped.map((r) => ['>', `${r.from} -> ${r.to}: ${r.objects} object(s)`]),
    },
    {
      title: 'Kubernetes objects',
      lines: [
        ...p.kubernetes.added.map((o): [string, string] => ['+', k8sLine(o)]),
        ...p.kubernetes.changed.map((o): [string, string] => ['~', k8sLine(o)]),
        ...p.kubernetes.removed.map((o): [string, string] => ['-', k8sLine(o)]),
      ],
    },
    {
      title: 'Consumer files and docs',
      lines: [
        ...p.files.added.map((f): [string, string] => ['+', f]),
        ...p.files.changed.map((f): [string, string] => ['~', f]),
        ...p.files.removed.map((f): [string, string] => ['-', f]),
      ],
    },
  ].filter((s) => s.lines.length) as Section[];
}

function summary(p: ChangePlan): string {
  const a = p.authentik;
  return [
    `Authentik: ${a.created.length} to create, ${a.updated.length} to update, ${a.deleted.length} to delete${a.replaced.length ? `, ${a.replaced.length} group bindings replaced by access policies` : ''}`,
    `Kubernetes: ${p.kubernetes.added.length} to add, ${p.kubernetes.changed.length} to change, ${p.kubernetes.removed.length} to remove`,
    `files: ${p.files.added.length + p.files.changed.length + p.files.removed.length} changed`,
  ].join('; ');
}

export function formatPlan(p: ChangePlan, format: PlanFormat, title: string): string {
  if (isEmpty(p)) return format === 'markdown' ? `### ${title}\n\nNo changes.\n` : `${title}: no changes\n`;
  if (format === 'text') {
    const out = [`${title}`, summary(p), ''];
    // One item, one line: a free-text name (docs/names.md) never splits it.
    for (const s of sections(p)) out.push(`${s.title}:`, ...s.lines.map(([sign, t]) => `  ${sign} ${visibleControls(t)}`), '');
    return out.join('\n');
  }
  // Markdown: identifiers in code spans (they hold = and brackets), one list per section.
  const out = [`### ${title}`, '', summary(p), ''];
  const md = (t: string) => visibleControls(t).replace(/([|<])/g, '\\$1');
  for (const s of sections(p)) {
    out.push(`#### ${s.title}`, '');
    for (const [sign, t] of s.lines) out.push(s.title === 'Access' ? `- ${md(t)}` : `- \`${sign}\` ${md(t)}`);
    out.push('');
  }
  return out.join('\n');
}
