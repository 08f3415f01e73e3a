/* sysfs look-ups for the pci transport.  Links only, never device registers. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci_sysfs.h"

static int hex_field(const char *s, size_t n, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;

    if (n == 0)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return -EINVAL;
        v = v * 16 + d;
        if (v > max)
            return -EINVAL;
    }
    *out = v;
    return 0;
}

int vn_bdf_parse(const char *text, struct vn_bdf *out)
{
    unsigned long dom = 0, bus, dev, fn;
    const char *p = text;

    if (!text)
        return -EINVAL;
    const char *c1 = strchr(p, ':');
    if (!c1)
        return -EINVAL;
    const char *c2 = strchr(c1 + 1, ':');
    if (c2) { /* DDDD:BB:DD.F */
        if (hex_field(p, (size_t)(c1 - p), 0xffff, &dom))
            return -EINVAL;
        p = c1 + 1;
        c1 = c2;
    }
    const char *dot = strchr(c1 + 1, '.');
    if (!dot || hex_field(p, (size_t)(c1 - p), 0xff, &bus) ||
        hex_field(c1 + 1, (size_t)(dot - c1 - 1), 0x1f, &dev) ||
        hex_field(dot + 1, strlen(dot + 1), 7, &fn))
        return -EINVAL;
    *out = (struct vn_bdf){(uint16_t)dom, (uint8_t)bus, (uint8_t)dev, (uint8_t)fn};
    return 0;
}

void vn_bdf_format(const struct vn_bdf *b, char *buf, size_t len)
{
    snprintf(buf, len, "%04x:%02x:%02x.%x", b->domain, b->bus, b->dev, b->func);
}

/* The last path component of the link DEVICES/bdf/name into buf. */
static int link_base(const char *bdf, const char *name, char *buf, size_t len)
{
    char path[PATH_MAX], target[PATH_MAX];

    snprintf(path, sizeof path, "%s/%s/%s", VN_PCI_SYSFS_DEVICES, bdf, name);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0)
        return -errno;
    target[n] = '\0';
    const char *base = strrchr(target, '/');
    snprintf(buf, len, "%s", base ? base + 1 : target);
    return 0;
}

int vn_sysfs_driver(const char *bdf, char *buf, size_t len)
{
    int rc = link_base(bdf, "driver", buf, len);

    if (rc == -ENOENT) {
        buf[0] = '\0';
        return 0;
    }
    return rc;
}

int vn_sysfs_iommu_group(const char *bdf)
{
    char g[32];
    char *end;

    if (link_base(bdf, "iommu_group", g, sizeof g))
        return -1;
    long v = strtol(g, &end, 10);
    return (*end || end == g || v < 0 || v > INT_MAX) ? -1 : (int)v;
}
