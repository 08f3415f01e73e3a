/* features.c: names of the virtio-net feature bits, for tools and reports. */
#include "vn_features.h"

#include <stddef.h>

#include "vionic_regs.h"

const char *vn_feature_name(unsigned bit)
{
    switch (bit) {
    case VN_F_CSUM:
        return "CSUM";
    case VN_F_GUEST_CSUM:
        return "GUEST_CSUM";
    case VN_F_CTRL_GUEST_OFFLOADS:
        return "CTRL_GUEST_OFFLOADS";
    case VN_F_MTU:
        return "MTU";
    case VN_F_MAC:
        return "MAC";
    case VN_F_MRG_RXBUF:
        return "MRG_RXBUF";
    case VN_F_STATUS:
        return "STATUS";
    case VN_F_CTRL_VQ:
        return "CTRL_VQ";
    case VN_F_CTRL_RX:
        return "CTRL_RX";
    case VN_F_CTRL_VLAN:
        return "CTRL_VLAN";
    case VN_F_CTRL_RX_EXTRA:
        return "CTRL_RX_EXTRA";
    case VN_F_GUEST_ANNOUNCE:
        return "GUEST_ANNOUNCE";
    case VN_F_MQ:
        return "MQ";
    case VN_F_CTRL_MAC_ADDR:
        return "CTRL_MAC_ADDR";
    case VN_F_INDIRECT_DESC:
        return "INDIRECT_DESC";
    case VN_F_EVENT_IDX:
        return "EVENT_IDX";
    case VN_F_VERSION_1:
        return "VERSION_1";
    case VN_F_ACCESS_PLATFORM:
        return "ACCESS_PLATFORM";
    case VN_F_RING_PACKED:
        return "RING_PACKED";
    case VN_F_IN_ORDER:
        return "IN_ORDER";
    case VN_F_NOTIFICATION_DATA:
        return "NOTIFICATION_DATA";
    case VN_F_RING_RESET:
        return "RING_RESET";
    case VN_F_VQ_NOTF_COAL:
        return "VQ_NOTF_COAL";
    case VN_F_NOTF_COAL:
        return "NOTF_COAL";
    case VN_F_HASH_REPORT:
        return "HASH_REPORT";
    case VN_F_RSS:
        return "RSS";
    case VN_F_SPEED_DUPLEX:
        return "SPEED_DUPLEX";
    default:
        return NULL;
    }
}
