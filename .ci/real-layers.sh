#!/usr/bin/env bash
# Adopting the real layers in the folder CI has beside the repository (.ci/run passes it; its
# README names each layer's directories): each is imported in place and checked by .ci/real-layers.cjs.
set -euo pipefail
REAL=${1:?usage: .ci/real-layers.sh <real-layers dir>}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
F="$REAL/frank-head/files/apps"
node .ci/real-layers.cjs frank-head --apps "$F/root/templates" -- \
  --from "$F/authentik-extras/manifests" --from "$F/authentik" --from "$F/argocd" --from "$F/root/templates" \
  --out "$out/frank.yaml"
# frank-head's overlap snapshot: the seed moving from *.frank.derio.net to *.cluster.derio.net,
# both domains' forward-auth services live, the old ones several to one hand-written blueprint
# file (kept shared); its Application pins Authentik 2026.2.1.
O="$REAL/frank-head/overlap-839c6279/apps"
node .ci/real-layers.cjs frank-overlap-839c6279 --apps "$out/no-applications" -- \
  --from "$O/authentik-extras/manifests" --from "$O/authentik" --out "$out/frank-overlap.yaml" --authentik-version 2026.2.1
# melotic-home-ops runs Flux and keeps it (gitops.engine: flux): only its Authentik side here, at
# the version its HelmRelease (not in the copy) pins, in the namespace its path names. It has no
# ArgoCD Applications, so no removal is exempt.
M="$REAL/melotic-home-ops/kubernetes/apps/default/authentik/app"
node .ci/real-layers.cjs melotic-home-ops --apps "$out/no-applications" -- \
  --from "$M" --out "$out/melotic/cluster.yaml" --engine flux --authentik-version 2026.8.0 --authentik-namespace default
if ! grep -q '^  engine: flux$' "$out/melotic/cluster.yaml"; then
  echo "real layer melotic-home-ops: the draft does not keep its engine (gitops.engine: flux)" >&2
  exit 1
fi
# theepicsaxguy-homelab: its apps-media.yaml does not parse at this commit. Import names it on one
# line and adopts the rest; as a --baseline the same file is refused (the guard fails closed), so
# the guard and the plan run against a copy with it moved out, as a user would do.
T="$REAL/theepicsaxguy-homelab/k8s/infrastructure/auth/authentik"
node .ci/real-layers.cjs theepicsaxguy-homelab --apps "$out/no-applications" --skipped apps-media.yaml -- \
  --from "$T" --out "$out/theepicsaxguy/cluster.yaml" --authentik-version 2026.5.0
if node bin/plan.cjs --config "$out/theepicsaxguy/cluster.yaml" --baseline "$T" >"$out/refused.txt" 2>&1 ||
  ! grep -q '^baseline error: .*apps-media.yaml: does not parse' "$out/refused.txt"; then
  echo "real layer theepicsaxguy-homelab: a baseline holding apps-media.yaml must be refused with a line naming it" >&2
  exit 1
fi
cp -R "$T" "$out/theepicsaxguy-baseline"
mv "$out/theepicsaxguy-baseline/extra/blueprints/apps-media.yaml" "$out/apps-media.yaml.moved-out"
node bin/plan.cjs --config "$out/theepicsaxguy/cluster.yaml" --baseline "$out/theepicsaxguy-baseline" >"$out/plan.txt"
if ! grep -q '^Authentik: .* 0 to delete' "$out/plan.txt" || ! grep -q 'Kubernetes: .* 0 to remove' "$out/plan.txt"; then
  echo "real layer theepicsaxguy-homelab: the plan against the layer (apps-media.yaml moved out) deletes or removes something:" >&2
  head -3 "$out/plan.txt" >&2
  exit 1
fi
echo "real layer theepicsaxguy-homelab: guard and plan pass against the layer with apps-media.yaml moved out ($(head -2 "$out/plan.txt" | tail -1))"
