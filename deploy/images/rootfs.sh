# rootfs.sh: helpers to make a root filesystem from programs of this host,
# for images made with no registry (sourced by the make-*-images.sh scripts).

# closure ROOT PROG… copies each program and every library it loads into ROOT.
closure() {
  local root=$1 prog lib
  shift
  for prog in "$@"; do
    prog=$(readlink -f "$prog")
    mkdir -p "$root$(dirname "$prog")"
    cp -L "$prog" "$root$prog"
    for lib in $(ldd "$prog" 2>/dev/null | grep -oE '/[^ ]+' || true); do
      [ -e "$root$lib" ] && continue
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
}

# base ROOT makes the skeleton: /etc files, /tmp, and busybox as /bin/sh.
base() {
  local root=$1 bb
  mkdir -p "$root"/{etc,tmp,bin,proc,sys,dev,data}
  chmod 1777 "$root/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
  echo 'root:x:0:' >"$root/etc/group"
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
  bb=$(command -v busybox || echo /bin/busybox)
  cp "$bb" "$root/bin/busybox"
  ln -sf busybox "$root/bin/sh"
}
