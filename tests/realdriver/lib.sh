# shellcheck shell=bash
# Shared helpers for the real-driver harness (sourced, not run).
# Every script: one mktemp dir, every child registered for the EXIT trap, DPDK runtime
# dirs (/var/run/dpdk/<prefix>) removed, and exit 77 (ctest SKIP) when a tool is missing.

RD_PIDS=()
RD_PREFIXES=()
RD_TMP=""
RD_KEEP=${RD_KEEP:-0}

rd_log() { printf '%s: %s\n' "${RD_NAME:-realdriver}" "$*" >&2; }
rd_die() { rd_log "error: $*"; exit 2; }
rd_skip() { echo "SKIP: $*"; exit 77; }

rd_cleanup() {
  local rc=$?
  set +e   # a failing kill or rm here must not cut the cleanup short
  local p
  [ -n "${RD_SLEEP_PID:-}" ] && kill "$RD_SLEEP_PID" 2>/dev/null || true
  # timeout(1) forwards TERM to its child, so killing the registered pid is enough.
  for p in "${RD_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${RD_PIDS[@]}"; do
    local i=0
    while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "$p" 2>/dev/null || true
  done
  for p in "${RD_PREFIXES[@]}"; do rm -rf "/var/run/dpdk/$p" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$p"; done
  if [ -n "$RD_TMP" ] && [ -d "$RD_TMP" ]; then
    if [ "$RD_KEEP" = 1 ]; then rd_log "kept $RD_TMP"; else rm -rf "$RD_TMP"; fi
  fi
  exit "$rc"
}

rd_init() {
  RD_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vionic-rd.XXXXXX")
  trap rd_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# rd_prefix NAME: sets RD_PFX to a --file-prefix unique to this run, cleaned up on exit.
# (Not $(rd_prefix): the registration must happen in this shell, not a subshell.)
rd_prefix() {
  RD_PFX="vionic-rd-$1-$$"
  RD_PREFIXES+=("$RD_PFX")
}

# rd_wait DEADLINE_S CMD...: poll CMD every 50 ms until it succeeds; 1 on deadline.
rd_wait() {
  local end=$(( $(date +%s%N) / 1000000 + $1 * 1000 ))
  shift
  while ! "$@"; do
    [ $(( $(date +%s%N) / 1000000 )) -ge $end ] && return 1
    sleep 0.05
  done
}

# rd_sleep S: a sleep that a TERM/INT trap interrupts at once (bash runs traps only
# between foreground commands, but does interrupt `wait`).
rd_sleep() { sleep "$1" & RD_SLEEP_PID=$!; wait $!; }

rd_now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

rd_need_testpmd() {
  RD_TESTPMD=${DPDK_TESTPMD:-$(command -v dpdk-testpmd || true)}
  [ -n "$RD_TESTPMD" ] && [ -x "$RD_TESTPMD" ] || rd_skip "dpdk-testpmd not found (apt-get install dpdk-dev)"
  command -v stdbuf >/dev/null || rd_skip "stdbuf (coreutils) not found"
}

# Ready, or dead (then the caller's kill -0 reports it at once rather than after 20 s).
rd_backend_listening() { [ -S "$1" ] || ! kill -0 "$RD_BACKEND_PID" 2>/dev/null; }

# rd_start_backend KIND SOCK QUEUES PEER LOG [VDPA_BIN]
#   KIND vdpa: vionic-vdpa server on SOCK; dpdk: testpmd net_vhost stand-in.
#   PEER loopback (every frame back into RX) or responder (ARP/ICMP echo).
# Sets RD_BACKEND_PID; returns once SOCK exists (the front-end may connect).
rd_start_backend() {
  local kind=$1 sock=$2 nq=$3 peer=$4 log=$5 bin=${6:-}
  rm -f "$sock"
  case $kind in
    vdpa)
      [ -n "$bin" ] && [ -x "$bin" ] || rd_skip "vionic-vdpa binary not found ('$bin'); give --vdpa-bin"
      local qarg=()
      # --queues is only passed when needed, so a build without MQ still runs 1-queue tests.
      [ "$nq" -gt 1 ] && qarg=(--queues "$nq")
      # shellcheck disable=SC2086 # RD_VDPA_ARGS: extra words on purpose
      timeout -k 5 "${RD_BACKEND_TIMEOUT:-110}" "$bin" --socket "$sock" "${qarg[@]}" \
        --peer "$peer" --peer-ip 10.0.0.1 --once --stats ${RD_VDPA_ARGS:-} >"$log" 2>&1 &
      ;;
    dpdk)
      rd_need_testpmd
      local fwd=io
      [ "$peer" = responder ] && fwd=icmpecho
      fwd=${RD_DPDK_FWD:-$fwd}   # self-test hook: rxonly makes a back-end that loses every packet
      # Main lcore and forwarding lcore share CPU 0; the front-end testpmd uses CPU 1,
      # so the two busy-polling forwarders never fight for one CPU.
      rd_prefix back
      timeout -k 5 "${RD_BACKEND_TIMEOUT:-110}" stdbuf -o0 "$RD_TESTPMD" \
        --no-huge --no-pci -m 256 --file-prefix="$RD_PFX" --lcores='(0,1)@0' \
        --vdev "net_vhost0,iface=$sock,queues=$nq" -- \
        --forward-mode="$fwd" --rxq="$nq" --txq="$nq" --nb-cores=1 \
        --total-num-mbufs=16384 --stats-period 3600 >"$log" 2>&1 </dev/null &
      ;;
    *) rd_die "unknown backend '$kind' (vdpa|dpdk)" ;;
  esac
  RD_BACKEND_PID=$!
  RD_PIDS+=("$RD_BACKEND_PID")
  if ! rd_wait 20 rd_backend_listening "$sock" || ! kill -0 "$RD_BACKEND_PID" 2>/dev/null; then
    rd_log "backend did not create $sock; its log:"
    tail -20 "$log" >&2
    return 1
  fi
}

# rd_backend_stats LOG: the back-end's own counters (vionic-vdpa --stats lines).
rd_backend_stats() { grep '^vdpa-stats:' "$1" 2>/dev/null || true; }

# rd_backend_snapshot LOG: a running vionic-vdpa's counters now (SIGUSR1), for a failure's
# report: per ring what the device still owes the driver, and the device's own drop counts.
rd_backend_snapshot() {
  local log=$1 pid n0
  pid=$(pgrep -P "${RD_BACKEND_PID:-0}" -x vionic-vdpa 2>/dev/null | head -1)
  [ -n "$pid" ] || return 0
  n0=$(grep -c '^vdpa-stats: device' "$log" 2>/dev/null || true)
  kill -USR1 "$pid" 2>/dev/null || return 0
  _rd_more_stats() { [ "$(grep -c '^vdpa-stats: device' "$log" 2>/dev/null || true)" -gt "${n0:-0}" ]; }
  rd_wait 5 _rd_more_stats || true
  echo "backend counters at the failure:" >&2
  grep '^vdpa-stats:' "$log" | awk '/^vdpa-stats: q0 /{n=0} {l[n++]=$0} END{for(i=0;i<n;i++)print l[i]}' >&2
}
