#!/usr/bin/env bash
# ensure-docker.sh makes sure a Docker engine answers on /var/run/docker.sock.
# As root on Debian it installs docker.io from the OS packages when missing and
# starts dockerd in the background; otherwise it says what to do.
set -euo pipefail
sock=/var/run/docker.sock
ping() { curl -sf --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }
if ping; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "ensure-docker: no Docker engine answers on $sock; install docker.io (apt-get install -y docker.io) and start dockerd as root, or run this as root" >&2
  exit 1
fi
if ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-docker: dockerd is not installed and apt-get is missing; install a Docker engine for this OS" >&2
    exit 1
  fi
  echo "ensure-docker: installing docker.io from the OS packages" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io busybox-static >/dev/null
fi
if ! command -v busybox >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
log=/var/log/cluster-dockerd.log
echo "ensure-docker: starting dockerd (log: $log)" >&2
nohup dockerd -H unix://$sock >"$log" 2>&1 &
for _ in $(seq 1 120); do
  if ping; then exit 0; fi
  sleep 0.5
done
echo "ensure-docker: dockerd did not answer within 60s; see $log" >&2
tail -20 "$log" >&2 || true
exit 1
