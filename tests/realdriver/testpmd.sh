#!/usr/bin/env bash
# Unmodified DPDK virtio PMD (net_virtio_user) against a vhost-user back-end in loopback:
# testpmd io-forwards a tx_first burst round and round for a bounded time, then proves
# that every packet it sent came back (exact counts, bytes and per queue).
set -euo pipefail
RD_NAME=testpmd.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

usage() {
  cat <<EOF
usage: $0 [options]
  --backend vdpa|dpdk  device back-end (env RD_BACKEND; default vdpa):
                       vdpa = vionic-vdpa --peer loopback, dpdk = testpmd net_vhost io fwd
  --vdpa-bin PATH      vionic-vdpa binary (env VIONIC_VDPA; default build/bin/vionic-vdpa)
  --queues N           queue pairs (default 1)
  --in-order           virtio_user in_order=1 (default in_order=0)
  --mrg-rxbuf 0|1      virtio_user mrg_rxbuf (default 0)
  --packed             virtio_user packed_vq=1 (default split)
  --pkt-len N          frame length of the tx_first burst (default 64; above one mbuf's
                       data room the frames are multi-segment mbufs and need
                       --mrg-rxbuf 1 to come back)
  --mbuf-size N        testpmd's mbuf size incl. its 128-byte headroom (default 2176: a
                       2048-byte data room); smaller makes frames span receive buffers
  --mode traffic|restart
                       restart: traffic, port stop, rxd/txd 512, port start, traffic again
  --duration S         seconds of circulating traffic per phase (default 3)
  --min-pkts N         each queue must receive at least N packets (default 64)
  --timeout S          hard limit for the whole run (default 100)
  --keep               keep the temp dir (logs) for inspection
Prints PASS/FAIL lines with the counts; exit 0 pass, 1 fail, 2 usage/setup, 77 skip.
EOF
}

BACKEND=${RD_BACKEND:-vdpa}
VDPA_BIN=${VIONIC_VDPA:-$HERE/../../build/bin/vionic-vdpa}
NQ=1 INORDER=0 MRG=0 PACKED=0 PKTLEN=64 MBUF=2176 MODE=traffic DURATION=3 MINPKTS=64 LIMIT=100 CLIENT=0
while [ $# -gt 0 ]; do
  case $1 in
    --backend) BACKEND=${2:?}; shift 2 ;;
    --vdpa-bin) VDPA_BIN=${2:?}; shift 2 ;;
    --queues) NQ=${2:?}; shift 2 ;;
    --in-order) INORDER=1; shift ;;
    --mrg-rxbuf) MRG=${2:?}; shift 2 ;;
    --packed) PACKED=1; shift ;;
    --pkt-len) PKTLEN=${2:?}; shift 2 ;;
    --mbuf-size) MBUF=${2:?}; shift 2 ;;
    --mode) MODE=${2:?}; shift 2 ;;
    --duration) DURATION=${2:?}; shift 2 ;;
    --min-pkts) MINPKTS=${2:?}; shift 2 ;;
    --timeout) LIMIT=${2:?}; shift 2 ;;
    --keep) RD_KEEP=1; shift ;;
    --backend-client) CLIENT=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$0: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
isnum() { [[ $1 =~ ^[0-9]+$ ]]; }
isnum "$NQ" && [ "$NQ" -ge 1 ] && [ "$NQ" -le 8 ] || rd_die "--queues must be 1..8"
[[ $MRG =~ ^[01]$ ]] || rd_die "--mrg-rxbuf must be 0 or 1"
isnum "$PKTLEN" && [ "$PKTLEN" -ge 64 ] && [ "$PKTLEN" -le 9000 ] || rd_die "--pkt-len must be 64..9000"
isnum "$MBUF" && [ "$MBUF" -ge 512 ] && [ "$MBUF" -le 65535 ] || rd_die "--mbuf-size must be 512..65535"
isnum "$DURATION" && isnum "$MINPKTS" && isnum "$LIMIT" || rd_die "--duration/--min-pkts/--timeout take integers"
case $MODE in traffic|restart) ;; *) rd_die "--mode must be traffic or restart" ;; esac
case $BACKEND in vdpa|dpdk) ;; *) rd_die "--backend must be vdpa or dpdk" ;; esac

rd_need_testpmd
rd_init
SOCK=$RD_TMP/vu.sock
LOG=$RD_TMP/frontend.log
BLOG=$RD_TMP/backend.log
T0=$(rd_now_ms)
RD_BACKEND_TIMEOUT=${RD_BACKEND_TIMEOUT:-$((LIMIT + 10))}
[ "$CLIENT" = 1 ] && [ "$BACKEND" != vdpa ] && rd_die "--backend-client is for the vdpa back-end"
# --backend-client: testpmd listens (virtio_user server=1) and vionic-vdpa connects.
[ "$CLIENT" = 1 ] || rd_start_backend "$BACKEND" "$SOCK" "$NQ" loopback "$BLOG" "$VDPA_BIN" || exit 2

# Every devarg explicit: DPDK 22.11 defaults to in_order=1 and mrg_rxbuf=1.
vdev="net_virtio_user0,path=$SOCK,queues=$NQ,mrg_rxbuf=$MRG,packed_vq=$PACKED,in_order=$INORDER"
[ "$CLIENT" = 1 ] && vdev+=",server=1"
mkfifo "$RD_TMP/cmd"
rd_prefix fe
BIG=(--mbuf-size="$MBUF")
ROOM=$((MBUF - 128))
# Frames beyond one mbuf: chained mbufs on transmit, scattered receive.
[ "$PKTLEN" -gt "$ROOM" ] && BIG+=(--enable-scatter --max-pkt-len=9600 --tx-offloads=0x8000)
# stdbuf -o0: testpmd's stdout is a file, and the prompt/reply protocol below reads it live.
timeout -k 5 "$LIMIT" stdbuf -o0 "$RD_TESTPMD" --no-huge --no-pci -m 256 \
  --file-prefix="$RD_PFX" --lcores='(0,1)@1' --vdev "$vdev" \
  --log-level='pmd.net.virtio.init:debug' -- \
  -i --forward-mode=io --rxq="$NQ" --txq="$NQ" --nb-cores=1 --total-num-mbufs=16384 "${BIG[@]}" \
  --txonly-multi-flow \
  <"$RD_TMP/cmd" >"$LOG" 2>&1 &
FE_PID=$!
RD_PIDS+=("$FE_PID")
exec 3>"$RD_TMP/cmd"
if [ "$CLIENT" = 1 ]; then
  [ -x "$VDPA_BIN" ] || rd_skip "vionic-vdpa binary not found ('$VDPA_BIN')"
  rd_wait 30 test -S "$SOCK" || rd_die "testpmd (server=1) did not create $SOCK"
  qarg=()
  [ "$NQ" -gt 1 ] && qarg=(--queues "$NQ")
  timeout -k 5 "$RD_BACKEND_TIMEOUT" "$VDPA_BIN" --socket "$SOCK" --client "${qarg[@]}" \
    --peer loopback --once --stats >"$BLOG" 2>&1 &
  RD_BACKEND_PID=$!
  RD_PIDS+=("$RD_BACKEND_PID")
fi

# The prompt "testpmd> " ends every reply: reply k is the text between prompts k and k+1.
prompts() { grep -o 'testpmd> ' "$LOG" 2>/dev/null | wc -l; }
prompt_after() { [ "$(prompts)" -gt "$1" ] || ! kill -0 "$FE_PID" 2>/dev/null; }
OUT=$RD_TMP/reply
tp() {
  local k
  k=$(prompts)
  echo "$1" >&3
  rd_wait "${2:-20}" prompt_after "$k" || fail "testpmd gave no reply to '$1'"
  kill -0 "$FE_PID" 2>/dev/null || fail "testpmd died during '$1'"
  awk -v k="$k" 'BEGIN{RS="testpmd> "} NR==k+1' "$LOG" >"$OUT"
}
field() { { grep -o "$1 *[0-9]*" "$OUT" | head -1 | grep -o '[0-9]*$'; } || true; }
xstat() { awk -F': ' -v n="$1" '$1==n{print $2; exit}' "$OUT"; }

fail() {
  echo "FAIL: $*"; echo "FAIL logs: frontend/backend tails follow" >&2; tail -15 "$LOG" >&2; tail -15 "$BLOG" >&2
  [ "$BACKEND" = vdpa ] && rd_backend_snapshot "$BLOG"
  # RD_FAIL_HOOK=prog: run with the front-end's pid (timeout's; testpmd is its child) while
  # it still lives, e.g. to read the PMD's ring indices from /proc/PID/mem
  [ -n "${RD_FAIL_HOOK:-}" ] && "$RD_FAIL_HOOK" "$FE_PID" >&2
  exit 1
}

rd_wait 30 prompt_after 0 || fail "testpmd gave no prompt (see log)"
kill -0 "$FE_PID" 2>/dev/null || fail "testpmd exited during start-up"

# A devarg only offers a feature; a back-end that does not offer it gets a silent fallback
# (e.g. packed_vq=1 running split rings). The PMD's init log has the negotiated set.
FEAT=$(sed -n 's/.*features after negotiate = \([0-9a-fA-F]*\).*/\1/p' "$LOG" | head -1)
[ -n "$FEAT" ] || fail "no 'features after negotiate' in testpmd's log"
echo "negotiated features 0x$FEAT"
# The device's own offer (before the driver's choice): a feature the device does not have
# yet is a SKIP that says so, one it offers but the driver did not take is a FAIL.
HOSTF=$(sed -n 's/.*host_features before negotiate = \([0-9a-fA-F]*\).*/\1/p' "$LOG" | head -1)
need_bit() {
  if [ -n "$HOSTF" ] && [ $(( (0x$HOSTF >> $1) & 1 )) = 0 ]; then
    echo "SKIP: the back-end does not offer $2 (device features 0x$HOSTF)"
    exit 77
  fi
  [ $(( (0x$FEAT >> $1) & 1 )) = 1 ] || fail "$2 requested but not negotiated (features 0x$FEAT)"
}
need_bit 32 VERSION_1
[ "$NQ" -gt 1 ] && need_bit 22 "MQ (queues=$NQ)"
[ "$MRG" = 1 ] && need_bit 15 MRG_RXBUF
[ "$PACKED" = 1 ] && need_bit 34 RING_PACKED
[ "$INORDER" = 1 ] && need_bit 35 IN_ORDER
tp "show port info 0"
grep -q 'Link status: up' "$OUT" || fail "port 0 link is not up after start-up"

port_counts() {
  tp "show port stats all"
  TXP=$(field 'TX-packets:'); RXP=$(field 'RX-packets:')
  TXB=$(field 'TX-bytes:'); RXB=$(field 'RX-bytes:')
}
drained() { port_counts && [ "$RXP" -ge "$TXP" ]; }

TOTAL_RX=0 TOTAL_MS=0
# phase NAME: one bounded burst of circulating traffic and the exact-count check.
phase() {
  local name=$1 t1 t2 drops inflight q
  tp "clear port stats all"
  tp "clear port xstats all"
  tp "set fwd io"
  t1=$(rd_now_ms)
  tp "start tx_first"
  rd_sleep "$DURATION"   # traffic time, not synchronisation: the checks below wait on counts
  tp "stop" 30
  t2=$(rd_now_ms)
  drops=$(grep -A3 'Accumulated forward statistics' "$OUT" | grep -o 'TX-dropped: *[0-9]*' | grep -o '[0-9]*$' || true)
  port_counts
  inflight=$((TXP - RXP))
  # Packets still on their way back are drained by an rxonly pass (its start flushes RX).
  tp "set fwd rxonly"
  tp "start"
  rd_wait 10 drained || true
  tp "stop" 30
  tp "set fwd io"
  port_counts
  echo "$name: tx $TXP pkts $TXB bytes, rx $RXP pkts $RXB bytes, in flight at stop $inflight, fwd tx-dropped ${drops:-?}, $((t2 - t1)) ms"
  [ "$TXP" -gt 0 ] || fail "$name: nothing was sent"
  [ "$RXP" = "$TXP" ] || fail "$name: sent $TXP packets, received $RXP"
  [ "$RXB" = "$TXB" ] || fail "$name: sent $TXB bytes, received $RXB"
  [ "${drops:-1}" = 0 ] || fail "$name: testpmd dropped ${drops:-?} packets on transmit"
  tp "show port xstats all"
  for ((q = 0; q < NQ; q++)); do
    local tq rq
    tq=$(xstat "tx_q${q}_good_packets"); rq=$(xstat "rx_q${q}_good_packets")
    echo "$name: q$q tx ${tq:-?} rx ${rq:-?}"
    # A NIC steers each received frame by its flow hash (RSS), not by the queue it was sent
    # on, so per queue only "every queue carried traffic both ways" holds; the totals
    # above are exact.  (--txonly-multi-flow varies the source IP, spreading the flows.)
    [ -n "$tq" ] && [ -n "$rq" ] || fail "$name: no counters for queue $q"
    [ "$tq" -ge "$MINPKTS" ] || fail "$name: queue $q sent only $tq (< $MINPKTS) packets"
    [ "$rq" -ge "$MINPKTS" ] || fail "$name: queue $q received only $rq (< $MINPKTS) packets"
  done
  TOTAL_RX=$((TOTAL_RX + RXP)) TOTAL_MS=$((TOTAL_MS + t2 - t1))
}

if [ "$PKTLEN" -gt "$ROOM" ]; then
  segs=$ROOM rest=$((PKTLEN - ROOM))
  while [ "$rest" -gt "$ROOM" ]; do segs+=",$ROOM"; rest=$((rest - ROOM)); done
  tp "set txpkts $segs,$rest"
elif [ "$PKTLEN" != 64 ]; then
  tp "set txpkts $PKTLEN"
fi
phase traffic
if [ "$MODE" = restart ]; then
  tp "port stop all" 30
  tp "port config all rxd 512"
  tp "port config all txd 512"
  tp "port start all" 30
  # shellcheck disable=SC2016 # expanded by eval, on purpose
  rd_wait 10 eval 'tp "show port info 0" && grep -q "Link status: up" "$OUT"' || fail "link not up after port restart"
  phase restarted
fi

echo quit >&3
exec 3>&-
# shellcheck disable=SC2016
rd_wait 15 eval '! kill -0 $FE_PID 2>/dev/null' || rd_log "testpmd did not quit in time"
if [ "$BACKEND" = vdpa ]; then
  # shellcheck disable=SC2016
  rd_wait 10 eval '! kill -0 $RD_BACKEND_PID 2>/dev/null' || rd_log "vionic-vdpa --once did not exit"
  rd_backend_stats "$BLOG"
fi
pps=$(( TOTAL_MS > 0 ? TOTAL_RX * 1000 / TOTAL_MS : 0 ))
echo "PASS: backend $BACKEND queues $NQ in_order $INORDER mrg_rxbuf $MRG packed $PACKED len $PKTLEN mode $MODE: $TOTAL_RX pkts in $TOTAL_MS ms traffic ($pps pkt/s), wall $(( $(rd_now_ms) - T0 )) ms"
