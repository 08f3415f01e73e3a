/* What sysfs says about a PCI function: its address, the driver bound to it and its IOMMU
 * group.  Private to the pci transport and its listing. */
#ifndef VN_PCI_SYSFS_H
#define VN_PCI_SYSFS_H

#include <stddef.h>
#include <stdint.h>

#define VN_PCI_SYSFS_DEVICES "/sys/bus/pci/devices"

struct vn_bdf {
    uint16_t domain;
    uint8_t bus, dev, func;
};

/* "BB:DD.F" (domain 0) or "DDDD:BB:DD.F", hex digits: 0 or -EINVAL. */
int vn_bdf_parse(const char *text, struct vn_bdf *out);
/* DDDD:BB:DD.F into buf (at least 13 bytes). */
void vn_bdf_format(const struct vn_bdf *b, char *buf, size_t len);
/* Name of the bound driver into buf ("" when none): 0 or -errno. */
int vn_sysfs_driver(const char *bdf, char *buf, size_t len);
/* The IOMMU group number, or -1 when the function is in none. */
int vn_sysfs_iommu_group(const char *bdf);

#endif
