/* The names of virtio-net feature bits (VIRTIO_NET_F_* / VIRTIO_F_* without the prefix). */
#ifndef VN_FEATURES_H
#define VN_FEATURES_H

/* "CSUM", "MRG_RXBUF", ... for a bit this project knows; NULL for any other. */
const char *vn_feature_name(unsigned bit);

#endif
