#!/usr/bin/env bash
# install.sh writes and enables the systemd units of `cluster`, so that a host
# reboots into its cluster:
#   install.sh manager [--listen H:P] [--advertise A]             cluster-manager.service
#   install.sh agent --manager H:P --token T [--name N] [--advertise A] [--label k=v]…
#                                                                 cluster-agent.service
# Common options: --data-dir DIR (default /var/lib/cluster: DIR/manager,
# DIR/agent), --unit-dir DIR (default /etc/systemd/system), --no-start (write
# the units only). The programs are those of the `cluster` on PATH (an
# installed package, see the README's Install) or of this checkout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "install: $*" >&2; exit 1; }
which=${1:-}
[ "$which" = manager ] || [ "$which" = agent ] || die "usage: install.sh manager|agent [options] (see the head of $0)"
shift
data=/var/lib/cluster unit_dir=/etc/systemd/system start=1 manager="" token="" args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data="$2"; shift 2 ;;
    --unit-dir) unit_dir="$2"; shift 2 ;;
    --no-start) start=0; shift ;;
    --manager) manager="$2"; args+=(--manager "$2"); shift 2 ;;
    --token) token="$2"; shift 2 ;;
    --listen|--advertise|--name|--label|--docker-host|--heartbeat-ms|--down-after-ms|--engine-grace-ms|--max-message-bytes) args+=("$1" "$2"); shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
case "$data" in /*) ;; *) die "--data-dir must be an absolute path (got $data)" ;; esac
node=$(command -v node) || die "node is not on PATH (Node.js 20 is needed)"
# The program: the installed package's, else this checkout's.
main=""
if cli=$(command -v cluster 2>/dev/null); then
  pkg=$(dirname "$(dirname "$(readlink -f "$cli")")")
  [ -f "$pkg/node_modules/@cluster/$which/dist/main.js" ] && main="$pkg/node_modules/@cluster/$which/dist/main.js"
fi
if [ -z "$main" ]; then
  repo=$(cd "$here/../.." && pwd)
  [ -f "$repo/packages/$which/dist/main.js" ] || die "no $which program found: install the package (README: Install) or build this checkout (npm run build)"
  main="$repo/packages/$which/dist/main.js"
fi
if [ "$which" = agent ] && [ ! -f "$data/agent/node.json" ]; then
  [ -n "$manager" ] && [ -n "$token" ] || die "agent: --manager and --token are needed for the first start (cluster token worker prints them)"
fi
mkdir -p "$unit_dir" "$data/$which"
chmod 700 "$data" "$data/$which"
unit="$unit_dir/cluster-$which.service"
# Arguments are written quoted for systemd; the token never is (it goes to join.env, 0600).
quoted=""
for a in "${args[@]}"; do quoted+=" \"${a//\"/\\\"}\""; done
sed -e "s|@NODE@|$node|g" -e "s|@MAIN@|$main|g" -e "s|@DATA@|$data|g" -e "s|@ARGS@|${quoted# }|g" "$here/cluster-$which.service" >"$unit.tmp"
mv "$unit.tmp" "$unit"
if [ "$which" = agent ] && [ -n "$token" ]; then
  (umask 077; echo "CLUSTER_JOIN_TOKEN=$token" >"$data/agent/join.env")
fi
echo "install: wrote $unit"
if [ "$start" = 0 ]; then exit 0; fi
[ -d /run/systemd/system ] || die "systemd is not running on this host: $unit is written; start the $which another way (cluster init / cluster join)"
systemctl daemon-reload
systemctl enable --now "cluster-$which.service"
if [ "$which" = agent ]; then
  for _ in $(seq 1 60); do [ -f "$data/agent/node.json" ] && break; sleep 0.5; done
  [ -f "$data/agent/node.json" ] || die "the agent did not join within 30s: journalctl -u cluster-agent"
  rm -f "$data/agent/join.env"
fi
echo "install: cluster-$which.service enabled and started"
