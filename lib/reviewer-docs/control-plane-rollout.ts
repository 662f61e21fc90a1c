// Applying a changed apiserver patch, one control plane at a time. A changed AuthenticationConfiguration
// restarts kube-apiserver on every control plane the patch reaches; a patch that breaks the apiserver
// (or, as on the seed cluster, a machine file Talos refuses outside /var, which stopped every control
// plane at boot) takes etcd quorum down with it when it reaches all of them at once. So each control
// plane gets it alone, and the next one only after health gates: the node is Ready, its apiserver
// answers /readyz, and every etcd member is healthy.
import type { AuthModel } from '../model/derive';
import { OUTPUT, repoPath } from '../base/paths';

/** The health gates between two control planes (`<cp>` is the one just patched). */
export const controlPlaneGates = (extra: string[] = []): string[] => [
  'kubectl wait --for=condition=Ready node/<cp node name> --timeout=10m  # gate 1: the node is Ready again',
  "kubectl --server=https://<cp>:6443 get --raw='/readyz?verbose'  # gate 2: this control plane's apiserver answers ok (not only some other one behind the VIP)",
  'talosctl -n <cp> etcd members  # gate 3: every control plane is a member, none a learner',
  'talosctl -n <every control plane> etcd status  # gate 3: every member answers with the same raft term and no errors',
  ...extra,
];

/**
 * The commands that roll the patch out. talosctl: node by node. Omni: a ConfigPatch labelled with
 * the control-plane machine set reaches all of them as soon as it is applied, and a copy scoped to
 * one machine (omni.sidero.dev/cluster-machine) would not replace it on that machine but be merged
 * with it (Omni merges every patch that targets a machine: the AuthenticationConfiguration file
 * twice). So the machines are locked instead (a locked machine receives no configuration change)
 * and unlocked one by one.
 */
export function controlPlaneRollout(m: AuthModel, gateExtras: string[] = []): { commands: string[]; verify: string[] } {
  const dist = (p: string) => repoPath(m.git.path, p);
  const omni = m.talos?.omniPatch;
  const gates = controlPlaneGates(gateExtras);
  if (omni && m.talos?.omniCluster) {
    return {
      commands: [
        `omnictl get clustermachines -l omni.sidero.dev/cluster=${m.talos.omniCluster},omni.sidero.dev/role-controlplane  # the control-plane machine ids, in the order you will roll them`,
        'lock every control-plane machine but the first (Omni UI: cluster -> machine -> Lock; or locked: true on its Machine in the cluster template): a locked machine receives no configuration change',
        'if your Omni will not lock a control-plane machine, stop here and do not apply the patch: a machine-set ConfigPatch then reaches every control plane at once, which is the outage this rollout exists to avoid',
        `omnictl apply -f ${dist(OUTPUT.omniPatch)}  # patch ${omni.id} (machine set ${omni.machineSet}): only the unlocked control plane takes it`,
        'run the gates below for that control plane; if one fails, leave the others locked, fix the patch (npm run synth, apply it again) and start over',
        'unlock the next control-plane machine, wait until Omni reports its config applied, run the gates; repeat until none is locked',
      ],
      verify: [`omnictl get configpatches ${omni.id}`, ...gates],
    };
  }
  return {
    commands: [
      'kubectl get nodes -l node-role.kubernetes.io/control-plane -o wide  # the control planes, in the order you will roll them',
      `talosctl -n <cp> patch mc --patch @${dist(OUTPUT.talosPatch)}  # ONE control plane (<cp>) at a time, never all nodes in one call`,
      'run the gates below for <cp>; if one fails, stop: the other control planes still run the previous configuration (fix the patch, npm run synth, apply it to <cp> again)',
      'repeat for the next control plane only after every gate passed',
    ],
    verify: gates,
  };
}
