// The chart mounts only the ConfigMaps listed in blueprints.configMaps, and Authentik reads only
// their data keys ending in .yaml: anything else is silently never applied (docs/field-traps.md#blueprint-configmaps). The
// ConfigMaps must also carry exactly the blueprints the other checks read (r.blueprints).
import type { SynthResult } from '../output/render';
import { OUTPUT } from '../base/paths';
import { BLUEPRINT_LABEL, blueprintText } from '../blueprints/build';
import { asArray, docAt, isObj, k8sObjects, list } from './rendered';
import { valueAt } from '../base/records';

const [LABEL, LABEL_VALUE] = Object.entries(BLUEPRINT_LABEL)[0];

export function checkBlueprintConfigMaps(r: SynthResult): string[] {
  const out: string[] = [];
  const emitted = k8sObjects(r, 'ConfigMap').filter(
    ({ file, obj }) => file.startsWith(`${OUTPUT.extrasDir}/`) && obj.metadata?.labels?.[LABEL] === LABEL_VALUE,
  );
  const emittedNames = emitted.map(({ obj }) => obj.metadata?.name ?? '');

  const values = docAt(r, OUTPUT.authentikValues);
  const listedRaw = valueAt(values, 'blueprints', 'configMaps');
  if (values !== undefined && !Array.isArray(listedRaw)) {
    out.push(`${OUTPUT.authentikValues} has no blueprints.configMaps list; the worker would mount none of ${list(emittedNames)}`);
  }
  const listed = asArray(listedRaw).map(String);
  for (const name of emittedNames.filter((n) => !listed.includes(n))) {
    out.push(
      `blueprint ConfigMap "${name}" in ${`${OUTPUT.extrasDir}/`} is not in ${OUTPUT.authentikValues} blueprints.configMaps, so Authentik never applies it`,
    );
  }
  for (const name of listed.filter((n) => !emittedNames.includes(n))) {
    out.push(
      `${OUTPUT.authentikValues} blueprints.configMaps lists "${name}", but no blueprint ConfigMap of that name is emitted in ${`${OUTPUT.extrasDir}/`}`,
    );
  }
  for (const name of listed.filter((n, i) => listed.indexOf(n) !== i)) {
    out.push(`${OUTPUT.authentikValues} blueprints.configMaps lists "${name}" twice`);
  }

  const all = [...r.blueprints, ...r.passThrough];
  // A pass-through ConfigMap carries its file's text unchanged; ours carry their rendering (of the
  // blueprint as it is now: a blueprint changed after render is rendered again).
  const textOf = (bp: (typeof all)[number]) => ('text' in bp ? bp.text : blueprintText(bp));
  for (const { file, obj } of emitted) {
    const name = obj.metadata?.name;
    if (obj.metadata?.namespace !== r.model.authentik.namespace) {
      out.push(
        `${file}: blueprint ConfigMap "${name}" is in namespace ${JSON.stringify(obj.metadata?.namespace)}, not Authentik's "${r.model.authentik.namespace}"`,
      );
    }
    const data = isObj(obj.data) ? obj.data : {};
    if (Object.keys(data).length === 0) out.push(`${file}: blueprint ConfigMap "${name}" has no data`);
    for (const key of Object.keys(data).filter((k) => !k.endsWith('.yaml'))) {
      out.push(`${file}: blueprint ConfigMap "${name}" data key "${key}" does not end in .yaml, so Authentik never reads it`);
    }
    const bp = all.find((b) => b.configMapName === name);
    if (!bp) {
      out.push(
        `${file}: blueprint ConfigMap "${name}" carries no blueprint of the model (known: ${list(all.map((b) => b.configMapName))})`,
      );
    } else if (data[bp.fileName] !== textOf(bp)) {
      out.push(`${file}: data key "${bp.fileName}" of ConfigMap "${name}" is not the rendering of blueprint ${bp.name}`);
    }
  }
  for (const bp of all.filter((b) => !emittedNames.includes(b.configMapName))) {
    out.push(`blueprint ${bp.name} has no ConfigMap "${bp.configMapName}" in ${`${OUTPUT.extrasDir}/`}`);
  }
  return out;
}
