#!/usr/bin/env bash
# Boots Debian's Linux 6.1 under QEMU 7.2 (TCG) with its unmodified virtio_net driver on a
# vhost-user back-end that answers ARP and ping for 10.0.0.1; the guest's /init reports
# `RESULT` lines on the serial console and this script checks that all expected ones came.
set -euo pipefail
RD_NAME=guest.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

usage() {
  cat <<EOF
usage: $0 [options]
  --backend vdpa|dpdk  (env RD_BACKEND; default vdpa) vdpa = vionic-vdpa --peer responder,
                       dpdk = testpmd net_vhost --forward-mode=icmpecho (answers ARP too)
  --vdpa-bin PATH      vionic-vdpa binary (env VIONIC_VDPA; default build/bin/vionic-vdpa)
  --kernel-cache DIR   where fetch-kernel.sh keeps the kernel (default build/realdriver-kernel)
  --queues N           vhost-user queue pairs (default 1; N>1 adds mq=on)
  --packed             packed=on on the virtio-net-pci device
  --count N            pings (default 200)
  --static-arp MAC     static ARP entry for 10.0.0.1 in the guest (for back-ends without ARP)
  --link-test          also check carrier 1 -> 0 -> 1 around link_change() (see below)
  --timeout S          limit for QEMU (default 240)
  --keep               keep the temp dir (console log, back-end log)
Exit 0 when every expected RESULT line is there, 1 if not, 2 on bad use, 77 skip.
The link change is done by the function link_change in this file (default: QEMU monitor
'set_link'); replace its body to drive the link from the back-end instead.
EOF
}

BACKEND=${RD_BACKEND:-vdpa}
VDPA_BIN=${VIONIC_VDPA:-$HERE/../../../build/bin/vionic-vdpa}
KCACHE=$HERE/../../../build/realdriver-kernel
NQ=1 PACKED=0 COUNT=200 ARP="" LINKTEST=0 LIMIT=240
MAC=52:54:00:12:34:56
while [ $# -gt 0 ]; do
  case $1 in
    --backend) BACKEND=${2:?}; shift 2 ;;
    --vdpa-bin) VDPA_BIN=${2:?}; shift 2 ;;
    --kernel-cache) KCACHE=${2:?}; shift 2 ;;
    --queues) NQ=${2:?}; shift 2 ;;
    --packed) PACKED=1; shift ;;
    --count) COUNT=${2:?}; shift 2 ;;
    --static-arp) ARP=${2:?}; shift 2 ;;
    --link-test) LINKTEST=1; shift ;;
    --timeout) LIMIT=${2:?}; shift 2 ;;
    --keep) RD_KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$0: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[[ $NQ =~ ^[0-9]+$ ]] && [ "$NQ" -ge 1 ] && [ "$NQ" -le 8 ] || rd_die "--queues must be 1..8"
[[ $COUNT =~ ^[0-9]+$ ]] && [ "$COUNT" -ge 1 ] || rd_die "--count must be a positive integer"
[[ $LIMIT =~ ^[0-9]+$ ]] || rd_die "--timeout takes seconds"
[ -z "$ARP" ] || [[ $ARP =~ ^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$ ]] || rd_die "--static-arp needs a MAC"
case $BACKEND in vdpa|dpdk) ;; *) rd_die "--backend must be vdpa or dpdk" ;; esac
# QEMU owns its virtio-net's config space: give it the simulated device's own MAC, as an
# operator would, so the guest's eth0 carries the device's address.
if [ "$BACKEND" = vdpa ] && [ -x "$VDPA_BIN" ]; then
  MAC=$("$VDPA_BIN" --info | sed -n 's/^mac //p')
  [ -n "$MAC" ] || rd_die "vionic-vdpa --info printed no MAC"
fi

QEMU=${QEMU:-$(command -v qemu-system-x86_64 || true)}
[ -n "$QEMU" ] && [ -x "$QEMU" ] || rd_skip "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
rc=0
KDIR=$("$HERE/fetch-kernel.sh" "$KCACHE") || rc=$?
[ $rc -eq 0 ] || { [ $rc -eq 77 ] && rd_skip "no Linux kernel package to boot"; rd_die "fetch-kernel.sh failed ($rc)"; }

rd_init
T0=$(rd_now_ms)
rc=0
"$HERE/mkinitramfs.sh" "$KDIR" "$RD_TMP/initrd.gz" || rc=$?
[ $rc -eq 0 ] || { [ $rc -eq 77 ] && rd_skip "cannot build the initramfs"; rd_die "mkinitramfs.sh failed ($rc)"; }

SOCK=$RD_TMP/vu.sock
CON=$RD_TMP/console.log
BLOG=$RD_TMP/backend.log
RD_BACKEND_TIMEOUT=${RD_BACKEND_TIMEOUT:-$((LIMIT + 10))}
QMP=$RD_TMP/qmp.sock
# vionic-vdpa forwards the device's link (its config interrupts) to QEMU over QMP.
[ "$BACKEND" = vdpa ] && export RD_VDPA_ARGS="${RD_VDPA_ARGS:-} --qmp $QMP --qmp-netdev n0"
rd_start_backend "$BACKEND" "$SOCK" "$NQ" responder "$BLOG" "$VDPA_BIN" || exit 2

# QEMU's human monitor on a pipe pair: no socket client needed to send it commands.
mkfifo "$RD_TMP/mon.in" "$RD_TMP/mon.out"
cat "$RD_TMP/mon.out" >"$RD_TMP/monitor.log" &
RD_PIDS+=($!)

# link_change UP(0|1): THE HOOK. Makes the guest's carrier follow UP. Default: QEMU's own
# virtio-net link state (config change interrupt). To test a back-end-driven link, replace
# the body with a request to the back-end (e.g. a signal or control socket of vionic-vdpa).
link_change() {
  if [ "$BACKEND" = vdpa ]; then
    # The cable at the model's MAC: SIGUSR2 makes vionic-vdpa toggle the MAC link; the
    # firmware raises a config interrupt and the bridge tells QEMU (set_link over QMP).
    # (RD_BACKEND_PID is the timeout(1) wrapper: signal the bridge under it)
    pkill -USR2 -P "$RD_BACKEND_PID" || rd_log "link_change $1: back-end gone"
    return
  fi
  local st=off
  [ "$1" = 1 ] && st=on
  # timeout: opening the FIFO would block forever if QEMU were gone.
  timeout 5 sh -c 'echo "set_link n0 $1" >"$2"' sh "$st" "$RD_TMP/mon.in" || rd_log "link_change $1 failed"
}

dev="virtio-net-pci,netdev=n0,mac=$MAC,vectors=0"   # vectors=0: QEMU 7.2 MSI-X crash
[ "$NQ" -gt 1 ] && dev+=",mq=on"
[ "$PACKED" = 1 ] && dev+=",packed=on"
append="console=ttyS0 quiet panic=-1 vionic.mac=$MAC vionic.count=$COUNT vionic.linktest=$LINKTEST"
[ -n "$ARP" ] && append+=" vionic.arp=$ARP"
: >"$CON"
# memfd + share=on: a vhost-user back-end must map guest memory.
timeout -k 5 "$LIMIT" "$QEMU" -nodefaults -no-reboot -display none -accel tcg -smp 1 -m 256M \
  -M q35,memory-backend=mem -object memory-backend-memfd,id=mem,size=256M,share=on \
  -kernel "$KDIR/vmlinuz" -initrd "$RD_TMP/initrd.gz" -append "$append" \
  -chardev socket,id=c0,path="$SOCK" -netdev vhost-user,id=n0,chardev=c0,queues="$NQ" \
  -device "$dev" -serial file:"$CON" \
  -chardev pipe,id=mon0,path="$RD_TMP/mon" -mon chardev=mon0,mode=readline \
  -qmp unix:"$QMP",server=on,wait=off \
  >"$RD_TMP/qemu.log" 2>&1 &
QPID=$!
RD_PIDS+=("$QPID")

# Serve the guest's HOOK requests while it runs.
hooks=0
while kill -0 "$QPID" 2>/dev/null; do
  n=$(grep -c '^HOOK ' "$CON" || true)
  while [ "$hooks" -lt "$n" ]; do
    hooks=$((hooks + 1))
    h=$(grep '^HOOK ' "$CON" | sed -n "${hooks}p" | tr -d '\r')
    case $h in
      "HOOK link-down") link_change 0 ;;
      "HOOK link-up") link_change 1 ;;
      *) rd_log "unknown guest request '$h'" ;;
    esac
  done
  sleep 0.2
done
qrc=0
wait "$QPID" || qrc=$?
T1=$(rd_now_ms)

tr -d '\r' <"$CON" | grep '^RESULT ' || true
want=("RESULT mac ok" "RESULT link up" "RESULT ping $COUNT/$COUNT" "RESULT done")
missing=()
for w in "${want[@]}"; do grep -qx "$w" <(tr -d '\r' <"$CON") || missing+=("$w"); done
if [ "$LINKTEST" = 1 ]; then
  seq=$(tr -d '\r' <"$CON" | sed -n 's/^RESULT carrier //p' | tr '\n' ' ')
  [ "$seq" = "1 0 1 " ] || missing+=("RESULT carrier 1/0/1 (got: ${seq:-none})")
fi
grep -q '^RESULT insmod' "$CON" && missing+=("all modules loaded")
# The guest's virtio core complains of a device that breaks the ring protocol (a used id
# that is not an outstanding head, a used len too long ...) and then marks the ring broken.
bad=$(tr -d '\r' <"$CON" | grep -E 'virtio.*(is not a head|used len|broken|unexpected)' | head -1 || true)
[ -n "$bad" ] && missing+=("a clean virtio ring (guest said: $bad)")
# The driver's negotiated features, one character per bit: QEMU drops what the back-end
# does not offer, so packed=on alone proves nothing.
fbits=$(tr -d '\r' <"$CON" | sed -n 's/^RESULT features //p' | head -1)
has_bit() { [ "${fbits:$1:1}" = 1 ] || missing+=("feature bit $1 ($2)"); }
has_bit 32 VERSION_1
[ "$PACKED" = 1 ] && has_bit 34 RING_PACKED
[ "$NQ" -gt 1 ] && has_bit 22 MQ
# the device's own EVENT_IDX (used_event / avail_event in the guest's rings)
[ "$BACKEND" = vdpa ] && has_bit 29 EVENT_IDX
[ "$BACKEND" = vdpa ] && { rd_wait 10 eval '! kill -0 $RD_BACKEND_PID 2>/dev/null' || true; rd_backend_stats "$BLOG"; }
if [ ${#missing[@]} -ne 0 ] || [ $qrc -ne 0 ]; then
  echo "FAIL: backend $BACKEND: qemu exit $qrc; missing: ${missing[*]:-none}"
  echo "--- console (tail)"; tail -25 "$CON"
  echo "--- qemu"; tail -10 "$RD_TMP/qemu.log"
  echo "--- backend (tail)"; tail -10 "$BLOG"
  exit 1
fi
echo "PASS: backend $BACKEND queues $NQ packed $PACKED: $COUNT/$COUNT pings, guest run $((T1 - T0)) ms wall"
