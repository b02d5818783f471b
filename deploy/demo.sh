#!/usr/bin/env bash
# demo.sh runs the main job on this one machine: a one-node cluster (embedded
# store) running the example stack examples/shop: web app + Redis + workers.
# It installs and starts a Docker engine from the OS packages when run as
# root on Debian, makes the images locally, and leaves the cluster running.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bash deploy/ensure-docker.sh
[ -f packages/cli/dist/run.js ] || npm run build
bash deploy/images/make-demo-images.sh
cluster() { node "$repo/packages/cli/bin/cluster.js" "$@"; }
if ! cluster nodes >/dev/null 2>&1; then
  cluster init --name "$(hostname)-1"
fi
cluster deploy examples/shop/compose.yml
cluster services
cluster ps shop
echo
for i in 1 2 3; do curl -fsS -X POST "http://127.0.0.1:8080/jobs?n=$((i * 1000))"; done
sleep 1
curl -fsS http://127.0.0.1:8080/
echo
echo "The stack keeps running. Try: npx cluster scale worker=4; npx cluster ps shop; npx cluster rm shop"
