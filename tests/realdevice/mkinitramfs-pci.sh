#!/usr/bin/env bash
# The realdevice variant of tests/realdriver/guest/mkinitramfs.sh: static busybox, the VFIO
# modules, the statically linked test program and vionicctl, and an /init that checks the
# bad conditions (non-virtio function, no VFIO binding), binds 0000:00:01.0 to vfio-pci,
# runs the test over it and powers off.  Every verdict is a `CHECK name ok|FAIL ...` line.
set -euo pipefail
usage() {
  cat <<EOF2
usage: $0 VFIO_DIR TEST_BIN CTL_BIN OUT.cpio.gz
  VFIO_DIR is what fetch-vfio.sh printed; TEST_BIN vionic-rdev-test-static, CTL_BIN
  vionicctl-static.  Exit 0 ok, 77 when busybox-static or cpio is missing, 2 on bad use.
EOF2
}
case ${1:-} in -h|--help) usage; exit 0 ;; esac
[ $# -eq 4 ] || { usage >&2; exit 2; }
VDIR=$1 TEST=$2 CTL=$3 OUT=$4
[ -f "$VDIR/.complete" ] || { echo "$0: $VDIR is not a fetch-vfio.sh directory" >&2; exit 2; }
for b in "$TEST" "$CTL"; do
  [ -x "$b" ] || { echo "$0: $b is not an executable" >&2; exit 2; }
  if ldd "$b" >/dev/null 2>&1; then echo "$0: $b is dynamically linked" >&2; exit 2; fi
done
BB=${BUSYBOX:-/bin/busybox}
[ -x "$BB" ] || { echo "SKIP: $BB not found (apt-get install busybox-static)" >&2; exit 77; }
if ldd "$BB" >/dev/null 2>&1; then echo "SKIP: $BB is dynamic; install busybox-static" >&2; exit 77; fi
command -v cpio >/dev/null || { echo "SKIP: cpio not found" >&2; exit 77; }

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vionic-rdev-initrd.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT"/{bin,proc,sys,dev,lib/modules}
cp "$BB" "$ROOT/bin/busybox"
for a in sh mount insmod cat grep sed sleep poweroff echo ls readlink basename; do
  ln -s busybox "$ROOT/bin/$a"
done
cp "$VDIR"/*.ko "$ROOT/lib/modules/"
cp "$VDIR/modules.order" "$ROOT/modules.order"
cp "$TEST" "$ROOT/bin/vionic-rdev-test"
cp "$CTL" "$ROOT/bin/vionicctl"

cat >"$ROOT/init" <<'EOF2'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
D=0000:00:01.0
finish() { echo "GUEST done"; poweroff -f; sleep 10; }
# expect NAME WANT_RC PATTERN CMD...: one CHECK line from a command's status and output.
expect() {
  name=$1 want=$2 pat=$3; shift 3
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" = "$want" ] && echo "$out" | grep -q -- "$pat"; then
    echo "CHECK $name ok $(echo "$out" | grep -- "$pat" | head -1)"
  else
    echo "CHECK $name FAIL rc $rc (want $want, /$pat/): $(echo "$out" | tr '\n' '|')"
  fi
}
for m in $(cat /modules.order); do
  insmod /lib/modules/$m.ko || echo "CHECK insmod_$m FAIL"
done
[ -e /sys/bus/pci/devices/$D ] || { echo "CHECK nic_present FAIL no $D"; finish; }
# Bad conditions while the NIC is bound to nothing.
expect ctl_not_virtio 1 "not a virtio-net function" vionicctl --device 00:00.0 info
expect ctl_no_such_bdf 1 "no PCI function at 0000:00:1e.7" vionicctl --device 00:1e.7 info
expect ctl_no_vfio_datapath 1 "bind $D to vfio-pci" vionicctl --device $D stats
expect ctl_no_vfio_info 0 "not brought up: no DMA" vionicctl --device $D info
expect test_no_vfio 1 "bind $D to vfio-pci" vionic-rdev-test --device $D
# Bind to vfio-pci and wait for the group's node.
echo vfio-pci >/sys/bus/pci/devices/$D/driver_override
echo $D >/sys/bus/pci/drivers_probe
G=$(basename "$(readlink /sys/bus/pci/devices/$D/iommu_group)")
n=0; while [ ! -e /dev/vfio/$G ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
expect ctl_list 0 "$D  1af4:1041 vfio-pci     $G" vionicctl list
vionic-rdev-test --device $D 2>&1
expect test_dma_cap 1 "DMA memory exhausted" vionic-rdev-test --device $D --dma-cap 65536
expect ctl_info_vfio 0 "negotiated: .*RING_RESET" vionicctl --device $D info
expect ctl_queue_reset 0 "enabled: 64 entries" vionicctl --device $D queue reset 1 --size 64
finish
EOF2
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT"
