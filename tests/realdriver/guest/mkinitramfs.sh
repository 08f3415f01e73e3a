#!/usr/bin/env bash
# Builds a tiny initramfs: static busybox, the virtio-net modules from fetch-kernel.sh and
# an /init that tests eth0 and reports `RESULT ...` lines on the console, then powers off.
set -euo pipefail
usage() {
  cat <<EOF
usage: $0 KERNEL_DIR OUT.cpio.gz
  KERNEL_DIR is what fetch-kernel.sh printed. The /init reads its parameters from the
  kernel command line: vionic.mac=MAC (expected eth0 address), vionic.peer=IP (default
  10.0.0.1), vionic.ip=IP/LEN (default 10.0.0.2/24), vionic.count=N (pings, default 200),
  vionic.arp=MAC (static ARP entry for the peer), vionic.linktest=1 (carrier test).
EOF
}
case ${1:-} in -h|--help) usage; exit 0 ;; esac
[ $# -eq 2 ] || { usage >&2; exit 2; }
KDIR=$1 OUT=$2
[ -f "$KDIR/.complete" ] || { echo "$0: $KDIR is not a fetch-kernel.sh directory" >&2; exit 2; }
BB=${BUSYBOX:-/bin/busybox}
[ -x "$BB" ] || { echo "SKIP: $BB not found (apt-get install busybox-static)" >&2; exit 77; }
# A dynamic busybox would find no libc in the initramfs: insist on busybox-static.
if ldd "$BB" >/dev/null 2>&1; then echo "SKIP: $BB is dynamic; install busybox-static" >&2; exit 77; fi
command -v cpio >/dev/null || { echo "SKIP: cpio not found" >&2; exit 77; }

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vionic-initrd.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT"/{bin,sbin,proc,sys,dev,lib/modules}
cp "$BB" "$ROOT/bin/busybox"
for a in sh mount insmod ip ping cat grep sed sleep poweroff echo tr cut; do ln -s busybox "$ROOT/bin/$a"; done
cp "$KDIR"/lib/modules/*/*.ko "$ROOT/lib/modules/"
cp "$KDIR/modules.order" "$ROOT/modules.order"

cat >"$ROOT/init" <<'EOF'
#!/bin/sh
# Runs as PID 1. Every verdict is a `RESULT <what> <value>` line for guest.sh to collect.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
arg() { sed -n "s/.*vionic\.$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
MAC=$(arg mac); PEER=$(arg peer); IPADDR=$(arg ip); COUNT=$(arg count)
ARP=$(arg arp); LINKTEST=$(arg linktest)
: "${PEER:=10.0.0.1}" "${IPADDR:=10.0.0.2/24}" "${COUNT:=200}"
finish() { echo "RESULT done"; poweroff -f; sleep 10; }
# wait_for N CMD: poll CMD every 0.1 s, at most N tenths of a second.
wait_for() { n=$1; shift; while ! "$@"; do n=$((n - 1)); [ $n -le 0 ] && return 1; sleep 0.1; done; }

for m in $(cat /modules.order); do
  insmod /lib/modules/$m.ko || echo "RESULT insmod $m failed"
done
if ! wait_for 100 test -e /sys/class/net/eth0; then echo "RESULT eth0 missing"; finish; fi
echo "RESULT eth0 present"
GOT=$(cat /sys/class/net/eth0/address)
if [ "$GOT" = "$MAC" ]; then echo "RESULT mac ok"; else echo "RESULT mac bad $GOT (want $MAC)"; fi
echo "RESULT features $(cat /sys/class/net/eth0/device/features)"
ip link set lo up
ip link set eth0 up
carrier() { [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = "$1" ]; }
if wait_for 100 carrier 1; then echo "RESULT link up"; else echo "RESULT link down"; fi
ip addr add "$IPADDR" dev eth0
[ -n "$ARP" ] && ip neigh replace "$PEER" lladdr "$ARP" dev eth0 nud permanent
# -A: next echo as soon as the reply is in, so 200 pings take well under a second
# of guest time; -W bounds the wait for the last replies.
OUTP=$(ping -c "$COUNT" -A -W 5 "$PEER" 2>&1 | grep 'packets transmitted')
RCV=$(echo "$OUTP" | sed -n 's/.* \([0-9]*\) packets received.*/\1/p')
echo "RESULT ping ${RCV:-0}/$COUNT"
if [ "$LINKTEST" = 1 ]; then
  echo "RESULT carrier $(cat /sys/class/net/eth0/carrier)"
  # The harness watches for HOOK lines and flips the link; the guest only observes.
  echo "HOOK link-down"
  wait_for 300 carrier 0
  echo "RESULT carrier $(cat /sys/class/net/eth0/carrier 2>/dev/null)"
  echo "HOOK link-up"
  wait_for 300 carrier 1
  echo "RESULT carrier $(cat /sys/class/net/eth0/carrier 2>/dev/null)"
fi
finish
EOF
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT"
