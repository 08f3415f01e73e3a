/* Stand-in for the pci transport where libpciaccess or the VFIO headers are missing:
 * callers link and learn at run time that there is no PCI backend. */
#include <errno.h>
#include <stddef.h>

#include "vn_log.h"
#include "vn_transport.h"

int vn_tr_pci_open(const struct vn_tr_pci_opts *opts, struct vn_tr **out)
{
    (void)opts;
    *out = NULL;
    vn_log(VN_LOG_ERR, "pci: built without libpciaccess (apt-get install libpciaccess-dev)");
    return -ENOSYS;
}

int vn_tr_pci_has_dma(const struct vn_tr *tr)
{
    (void)tr;
    return 0;
}

const char *vn_tr_pci_bdf(const struct vn_tr *tr)
{
    (void)tr;
    return NULL;
}

int vn_tr_pci_list(struct vn_tr_pci_fn *out, unsigned max, unsigned *count)
{
    (void)out;
    (void)max;
    *count = 0;
    vn_log(VN_LOG_ERR, "pci: built without libpciaccess (apt-get install libpciaccess-dev)");
    return -ENOSYS;
}
