#!/usr/bin/env bash
# `make run`: the product on its embedded default. Starts the sandbox (a local Kubernetes API server,
# controllers and a process kubelet), installs the operator with its Helm chart, applies the minimal
# CacheCluster, waits for it to be Ready while showing progress, sends a short bounded workload through a
# router, and leaves everything running with instructions.
#
# Expects the Release build of cache-node, cache-operator, sandbox and loadgen (the Makefile builds them)
# and helm at .tools/bin/helm (`make tools`).
set -euo pipefail
cd "$(dirname "$0")/.."

STATE_DIR=${STATE_DIR:-.sandbox}
CONFIGURATION=${CONFIGURATION:-Release}
NAMESPACE=${NAMESPACE:-default}
OPERATOR_NAMESPACE=${OPERATOR_NAMESPACE:-cache-operator}
READY_TIMEOUT=${READY_TIMEOUT:-240}
WORKLOAD_SECONDS=${WORKLOAD_SECONDS:-5}
HELM=${HELM:-.tools/bin/helm}
bin() { echo "$1/bin/$CONFIGURATION/net10.0/$2"; }
SANDBOX=$(bin operator/src/CacheOperator.Sandbox sandbox)
LOADGEN=$(bin bench/CacheOperator.LoadGen loadgen)
CLUSTER=demo

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "make run: $*" >&2; exit 1; }

[ -x "$SANDBOX" ] || die "$SANDBOX is missing: run 'make build CONFIGURATION=$CONFIGURATION' first"
[ -x "$HELM" ] || die "$HELM is missing: run 'make tools' first"

step "Starting the sandbox (state in $STATE_DIR/)"
"$SANDBOX" up --state-dir "$STATE_DIR"
KUBECONFIG_FILE=$(realpath "$STATE_DIR/kubeconfig")
export KUBECONFIG="$KUBECONFIG_FILE"
KUBECTL=(kubectl --kubeconfig "$KUBECONFIG_FILE" --cache-dir "$STATE_DIR/kube-cache")

step "Installing the operator with Helm (charts/cache-operator, release cache-operator)"
"$HELM" upgrade --install cache-operator charts/cache-operator \
  --kubeconfig "$KUBECONFIG_FILE" --namespace "$OPERATOR_NAMESPACE" --create-namespace
# Not `helm --wait`: it judges a Deployment by its newest ReplicaSet, and the sandbox's Deployment controller
# owns pods directly (documented simplification). rollout status reads the Deployment's own status.
"${KUBECTL[@]}" -n "$OPERATOR_NAMESPACE" rollout status deployment/cache-operator --timeout 180s
"${KUBECTL[@]}" -n "$OPERATOR_NAMESPACE" get deployment,pods -o wide

step "Applying examples/cachecluster-minimal.yaml"
"${KUBECTL[@]}" -n "$NAMESPACE" apply -f examples/cachecluster-minimal.yaml

step "Waiting for CacheCluster/$CLUSTER to be Ready (timeout ${READY_TIMEOUT}s)"
deadline=$((SECONDS + READY_TIMEOUT))
width=30
while :; do
  line=$("${KUBECTL[@]}" -n "$NAMESPACE" get cachecluster "$CLUSTER" \
    -o jsonpath='{.status.readyMembers}{" "}{.status.readyText}{" "}{.status.phase}{" "}{.status.conditions[?(@.type=="Ready")].status}{" "}{.status.ringVersion}' 2>/dev/null || true)
  read -r ready text phase readyCond ring <<<"$line" || true
  total=${text#*/}; [[ "$total" =~ ^[0-9]+$ ]] || total=0
  [[ "${ready:-}" =~ ^[0-9]+$ ]] || ready=0
  filled=0; [ "$total" -gt 0 ] && filled=$((ready * width / total))
  bar=$(printf '%*s' "$filled" '' | tr ' ' '#')$(printf '%*s' $((width - filled)) '' | tr ' ' '.')
  printf '\r  [%s] members %s/%s  phase %-9s ring v%s ' "$bar" "$ready" "$total" "${phase:--}" "${ring:--}"
  [ "${readyCond:-}" = "True" ] && { echo; break; }
  if [ $SECONDS -ge $deadline ]; then
    echo
    "${KUBECTL[@]}" -n "$NAMESPACE" describe cachecluster "$CLUSTER" || true
    die "CacheCluster/$CLUSTER is not Ready after ${READY_TIMEOUT}s (the sandbox keeps running: '$SANDBOX status')"
  fi
  sleep 1
done
"${KUBECTL[@]}" -n "$NAMESPACE" get cacheclusters,pods -o wide

step "A ${WORKLOAD_SECONDS}s workload through a router (90% gets, Zipf 1.0 over 10k keys)"
# awk, not head: head may exit before kubectl has written its last line, and with pipefail kubectl's SIGPIPE
# would end `make run` (exit 141).
router_ip=$("${KUBECTL[@]}" -n "$NAMESPACE" get pods -l "app.kubernetes.io/instance=$CLUSTER,app.kubernetes.io/component=router" \
  -o jsonpath='{range .items[?(@.status.podIP)]}{.status.podIP}{"\n"}{end}' | awk 'NR == 1')
[ -n "$router_ip" ] || die "no router pod has an IP"
if [ -x "$LOADGEN" ]; then
  "$LOADGEN" --host "$router_ip" --port 11211 --connections 4 --threads 1 --keys 10000 --zipf 1.0 \
    --get-ratio 0.9 --duration "$WORKLOAD_SECONDS" --warmup 1 --label "make run via router $router_ip"
else
  echo "  ($LOADGEN is not built; skipping the workload)"
fi

cat <<EOF

The cluster keeps running. Try:
  export KUBECONFIG=$KUBECONFIG_FILE
  kubectl get cacheclusters                      # shards, ready, ring version, phase
  kubectl describe cachecluster $CLUSTER
  kubectl scale cachecluster $CLUSTER --replicas 3     # a third shard, warmed from the others before the ring flips
  printf 'set k 0 0 2\r\nhi\r\nget k\r\n' | timeout 1 bash -c 'exec 3<>/dev/tcp/$router_ip/11211; cat >&3; cat <&3'
  $SANDBOX status                                 # pods, IPs, restarts
Stop everything with:
  $SANDBOX down --state-dir $STATE_DIR
EOF
