#!/usr/bin/env bash
# make-images.sh builds the local images the tests and the demo use, with no
# registry: a root filesystem made here is imported with `docker import`.
#   cluster-test/busybox:latest   Debian's busybox-static with its applets
# Usage: make-images.sh [--docker-host unix:///path.sock] [--save DIR]
set -euo pipefail
host_args=()
save_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --docker-host) host_args=(-H "$2"); shift 2 ;;
    --save) save_dir="$2"; shift 2 ;;
    *) echo "make-images: unknown argument $1" >&2; exit 2 ;;
  esac
done
bb=$(command -v busybox || true)
if [ -z "$bb" ] || ! file -L "$bb" 2>/dev/null | grep -q 'statically linked'; then
  [ -x /bin/busybox ] && bb=/bin/busybox
fi
if [ -z "$bb" ]; then
  echo "make-images: busybox-static is missing (apt-get install -y busybox-static)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"/{bin,sbin,etc,tmp,var/www,data,usr/bin,usr/sbin,proc,sys,dev,run}
cp "$bb" "$root/bin/busybox"
for applet in $("$bb" --list); do
  [ "$applet" = busybox ] || ln -sf /bin/busybox "$root/bin/$applet"
done
chmod 1777 "$root/tmp"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
tar -C "$root" -cf "$work/busybox.tar" .
docker "${host_args[@]}" import \
  -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' \
  "$work/busybox.tar" cluster-test/busybox:latest >/dev/null
if [ -n "$save_dir" ]; then
  mkdir -p "$save_dir"
  docker "${host_args[@]}" save -o "$save_dir/cluster-test-busybox.tar" cluster-test/busybox:latest
fi
echo "make-images: cluster-test/busybox:latest ready"
