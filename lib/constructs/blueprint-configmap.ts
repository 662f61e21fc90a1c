// One Authentik blueprint as the ConfigMap the Authentik chart mounts into the worker. The data
// key must end in .yaml, or the worker never reads it (docs/field-traps.md#blueprint-configmaps).
import { Construct } from 'constructs';
import { KubeConfigMap } from '../../imports/k8s';
import type { Blueprint } from '../upstream/blueprint-types';
import { BLUEPRINT_LABEL, renderBlueprint } from '../blueprints/build';

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
    this.apiObject = new KubeConfigMap(this, 'Resource', {
      metadata: { name: bp.configMapName, namespace: props.namespace, labels: { ...BLUEPRINT_LABEL } },
      // A pass-through blueprint carries its file's text: kept byte for byte (docs/pass-through.md).
      data: { [bp.fileName]: 'text' in bp && typeof bp.text === 'string' ? bp.text : renderBlueprint(bp) },
    });
  }
}
