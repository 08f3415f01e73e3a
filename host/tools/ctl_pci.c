/* vionicctl's PCI-only parts: list, and info on a function without VFIO (config space and
 * the virtio structures through the BARs; the device is reset, never brought up). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl_json.h"
#include "ctl_pci.h"
#include "vionic_regs.h"
#include "vn_pci.h"

#define PROG "vionicctl"
#define MAX_FNS 64u

int ctl_pci_list(bool sim, bool json)
{
    struct vn_tr_pci_fn fn[MAX_FNS];
    struct ctl_json j;
    unsigned n = 0;

    if (sim) {
        if (json) {
            cj_begin(&j, stdout);
            cj_str(&j, "backend", "sim");
            cj_arr(&j, "functions");
            cj_obj(&j, NULL);
            cj_str(&j, "bdf", "sim");
            cj_str(&j, "id", "1af4:1041");
            cj_str(&j, "driver", "vionicctl");
            cj_end(&j);
            cj_end(&j);
            cj_end(&j);
        } else {
            printf("%-13s %-9s %-12s %s\n", "BDF", "ID", "DRIVER", "IOMMU");
            printf("%-13s %-9s %-12s %s\n", "sim", "1af4:1041", "-",
                   "- (the in-process model of vionic)");
        }
        return 0;
    }
    int rc = vn_tr_pci_list(fn, MAX_FNS, &n);
    if (rc) {
        fprintf(stderr, PROG ": cannot list PCI functions: %s\n", strerror(-rc));
        return 1;
    }
    if (json) {
        cj_begin(&j, stdout);
        cj_str(&j, "backend", "pci");
        cj_arr(&j, "functions");
    } else if (n == 0) {
        printf("no virtio-net functions on the PCI bus\n");
        return 0;
    } else {
        printf("%-13s %-9s %-12s %s\n", "BDF", "ID", "DRIVER", "IOMMU");
    }
    for (unsigned i = 0; i < n && i < MAX_FNS; i++) {
        char id[16], grp[16];
        snprintf(id, sizeof id, "%04x:%04x", fn[i].vendor, fn[i].device);
        snprintf(grp, sizeof grp, "%d", fn[i].iommu_group);
        if (json) {
            cj_obj(&j, NULL);
            cj_str(&j, "bdf", fn[i].bdf);
            cj_str(&j, "id", id);
            cj_str(&j, "driver", fn[i].driver);
            if (fn[i].iommu_group >= 0)
                cj_u64(&j, "iommu_group", (uint64_t)fn[i].iommu_group);
            cj_end(&j);
        } else {
            printf("%-13s %-9s %-12s %s%s\n", fn[i].bdf, id, fn[i].driver[0] ? fn[i].driver : "-",
                   fn[i].iommu_group >= 0 ? grp : "-",
                   fn[i].device == 0x1000 ? "  (transitional: not supported)" : "");
        }
    }
    if (json) {
        cj_end(&j);
        cj_end(&j);
    }
    return 0;
}

int ctl_pci_info_nodma(struct vn_tr *tr, bool json)
{
    struct vn_pci p;
    uint32_t ids = 0, mac_ok;
    uint64_t feat = 0;
    uint16_t nq = 0;
    uint8_t st = 0, mac[6] = {0};
    int rc;

    if ((rc = vn_tr_cfg_read(tr, VN_CFG_VENDOR_ID, 4, &ids)) || (rc = vn_pci_probe(tr, &p)) ||
        (rc = vn_pci_enable(&p)) || (rc = vn_pci_read_device_features(&p, &feat)) ||
        (rc = vn_pci_get_num_queues(&p, &nq)) || (rc = vn_pci_get_device_status(&p, &st))) {
        fprintf(stderr, PROG ": %s: reading the virtio structures failed: %s\n",
                vn_tr_pci_bdf(tr), strerror(-rc));
        return 1;
    }
    mac_ok = (feat & (UINT64_C(1) << VN_F_MAC)) &&
             vn_pci_device_read_bytes(&p, VN_DEVICE_NET_MAC, mac, 6) == 0;
    if (vn_pci_disable(&p))
        fprintf(stderr, PROG ": could not turn bus mastering off again\n");
    if (json) {
        struct ctl_json j;
        cj_begin(&j, stdout);
        cj_str(&j, "backend", "pci");
        cj_str(&j, "command", "info");
        cj_str(&j, "bdf", vn_tr_pci_bdf(tr));
        cj_hex(&j, "vendor_id", ids & 0xffff);
        cj_hex(&j, "device_id", ids >> 16);
        cj_hex(&j, "features_offered", feat);
        cj_u64(&j, "num_queues", nq);
        cj_u64(&j, "msix_entries", p.msix_entries);
        cj_hex(&j, "device_status", st);
        cj_bool(&j, "dma", false);
        cj_end(&j);
        return 0;
    }
    printf("device:      %04x:%04x at %s (virtio-net, modern)\n", ids & 0xffff, ids >> 16,
           vn_tr_pci_bdf(tr));
    printf("offered:     0x%016" PRIx64 "\n", feat);
    if (mac_ok)
        printf("mac:         %02x:%02x:%02x:%02x:%02x:%02x\n", mac[0], mac[1], mac[2], mac[3],
               mac[4], mac[5]);
    printf("queues:      %u virtqueues, %u MSI-X entries, device_status 0x%02x\n", nq,
           p.msix_entries, st);
    printf("rings:       not brought up: no DMA without VFIO (bind the function to vfio-pci, "
           "see docs/pci-transport.md)\n");
    return 0;
}
