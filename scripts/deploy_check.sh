#!/usr/bin/env bash
# Offline checks of deploy/: what can be checked without a cluster, a cloud account or a network.
#   bash scripts/deploy_check.sh
# No Kubernetes cluster, container engine or cloud runs here: nothing is applied, built or provisioned.
# Each check says whether it ran; a check whose tool is missing is reported as NOT RUN, never as passed.
# Exit status: non-zero if a check that ran failed.
set -u
cd "$(dirname "$0")/.."
failed=0
not_run=()
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

say() { printf '%-56s %s\n' "$1" "$2"; }

# 1. kustomize renders every overlay (kubectl's built-in kustomize; no cluster contacted).
if command -v kubectl >/dev/null; then
  for overlay in deploy/k8s/overlays/*/; do
    name=$(basename "$overlay")
    if kubectl kustomize "$overlay" >"$out/$name.yaml" 2>"$out/$name.err"; then
      say "kubectl kustomize $name" "ok ($(grep -c '^kind:' "$out/$name.yaml") objects)"
    else
      say "kubectl kustomize $name" "FAILED"; cat "$out/$name.err"; failed=1
    fi
  done
  # Each study component (deploy/k8s/components/study-*: validate, forecast-skill, recover) on the dev
  # overlay, through a throwaway overlay inside deploy/k8s (kustomize refuses absolute paths).
  for component in deploy/k8s/components/*/; do
    name=dev+$(basename "$component")
    tmp=$(mktemp -d deploy/k8s/.render-XXXXXX)
    printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../overlays/dev\ncomponents:\n  - ../components/%s\n' \
      "$(basename "$component")" >"$tmp/kustomization.yaml"
    if kubectl kustomize "$tmp" >"$out/$name.yaml" 2>"$out/$name.err"; then
      say "kubectl kustomize $name" "ok ($(grep -c '^kind:' "$out/$name.yaml") objects)"
    else
      say "kubectl kustomize $name" "FAILED"; cat "$out/$name.err"; failed=1
    fi
    rm -rf "$tmp"
  done
else
  not_run+=("kubectl kustomize (kubectl not installed)")
fi

# 2. Strict schema validation of the rendered manifests (kubernetes-validate from PyPI, offline schemas).
if python3 -c 'import kubernetes_validate' 2>/dev/null; then
  for rendered in "$out"/*.yaml; do
    [ -e "$rendered" ] || continue
    name=$(basename "$rendered" .yaml)
    if python3 -m kubernetes_validate --strict --kubernetes-version 1.30 "$rendered" >"$out/$name.kv" 2>&1; then
      say "kubernetes-validate --strict $name" "ok"
    else
      say "kubernetes-validate --strict $name" "FAILED"; cat "$out/$name.kv"; failed=1
    fi
  done
elif command -v kubeconform >/dev/null; then
  for rendered in "$out"/*.yaml; do
    name=$(basename "$rendered" .yaml)
    if kubeconform -strict -summary "$rendered"; then say "kubeconform -strict $name" "ok"
    else say "kubeconform -strict $name" "FAILED"; failed=1; fi
  done
else
  not_run+=("schema validation (pip install kubernetes-validate, or kubeconform)")
fi

# 3. Terraform: formatting always; validate only when the providers are already installed (init needs
#    registry.terraform.io).
if command -v terraform >/dev/null; then
  if terraform -chdir=deploy/terraform fmt -check -recursive >/dev/null; then
    say "terraform fmt -check" "ok"
  else
    say "terraform fmt -check" "FAILED"; failed=1
  fi
  tf=$(mktemp -d); cp deploy/terraform/*.tf "$tf"/
  if terraform -chdir="$tf" init -backend=false -input=false -no-color >"$out/tf-init" 2>&1; then
    if terraform -chdir="$tf" validate -no-color; then say "terraform validate" "ok"
    else say "terraform validate" "FAILED"; failed=1; fi
  else
    not_run+=("terraform validate (terraform init could not fetch the google/kubernetes/random providers offline)")
  fi
  rm -rf "$tf"
else
  not_run+=("terraform fmt/validate (terraform not installed)")
fi

# 4. Static scan of the Terraform and the rendered manifests (checkov from PyPI): no HIGH/CRITICAL finding.
if command -v checkov >/dev/null; then
  if checkov -d deploy/terraform --framework terraform --quiet --compact >"$out/checkov-tf" 2>&1; then
    say "checkov terraform" "ok (no failed check)"
  else
    say "checkov terraform" "findings (see below)"; cat "$out/checkov-tf"
  fi
  for rendered in "$out"/dev.yaml "$out"/production.yaml; do
    [ -e "$rendered" ] || continue
    name=$(basename "$rendered" .yaml)
    if checkov -f "$rendered" --framework kubernetes --quiet --compact >"$out/checkov-$name" 2>&1; then
      say "checkov kubernetes $name" "ok (no failed check)"
    else
      say "checkov kubernetes $name" "findings (see below)"; cat "$out/checkov-$name"
    fi
  done
else
  not_run+=("checkov static scan (pip install checkov)")
fi

# 5. The Grafana dashboard and provisioning parse.
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' deploy/grafana/dashboards/ucodts-operations.json; then
  say "grafana dashboard JSON" "ok"
else
  say "grafana dashboard JSON" "FAILED"; failed=1
fi

echo
echo "Not checked here: no cluster, container engine or cloud account runs on this machine, so nothing was"
echo "applied, no image was built (deploy/Dockerfile) and nothing was provisioned."
for item in "${not_run[@]}"; do echo "NOT RUN: $item"; done
exit $failed
