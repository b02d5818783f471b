#!/usr/bin/env bash
# lab.sh makes test hosts on this machine: each host is a network namespace
# on the bridge clab0 (10.231.0.1/24) with its own address 10.231.0.(10+K),
# its own dockerd (and the containerd that dockerd starts) and one agent; a
# manager runs in the root namespace on 10.231.0.1. Needs root.
#
#   lab.sh up N               make hosts lab1..labN (tears down an old lab first)
#   lab.sh down               remove everything the lab made (safe to repeat)
#   lab.sh kill HOST          kill -9 the host's agent, dockerd, containerd and containers
#   lab.sh start HOST         start a killed host again (dockerd, then its agent)
#   lab.sh cut HOST           take the host's link down (a silent host)
#   lab.sh heal HOST          bring the link up again
#   lab.sh restart-agent HOST [ARG…]  kill -9 the agent and start it again from its data dir
#                             (ARGs are added to the agent's command line, e.g. --docker-host URL)
#   lab.sh kill-agent HOST    kill -9 the host's agent only (its containers and rules stay)
#   lab.sh start-agent HOST [ARG…]  start the host's agent again from its data dir
#   lab.sh kill-engine HOST   kill -9 the host's dockerd, containerd, shims and containers; its agent lives
#   lab.sh start-engine HOST  start the host's dockerd again (after kill-engine)
#   lab.sh stop-engine HOST   kill -9 dockerd and containerd only: with live-restore (on in
#                             the lab) the containers keep running; start-engine starts it again
#   lab.sh restart-engine HOST  stop-engine, then start-engine at once (a restart in place)
#   lab.sh status             hosts, pids and links
#   lab.sh env                print `export CLUSTER_HOME=…` for this lab
#
# HOST is labK, hostK or K. Environment: LAB_DIR (state and logs; default
# .lab in the repository), LAB_PORT (manager port; default 7790),
# LAB_HEARTBEAT_MS / LAB_DOWN_AFTER_MS / LAB_ENGINE_GRACE_MS (passed to the
# manager when set).
# One lab per machine: namespaces, the bridge and /var/lib/clab are global.
# /run/clab.owner names the LAB_DIR of the lab that is up; `up` from another
# LAB_DIR waits for it to come down (LAB_WAIT_S, default 900 s), `down` from
# another LAB_DIR refuses to touch it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_DIR=$(mkdir -p "${LAB_DIR:-$REPO/.lab}" && cd "${LAB_DIR:-$REPO/.lab}" && pwd)
LAB_PORT=${LAB_PORT:-7790}
CLI="$REPO/packages/cli/bin/cluster.js"
AGENT_MAIN="$REPO/packages/agent/dist/main.js"
STATE="$LAB_DIR/state"
BRIDGE=clab0
NET=10.231.0
MANAGER_ADDR="$NET.1:$LAB_PORT"
export CLUSTER_HOME="$LAB_DIR/home"

OWNER=/run/clab.owner

say() { echo "lab: $*" >&2; }
die() { echo "lab: $*" >&2; exit 1; }
record() { echo "$*" >>"$STATE"; }

# Per-host names and paths; K is the host number.
ns() { echo "clab-host$1"; }
veth() { echo "clab-v$1"; }
addr() { echo "$NET.$((10 + $1))"; }
sock() { echo "/run/clab/host$1.sock"; }
exec_root() { echo "/run/clab/host$1"; }
data_root() { echo "/var/lib/clab/host$1"; }
host_dir() { echo "$LAB_DIR/host$1"; }
agent_dir() { echo "$LAB_DIR/host$1/agent"; }

host_number() {
  local h=$1
  h=${h#lab}; h=${h#host}
  [[ "$h" =~ ^[0-9]+$ ]] && [ "$h" -ge 1 ] && [ "$h" -le 200 ] || die "unknown host \"$1\" (lab1, host1 or 1)"
  if [ "${2:-}" != any ] && ! grep -q "^host $h\$" "$STATE" 2>/dev/null; then
    die "host lab$h is not part of the lab in $LAB_DIR (see: lab.sh status)"
  fi
  echo "$h"
}

# pid_of FILE prints the first number in FILE (a pid file or a JSON ready file).
pid_of() { [ -f "$1" ] && { grep -oE '"pid": *[0-9]+|^[0-9]+' "$1" | grep -oE '[0-9]+' | head -1; } || true; }

# kill_if PID MARKER: SIGKILL the process if its command line still holds MARKER
# (a pid file may outlive its process, and the pid may have been reused).
kill_if() {
  local pid=$1 marker=$2
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"; then kill -9 "$pid" 2>/dev/null || true; fi
}

# wait_gone PID…: bounded wait until the processes are gone.
wait_gone() {
  local i pid
  for i in $(seq 1 50); do
    for pid in "$@"; do [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ] && break; pid=; done
    [ -z "${pid:-}" ] && return 0
    sleep 0.1
  done
}

# container_pids K: processes of the host's containers (cgroup parent clab-hostK).
container_pids() {
  cat /sys/fs/cgroup/*/"$(ns "$1")"/*/cgroup.procs /sys/fs/cgroup/"$(ns "$1")"/*/cgroup.procs 2>/dev/null | sort -u || true
}

# shim_pids K: containerd shims serving the host's containerd.
shim_pids() {
  local p
  for p in /proc/[0-9]*; do
    { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null | grep -qF -- "-address $(exec_root "$1")/containerd/" && echo "${p#/proc/}"
  done
  return 0
}

umount_under() {
  local m
  # dockerd bind-mounts its data root onto itself: the folder counts too.
  for m in $(awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
}

# other_owner prints the LAB_DIR of a live lab that is not ours, if any.
other_owner() {
  local o
  o=$(cat "$OWNER" 2>/dev/null || true)
  [ -n "$o" ] && [ "$o" != "$LAB_DIR" ] || return 0
  [ -f "$o/state" ] && kill -0 "$(pid_of "$o/manager/manager/manager.json")" 2>/dev/null && echo "$o"
  return 0
}

# claim waits until no other live lab owns the machine, then takes it.
claim() {
  local waited=0 o limit=${LAB_WAIT_S:-900}
  exec 9>/run/clab.lock
  for (( ; ; )); do
    flock 9
    o=$(other_owner)
    if [ -z "$o" ]; then echo "$LAB_DIR" >"$OWNER"; flock -u 9; return 0; fi
    flock -u 9
    [ "$waited" -eq 0 ] && say "up: the lab of $o is up; waiting for it to come down (at most ${limit}s)"
    [ "$waited" -ge "$limit" ] && die "up: the lab of $o is still up after ${limit}s (LAB_DIR=$o $0 down removes it)"
    sleep 2; waited=$((waited + 2))
  done
}

# kill_host K: the host dies with everything on it; its data stays.
kill_host() {
  local k=$1
  kill_if "$(pid_of "$(agent_dir "$k")/agent.pid")" "$(agent_dir "$k")"
  kill_engine "$k"
}

# kill_daemons K: kill -9 the host's dockerd and containerd (shims and containers live on).
kill_daemons() {
  local k=$1 d c
  d=$(pid_of "/run/clab/host$k.pid"); c=$(pid_of "$(exec_root "$k")/containerd/containerd.pid")
  kill_if "$d" "$(sock "$k")"
  kill_if "$c" "$(exec_root "$k")/containerd"
  wait_gone $d $c
  # A containerd killed but not yet reaped still answers kill -0: the next
  # dockerd would wait for it instead of starting its own.
  rm -f "$(sock "$k")" "/run/clab/host$k.pid" "$(exec_root "$k")/containerd/containerd.pid"
}

# kill_engine K: the host's engine dies (dockerd, containerd, shims,
# containers); its agent, if any, lives on.
kill_engine() {
  local k=$1 pids=() p
  kill_if "$(pid_of "/run/clab/host$k.pid")" "$(sock "$k")"
  kill_if "$(pid_of "$(exec_root "$k")/containerd/containerd.pid")" "$(exec_root "$k")/containerd"
  for p in $(shim_pids "$k") $(container_pids "$k"); do kill -9 "$p" 2>/dev/null || true; pids+=("$p"); done
  if ip netns list 2>/dev/null | grep -qw "$(ns "$k")"; then
    for p in $(ip netns pids "$(ns "$k")" 2>/dev/null); do
      # The host's agent is spared (kill_host kills it first).
      [ "$p" = "$(pid_of "$(agent_dir "$k")/agent.pid")" ] && continue
      kill -9 "$p" 2>/dev/null || true; pids+=("$p")
    done
  fi
  [ ${#pids[@]} -eq 0 ] || wait_gone "${pids[@]}"
  umount_under "$(exec_root "$k")"
  umount_under "$(data_root "$k")"
  rm -f "$(sock "$k")" "/run/clab/host$k.pid"
}

start_dockerd() {
  local k=$1 log
  log="$(host_dir "$k")/dockerd.log"
  mkdir -p "$(host_dir "$k")" "$(exec_root "$k")" "$(data_root "$k")"
  # live-restore: containers outlive their engine (restart-engine), as on hosts that set it.
  [ -f "$LAB_DIR/daemon.json" ] || echo '{"live-restore": true}' >"$LAB_DIR/daemon.json"
  # --config-file: ignore /etc/docker/daemon.json of the root engine.
  # No --containerd: with no system containerd socket, dockerd starts its own
  # under its exec root. --cgroup-parent groups the host's containers so that
  # `kill` finds them.
  nsenter --net="/var/run/netns/$(ns "$k")" setsid dockerd \
    --config-file "$LAB_DIR/daemon.json" \
    --data-root "$(data_root "$k")" --exec-root "$(exec_root "$k")" \
    -p "/run/clab/host$k.pid" -H "unix://$(sock "$k")" \
    --bip "172.$((20 + k)).0.1/24" --iptables=true --ip-masq=true \
    --cgroup-parent "$(ns "$k")" --storage-driver overlay2 \
    >>"$log" 2>&1 </dev/null &
  local pid=$!
  record "pid dockerd$k $pid"
  local i
  for i in $(seq 1 120); do
    if curl -sf --max-time 2 --unix-socket "$(sock "$k")" http://localhost/_ping >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then tail -5 "$log" >&2; die "dockerd of lab$k exited (log: $log)"; fi
    sleep 0.25
  done
  tail -5 "$log" >&2
  die "dockerd of lab$k did not answer on $(sock "$k") within 30s (log: $log)"
}

# in_host K CMD…: run CMD in the host's network namespace, with its own host
# name (a UTS namespace: the agent reports labK as its hostname).
in_host() {
  local k=$1
  shift
  nsenter --net="/var/run/netns/$(ns "$k")" unshare --uts sh -c 'hostname "$0" && exec "$@"' "lab$k" "$@"
}

start_agent() {
  local k=$1 dir pid i
  shift
  dir=$(agent_dir "$k")
  [ -f "$dir/node.json" ] || die "lab$k has no agent data in $dir (was it joined?)"
  rm -f "$dir/status.json"
  in_host "$k" setsid node "$AGENT_MAIN" --data-dir "$dir" \
    --docker-host "unix://$(sock "$k")" --advertise "$(addr "$k")" "$@" >>"$dir/agent.log" 2>&1 </dev/null &
  pid=$! # the subshell that waits for the agent
  for i in $(seq 1 120); do
    if grep -q '"connected":true' "$dir/status.json" 2>/dev/null; then
      record "pid agent$k $(pid_of "$dir/status.json")"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -5 "$dir/agent.log" >&2; die "agent of lab$k exited (log: $dir/agent.log)"; }
    sleep 0.25
  done
  die "agent of lab$k did not connect within 30s (log: $dir/agent.log)"
}

make_host() {
  local k=$1 n v
  n=$(ns "$k"); v=$(veth "$k")
  record "host $k"
  ip netns add "$n"
  record "netns $n"
  ip link add "$v" type veth peer name "$v-in"
  record "link $v"
  ip link set "$v" master "$BRIDGE" up
  ip link set "$v-in" netns "$n"
  nsenter --net="/var/run/netns/$n" sh -ec "
    ip link set lo up
    ip link set $v-in name eth0
    ip addr add $(addr "$k")/24 dev eth0
    ip link set eth0 up
    ip route add default via $NET.1"
  start_dockerd "$k"
}

up() {
  local n=${1:-}
  [[ "$n" =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 20 ] || die "up: give a number of hosts (1-20), for example: lab.sh up 3"
  [ "$(id -u)" = 0 ] || die "up: needs root (network namespaces, dockerd)"
  [ -f "$CLI" ] && [ -f "$AGENT_MAIN" ] || die "up: build first (npx tsc -b at the repository root)"
  for c in ip nsenter dockerd docker curl iptables; do command -v "$c" >/dev/null || die "up: $c is missing"; done
  claim
  down quiet
  echo "$LAB_DIR" >"$OWNER"
  mkdir -p "$LAB_DIR" /run/clab /var/lib/clab
  : >"$STATE"
  local t0=$SECONDS k
  ip link add "$BRIDGE" type bridge
  record "link $BRIDGE"
  ip addr add "$NET.1/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Bridged traffic passes the root FORWARD chain (br_netfilter), whose policy
  # the root engine sets to DROP: let lab hosts reach each other.
  iptables -I FORWARD 1 -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  record "iptables FORWARD -i $BRIDGE -o $BRIDGE -j ACCEPT"
  for k in $(seq 1 "$n"); do make_host "$k"; say "lab$k: netns $(ns "$k"), $(addr "$k"), dockerd on $(sock "$k")"; done

  say "making the image cluster-test/busybox:latest"
  bash "$REPO/deploy/images/make-images.sh" --docker-host "unix://$(sock 1)" --save "$LAB_DIR/images" >/dev/null
  for k in $(seq 2 "$n"); do docker -H "unix://$(sock "$k")" load -q -i "$LAB_DIR/images/cluster-test-busybox.tar" >/dev/null; done

  local extra=()
  [ -n "${LAB_HEARTBEAT_MS:-}" ] && extra+=(--heartbeat-ms "$LAB_HEARTBEAT_MS")
  [ -n "${LAB_DOWN_AFTER_MS:-}" ] && extra+=(--down-after-ms "$LAB_DOWN_AFTER_MS")
  [ -n "${LAB_ENGINE_GRACE_MS:-}" ] && extra+=(--engine-grace-ms "$LAB_ENGINE_GRACE_MS")
  node "$CLI" init --no-agent --listen "$MANAGER_ADDR" --advertise "$NET.1" --data-dir "$LAB_DIR/manager" "${extra[@]}" >/dev/null
  record "manager $LAB_DIR/manager/manager/manager.json"
  local token
  token=$(node "$CLI" token worker -q)
  for k in $(seq 1 "$n"); do
    in_host "$k" node "$CLI" join --token "$token" "$MANAGER_ADDR" \
      --name "lab$k" --advertise "$(addr "$k")" --data-dir "$(host_dir "$k")" --docker-host "unix://$(sock "$k")" >/dev/null
    record "pid agent$k $(pid_of "$(agent_dir "$k")/agent.pid")"
  done
  say "up: $n hosts and a manager on $MANAGER_ADDR in $((SECONDS - t0))s; for the CLI: eval \"\$($0 env)\""
}

down() {
  local quiet=${1:-} k n o
  o=$(other_owner)
  [ -z "$o" ] || die "down: the lab that is up belongs to $o (LAB_DIR=$o $0 down)"
  # Best effort, every step: a half-made lab must come down too.
  set +e
  local hosts=()
  [ -f "$STATE" ] && hosts+=($(awk '$1 == "host" { print $2 }' "$STATE"))
  for n in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^clab-host[0-9]+$' || true); do hosts+=("${n#clab-host}"); done
  if [ -f "$LAB_DIR/manager/manager/manager.json" ]; then kill_if "$(pid_of "$LAB_DIR/manager/manager/manager.json")" "$LAB_DIR/manager"; fi
  for k in $(printf '%s\n' "${hosts[@]}" | sort -un); do
    kill_host "$k"
    ip netns del "$(ns "$k")" 2>/dev/null || true
    ip link del "$(veth "$k")" 2>/dev/null || true
    local c
    for c in /sys/fs/cgroup/*/"$(ns "$k")" /sys/fs/cgroup/"$(ns "$k")"; do
      [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    done
    rm -rf "$(data_root "$k")" "$(exec_root "$k")"
  done
  # Pids recorded by up that may have outlived the above (for example a
  # manager whose ready file is gone).
  if [ -f "$STATE" ]; then
    local what pid
    while read -r what n pid; do
      [ "$what" = pid ] || continue
      case "$n" in agent*) kill_if "$pid" "$LAB_DIR" ;; dockerd*) kill_if "$pid" "/run/clab/" ;; esac
    done <"$STATE"
  fi
  ip link del "$BRIDGE" 2>/dev/null || true
  while iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null; do iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT; done
  rm -rf "$LAB_DIR"
  rmdir /run/clab /var/lib/clab 2>/dev/null
  [ -n "$quiet" ] || rm -f "$OWNER"
  set -e
  [ -n "$quiet" ] || say "down: removed the lab"
}

status() {
  [ -f "$STATE" ] || { say "no lab in $LAB_DIR"; return 0; }
  local k
  echo "manager $MANAGER_ADDR pid $(pid_of "$LAB_DIR/manager/manager/manager.json")"
  for k in $(awk '$1 == "host" { print $2 }' "$STATE"); do
    printf 'lab%s %s link=%s dockerd=%s agent=%s\n' "$k" "$(addr "$k")" \
      "$(cat "/sys/class/net/$(veth "$k")/operstate" 2>/dev/null || echo gone)" \
      "$(pid_of "/run/clab/host$k.pid")" "$(pid_of "$(agent_dir "$k")/agent.pid")"
  done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  up) up "${1:-}" ;;
  down) down ;;
  kill) k=$(host_number "${1:-}"); kill_host "$k"; say "lab$k killed (agent, dockerd, containerd, containers)" ;;
  start) k=$(host_number "${1:-}"); kill_host "$k"; start_dockerd "$k"; start_agent "$k"; say "lab$k started" ;;
  cut) k=$(host_number "${1:-}"); ip link set "$(veth "$k")" down; say "lab$k cut off" ;;
  heal) k=$(host_number "${1:-}"); ip link set "$(veth "$k")" up; say "lab$k healed" ;;
  restart-agent)
    k=$(host_number "${1:-}")
    old=$(pid_of "$(agent_dir "$k")/agent.pid")
    kill_if "$old" "$(agent_dir "$k")"
    [ -z "$old" ] || wait_gone "$old"
    start_agent "$k" "${@:2}"
    say "lab$k: agent restarted (pid $(pid_of "$(agent_dir "$k")/agent.pid"))" ;;
  kill-agent)
    k=$(host_number "${1:-}")
    old=$(pid_of "$(agent_dir "$k")/agent.pid")
    kill_if "$old" "$(agent_dir "$k")"
    [ -z "$old" ] || wait_gone "$old"
    say "lab$k: agent killed" ;;
  start-agent) k=$(host_number "${1:-}"); start_agent "$k" "${@:2}"; say "lab$k: agent started" ;;
  kill-engine) k=$(host_number "${1:-}"); kill_engine "$k"; say "lab$k: engine killed (dockerd, containerd, shims, containers); the agent lives" ;;
  start-engine) k=$(host_number "${1:-}"); start_dockerd "$k"; say "lab$k: engine started" ;;
  stop-engine) k=$(host_number "${1:-}"); kill_daemons "$k"; say "lab$k: dockerd and containerd killed; containers kept by live-restore" ;;
  restart-engine) k=$(host_number "${1:-}"); kill_daemons "$k"; start_dockerd "$k"; say "lab$k: engine restarted (containers kept by live-restore)" ;;
  status) status ;;
  env) echo "export CLUSTER_HOME=$CLUSTER_HOME" ;;
  *) die "usage: lab.sh up N | down | kill HOST | start HOST | cut HOST | heal HOST | restart-agent HOST [ARG…] | kill-agent HOST | start-agent HOST [ARG…] | kill-engine HOST | stop-engine HOST | start-engine HOST | restart-engine HOST | status | env" ;;
esac
