#!/usr/bin/env bash
# The VFIO modules for the kernel fetch-kernel.sh unpacked (it keeps only the virtio ones):
# downloads the same linux-image package again and keeps vfio*, irqbypass, decompressed,
# in a sibling cache directory that is reused when complete.  Prints that directory.
set -euo pipefail
usage() {
  cat <<EOF2
usage: $0 KERNEL_DIR
  KERNEL_DIR is what tests/realdriver/guest/fetch-kernel.sh printed.  Writes
  KERNEL_DIR/../vfio-<kver>/{*.ko,modules.order} and prints that directory.
  Exit 0 ok, 77 when apt or the package cannot be had, 2 on bad use.
EOF2
}
case ${1:-} in -h|--help) usage; exit 0 ;; esac
[ $# -eq 1 ] || { usage >&2; exit 2; }
KDIR=$1
[ -f "$KDIR/.complete" ] && [ -f "$KDIR/kver" ] || { echo "$0: $KDIR is not a fetch-kernel.sh directory" >&2; exit 2; }
KVER=$(cat "$KDIR/kver")
PKG=linux-image-$KVER
# Load order (pci-vfio notes): dependencies first.
MODS="vfio vfio_iommu_type1 irqbypass vfio_virqfd vfio-pci-core vfio-pci"
OUT=$(cd "$KDIR/.." && pwd)/vfio-$KVER
if [ -f "$OUT/.complete" ]; then echo "$OUT"; exit 0; fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { echo "SKIP: no apt-get/dpkg-deb" >&2; exit 77; }
WORK=$(mktemp -d "$(dirname "$OUT")/.vfio.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
if ! (cd "$WORK" && apt-get download "$PKG" >&2); then
  echo "SKIP: apt-get download $PKG failed (offline?)" >&2
  exit 77
fi
mkdir -p "$WORK/x" "$WORK/out"
dpkg-deb -x "$WORK"/"$PKG"_*.deb "$WORK/x"
for m in $MODS; do
  f=$(find "$WORK/x/lib/modules/$KVER" \( -name "$m.ko" -o -name "$m.ko.xz" \) | head -1)
  [ -n "$f" ] || { echo "fetch-vfio: module $m not in $PKG" >&2; exit 1; }
  case $f in
    *.xz) xz -dc "$f" >"$WORK/out/$m.ko" ;;
    *) cp "$f" "$WORK/out/$m.ko" ;;
  esac
done
echo "$MODS" >"$WORK/out/modules.order"
touch "$WORK/out/.complete"
rm -rf "$OUT"
mv "$WORK/out" "$OUT"
echo "$OUT"
