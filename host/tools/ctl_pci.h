/* vionicctl on a real PCI function: the bus listing and what info can show without DMA. */
#ifndef CTL_PCI_H
#define CTL_PCI_H

#include <stdbool.h>

#include "vn_transport.h"

/* virtio-net functions on the PCI bus (sim: the in-process model only).  Exit status. */
int ctl_pci_list(bool sim, bool json);
/* info from config space and device config alone (no VFIO: no rings).  Exit status. */
int ctl_pci_info_nodma(struct vn_tr *tr, bool json);

#endif
