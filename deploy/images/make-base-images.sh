#!/usr/bin/env bash
# make-base-images.sh makes the base images of deploy/Dockerfile and
# deploy/host.Dockerfile with no registry: root filesystems made from this
# host's programs and their library closure, imported with `docker import`.
#   REPO/base:local       node, busybox, ip (iproute2) and iptables: what the
#                         manager, the agent and the CLI run on
#   REPO/host-base:local  the same and a Docker engine (dockerd, containerd,
#                         runc, docker-init, docker-proxy): a demo host that
#                         runs its own engine (Docker-in-Docker)
# Usage: make-base-images.sh [--repo REPO]   (default REPO: cluster)
# Needs (Debian packages): nodejs 20, busybox-static, iproute2, iptables, docker.io.
set -euo pipefail
repo_name=cluster
while [ $# -gt 0 ]; do
  case "$1" in
    --repo) repo_name="$2"; shift 2 ;;
    *) echo "make-base-images: unknown argument $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=rootfs.sh
. "$here/rootfs.sh"
for c in node busybox ip xtables-nft-multi; do
  command -v "$c" >/dev/null || { echo "make-base-images: $c is missing (apt-get install -y nodejs busybox-static iproute2 iptables)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# common ROOT: node, the busybox applets, ip and iptables (nft, as Debian 12's default).
common() {
  local root=$1 applet xt
  base "$root"
  mkdir -p "$root"/{usr/bin,usr/sbin,sbin,run,var/run,etc/iproute2}
  closure "$root" "$(command -v node)"
  [ -e "$root/usr/bin/node" ] || ln -sf "$(readlink -f "$(command -v node)")" "$root/usr/bin/node"
  closure "$root" "$(command -v ip)"
  [ -e "$root/usr/sbin/ip" ] || ln -sf "$(readlink -f "$(command -v ip)")" "$root/usr/sbin/ip"
  closure "$root" "$(command -v xtables-nft-multi)"
  for xt in iptables iptables-restore iptables-save ip6tables ip6tables-restore ip6tables-save; do
    ln -sf xtables-nft-multi "$root/usr/sbin/$xt"
  done
  # iptables loads its matches and targets (statistic, conntrack, comment…) at run time.
  xt=$(dirname "$(readlink -f "$(ldd "$(command -v xtables-nft-multi)" | grep -oE '/[^ ]*libxtables[^ ]*')")")/xtables
  mkdir -p "$root$xt"
  cp -a "$xt/." "$root$xt/"
  for f in /etc/protocols /etc/services /etc/ethertypes; do [ -f "$f" ] && cp "$f" "$root$f"; done
  [ -d /etc/iproute2 ] && cp -r /etc/iproute2/. "$root/etc/iproute2/" 2>/dev/null || true
  # busybox's applets for the rest (the real ip and iptables above win).
  for applet in $(busybox --list); do
    [ -e "$root/bin/$applet" ] || [ -e "$root/usr/bin/$applet" ] || [ -e "$root/usr/sbin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
}

env_path='ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin'
b="$work/base"
common "$b"
tar -C "$b" -cf "$work/base.tar" .
docker import -c "$env_path" -c 'CMD ["/bin/sh"]' "$work/base.tar" "$repo_name/base:local" >/dev/null

for c in dockerd containerd containerd-shim-runc-v2 runc docker-init docker-proxy; do
  command -v "$c" >/dev/null || { echo "make-base-images: $c is missing (apt-get install -y docker.io)" >&2; exit 1; }
done
h="$work/host"
common "$h"
for c in dockerd containerd containerd-shim-runc-v2 runc docker-proxy; do
  closure "$h" "$(command -v "$c")"
  [ -e "$h/usr/bin/$c" ] || ln -sf "$(readlink -f "$(command -v "$c")")" "$h/usr/bin/$c"
done
cp -L "$(command -v docker-init)" "$h/usr/bin/docker-init"
# The docker client of the engine inside: the demo loads images with it.
if command -v docker >/dev/null; then closure "$h" "$(command -v docker)"; [ -e "$h/usr/bin/docker" ] || ln -sf "$(readlink -f "$(command -v docker)")" "$h/usr/bin/docker"; fi
mkdir -p "$h/var/lib/docker" "$h/etc/docker"
tar -C "$h" -cf "$work/host.tar" .
docker import -c "$env_path" -c 'CMD ["/bin/sh"]' "$work/host.tar" "$repo_name/host-base:local" >/dev/null
echo "make-base-images: $repo_name/base:local and $repo_name/host-base:local ready"
