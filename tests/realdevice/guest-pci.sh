#!/usr/bin/env bash
# The host shim's pci transport against QEMU's own virtio-net-pci: boots Debian's Linux 6.1
# under QEMU (TCG) with an intel-iommu, binds the NIC to vfio-pci in the guest and runs
# vionic-rdev-test --device 0000:00:01.0 plus vionicctl's bad conditions there.  Collects
# the guest's `CHECK` lines; exit 0 only when every expected one is there and ok.
set -euo pipefail
RD_NAME=guest-pci.sh
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../realdriver/lib.sh
. "$HERE/../realdriver/lib.sh"

usage() {
  cat <<EOF2
usage: $0 --test-bin PATH --ctl-bin PATH [--kernel-cache DIR] [--timeout S] [--keep]
  --test-bin PATH      vionic-rdev-test-static (statically linked)
  --ctl-bin PATH       vionicctl-static (statically linked)
  --kernel-cache DIR   fetch-kernel.sh's cache (default build/realdriver-kernel)
  --timeout S          limit for QEMU (default 240)
  --keep               keep the temp dir (console log)
Exit 0 when all expected CHECK lines are ok, 1 if not, 2 on bad use, 77 skip (no QEMU,
no kernel package, no busybox-static).
EOF2
}
TEST_BIN="" CTL_BIN="" KCACHE=$HERE/../../build/realdriver-kernel LIMIT=240
while [ $# -gt 0 ]; do
  case $1 in
    --test-bin) TEST_BIN=${2:?}; shift 2 ;;
    --ctl-bin) CTL_BIN=${2:?}; shift 2 ;;
    --kernel-cache) KCACHE=${2:?}; shift 2 ;;
    --timeout) LIMIT=${2:?}; shift 2 ;;
    --keep) RD_KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$0: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -x "$TEST_BIN" ] || rd_die "--test-bin: '$TEST_BIN' is not an executable"
[ -x "$CTL_BIN" ] || rd_die "--ctl-bin: '$CTL_BIN' is not an executable"
[[ $LIMIT =~ ^[0-9]+$ ]] || rd_die "--timeout takes seconds"

QEMU=${QEMU:-$(command -v qemu-system-x86_64 || true)}
[ -n "$QEMU" ] && [ -x "$QEMU" ] || rd_skip "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
rc=0
KDIR=$("$HERE/../realdriver/guest/fetch-kernel.sh" "$KCACHE") || rc=$?
[ $rc -eq 0 ] || { [ $rc -eq 77 ] && rd_skip "no Linux kernel package to boot"; rd_die "fetch-kernel.sh failed ($rc)"; }
VDIR=$("$HERE/fetch-vfio.sh" "$KDIR") || rc=$?
[ $rc -eq 0 ] || { [ $rc -eq 77 ] && rd_skip "no VFIO modules for the kernel"; rd_die "fetch-vfio.sh failed ($rc)"; }

rd_init
T0=$(rd_now_ms)
"$HERE/mkinitramfs-pci.sh" "$VDIR" "$TEST_BIN" "$CTL_BIN" "$RD_TMP/initrd.gz" || rc=$?
[ $rc -eq 0 ] || { [ $rc -eq 77 ] && rd_skip "cannot build the initramfs"; rd_die "mkinitramfs-pci.sh failed ($rc)"; }

CON=$RD_TMP/console.log
: >"$CON"
# iommu_platform=on: else the device bypasses the vIOMMU and treats IOVAs as guest-physical.
# intremap=on: else VFIO_SET_IOMMU fails with EPERM.  restrict=on: traffic stays in QEMU.
timeout -k 5 "$LIMIT" "$QEMU" -M q35 -accel tcg -cpu max -smp 1 -m 512 -nodefaults \
  -display none -no-reboot -serial file:"$CON" \
  -kernel "$KDIR/vmlinuz" -initrd "$RD_TMP/initrd.gz" \
  -append "console=ttyS0 intel_iommu=on iommu=pt panic=-1 loglevel=4" \
  -device intel-iommu,intremap=on -netdev user,id=n0,restrict=on \
  -device virtio-net-pci,disable-legacy=on,netdev=n0,mac=52:54:00:12:34:56,iommu_platform=on \
  >"$RD_TMP/qemu.log" 2>&1 &
QPID=$!
RD_PIDS+=("$QPID")
qrc=0
wait "$QPID" || qrc=$?
T1=$(rd_now_ms)

tr -d '\r' <"$CON" | grep -E '^(CHECK|RDEV) ' || true
want="ctl_not_virtio ctl_no_such_bdf ctl_no_vfio_datapath ctl_no_vfio_info test_no_vfio ctl_list
      open probe features queue_pair arp qreset_tx qreset_rx device_reset bringup_again arp_again
      test_dma_cap ctl_info_vfio ctl_queue_reset"
missing=()
for w in $want; do
  grep -q "^CHECK $w ok" <(tr -d '\r' <"$CON") || missing+=("$w")
done
nfail=$(tr -d '\r' <"$CON" | grep -c '^CHECK [^ ]* FAIL' || true)
grep -q '^GUEST done' <(tr -d '\r' <"$CON") || missing+=("GUEST done")
if [ ${#missing[@]} -ne 0 ] || [ "$nfail" -ne 0 ] || [ $qrc -ne 0 ]; then
  echo "FAIL: qemu exit $qrc; $nfail failed checks; missing: ${missing[*]:-none}"
  echo "--- console (tail)"; tail -30 "$CON"
  echo "--- qemu"; tail -10 "$RD_TMP/qemu.log"
  exit 1
fi
echo "PASS: $(echo "$want" | wc -w) checks against QEMU's virtio-net-pci over VFIO, guest run $((T1 - T0)) ms wall"
