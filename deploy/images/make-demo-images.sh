#!/usr/bin/env bash
# make-demo-images.sh builds the images of the example stack with no
# registry, from programs on this host and their library closure:
#   cluster-demo/app:latest    node and examples/shop/app
#   cluster-demo/redis:latest  Debian's redis-server (installed if missing, as root)
# Usage: make-demo-images.sh [--docker-host unix:///path.sock] [--save DIR]
# --save also writes both images to DIR/cluster-demo.tar (for `docker load`
# on other engines: the hosts of docker-compose.cluster.yml load it).
set -euo pipefail
host_args=()
save_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --docker-host) host_args=(-H "$2"); shift 2 ;;
    --save) save_dir="$2"; shift 2 ;;
    *) echo "make-demo-images: unknown argument $1" >&2; exit 2 ;;
  esac
done
repo=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "make-demo-images: installing redis-server from the OS packages" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
    # Only its binary is wanted here; do not leave a server running on the host.
    systemctl disable --now redis-server >/dev/null 2>&1 || pkill -x redis-server || true
  else
    echo "make-demo-images: redis-server is missing (apt-get install -y redis-server)" >&2
    exit 1
  fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=rootfs.sh
. "$repo/deploy/images/rootfs.sh"

app="$work/app"
base "$app"
closure "$app" "$(readlink -f "$(command -v node)")"
node_bin=$(readlink -f "$(command -v node)")
[ "$node_bin" = /usr/bin/node ] || { mkdir -p "$app/usr/bin"; ln -sf "$node_bin" "$app/usr/bin/node"; }
mkdir -p "$app/app"
cp "$repo"/examples/shop/app/*.mjs "$app/app/"
tar -C "$app" -cf "$work/app.tar" .
docker "${host_args[@]}" import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' -c 'WORKDIR /app' "$work/app.tar" cluster-demo/app:latest >/dev/null

red="$work/redis"
base "$red"
closure "$red" "$(readlink -f "$(command -v redis-server)")"
mkdir -p "$red/usr/bin"
[ -e "$red/usr/bin/redis-server" ] || ln -sf "$(readlink -f "$(command -v redis-server)")" "$red/usr/bin/redis-server"
tar -C "$red" -cf "$work/redis.tar" .
docker "${host_args[@]}" import -c 'ENV PATH=/usr/bin:/bin' -c 'CMD ["redis-server", "--protected-mode", "no"]' "$work/redis.tar" cluster-demo/redis:latest >/dev/null
if [ -n "$save_dir" ]; then
  mkdir -p "$save_dir"
  docker "${host_args[@]}" save -o "$save_dir/cluster-demo.tar" cluster-demo/app:latest cluster-demo/redis:latest
fi
echo "make-demo-images: cluster-demo/app:latest and cluster-demo/redis:latest ready"
