// One Authentik blueprint as the ConfigMap the Authentik chart mounts into the worker. The data
// key must end in .yaml, or the worker never reads it (docs/field-traps.md#blueprint-configmaps).
import { Construct } from 'constructs';
import { KubeConfigMap } from '../../imports/k8s';
import type { Blueprint } from '../upstream/blueprint-types';
import { BLUEPRINT_LABEL, PASS_THROUGH_LABEL, renderBlueprint } from '../blueprints/build';

export interface BlueprintConfigMapProps {
  /** One blueprint, as `buildBlueprints` returns it: its ConfigMap name and file name come with it. */
  readonly blueprint: Blueprint;
  /** Authentik's namespace. */
  readonly namespace: string;
}

export class BlueprintConfigMap extends Construct {
  readonly apiObject: KubeConfigMap;

  constructor(scope: Construct, id: string, props: BlueprintConfigMapProps) {
    super(scope, id);
    const bp = props.blueprint;
    // A pass-through blueprint carries its file's text: kept byte for byte (docs/pass-through.md).
    const text = 'text' in bp && typeof bp.text === 'string' ? bp.text : undefined;
    this.apiObject = new KubeConfigMap(this, 'Resource', {
      metadata: {
        name: bp.configMapName,
        namespace: props.namespace,
        labels: { ...BLUEPRINT_LABEL, ...(text !== undefined ? PASS_THROUGH_LABEL : {}) },
      },
      data: { [bp.fileName]: text ?? renderBlueprint(bp) },
    });
  }
}
