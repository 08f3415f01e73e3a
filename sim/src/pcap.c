#include "pcap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct vn_pcap {
    FILE *f;
    int err;
};

static void put32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

int vn_pcap_open(const char *path, struct vn_pcap **out)
{
    struct vn_pcap *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    p->f = fopen(path, "wb");
    if (!p->f) {
        int e = errno;
        free(p);
        return -e;
    }
    uint8_t h[24] = {0};
    put32(h, 0xa1b2c3d4u);
    h[4] = 2; /* version 2.4, little-endian fields */
    h[6] = 4;
    put32(h + 16, 65535); /* snaplen */
    put32(h + 20, 1);     /* LINKTYPE_ETHERNET */
    if (fwrite(h, sizeof(h), 1, p->f) != 1)
        p->err = -EIO;
    *out = p;
    return 0;
}

int vn_pcap_write(struct vn_pcap *p, uint64_t time_ns, const uint8_t *frame, uint32_t len)
{
    uint8_t r[16];
    put32(r, (uint32_t)(time_ns / 1000000000u));
    put32(r + 4, (uint32_t)(time_ns % 1000000000u / 1000u));
    put32(r + 8, len);
    put32(r + 12, len);
    if (fwrite(r, sizeof(r), 1, p->f) != 1 || (len && fwrite(frame, len, 1, p->f) != 1))
        p->err = -EIO;
    return p->err;
}

int vn_pcap_close(struct vn_pcap *p)
{
    if (!p)
        return 0;
    int err = p->err;
    if (fclose(p->f) != 0 && !err)
        err = -EIO;
    free(p);
    return err;
}
