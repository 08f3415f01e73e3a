/* vionic-rdev-test: the host shim's driver against a virtio-net function, over the sim
 * (the model with an ARP-answering wire peer) or a real PCI function (VFIO), with the same
 * checks: probe and capability walk, feature negotiation, one queue pair, an ARP request
 * for 10.0.2.2 answered through MSI-X, per-queue reset of TX and RX with re-enable at a
 * new size, full device reset and bring-up again.  One `CHECK name ok|FAIL detail` line
 * per check; exit 0 when all pass, 1 when one fails, 2 on bad usage. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rdev_sim.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_net.h"
#include "vn_pci.h"
#include "vn_transport.h"

#define PROG "vionic-rdev-test"
#define BIT64(n) (UINT64_C(1) << (n))
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
/* QEMU's user network: the gateway 10.0.2.2 (MAC 52:55:0a:00:02:02), the guest 10.0.2.15. */
#define PEER_IP IP4(10, 0, 2, 2)
#define OUR_IP IP4(10, 0, 2, 15)
static const uint8_t peer_mac[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
/* An ARP answer must come within this many waits and this much wall time. */
#define WAIT_NS UINT64_C(2000000)
#define WAIT_ROUNDS 2000u
#define WAIT_WALL_MS 20000u

struct rdev {
    int sim, verbose;
    const char *bdf;
    size_t dma_cap; /* --dma-cap: pci transport cap, 0: default */
    struct vn_tr *tr;
    struct vn_net *n;
    struct vn_pci p0; /* our own capability walk, independent of the driver's */
    uint8_t mac[6];
    unsigned failed, passed;
};

struct reclaim {
    uint64_t used, unused;
};

static void check(struct rdev *r, const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void check(struct rdev *r, const char *name, int ok, const char *fmt, ...)
{
    va_list ap;
    printf("CHECK %s %s", name, ok ? "ok" : "FAIL");
    if (fmt && fmt[0]) {
        putchar(' ');
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    putchar('\n');
    fflush(stdout);
    if (ok)
        r->passed++;
    else
        r->failed++;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void log_cb(void *ctx, enum vn_log_level level, const char *msg)
{
    const struct rdev *r = ctx;
    if (level <= VN_LOG_WARN || (r->verbose && level <= VN_LOG_INFO))
        fprintf(stderr, PROG ": %s\n", msg);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}
static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* A broadcast ARP request "who has 10.0.2.2, tell 10.0.2.15", padded to 60 bytes. */
static size_t arp_request(const uint8_t mac[6], uint8_t f[60])
{
    memset(f, 0, 60);
    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    put16(f + 12, 0x0806);
    put16(f + 14, 1);      /* Ethernet */
    put16(f + 16, 0x0800); /* IPv4 */
    f[18] = 6;
    f[19] = 4;
    put16(f + 20, 1); /* request */
    memcpy(f + 22, mac, 6);
    put32(f + 28, OUR_IP);
    put32(f + 38, PEER_IP);
    return 60;
}

static int is_arp_reply(const uint8_t mac[6], const uint8_t *f, size_t len)
{
    return len >= 42 && memcmp(f, mac, 6) == 0 && get16(f + 12) == 0x0806 && get16(f + 20) == 2 &&
           get32(f + 28) == PEER_IP && memcmp(f + 32, mac, 6) == 0 && get32(f + 38) == OUR_IP;
}

/* One ARP request out, the reply in, woken by MSI-X.  0 or a message in why. */
static int arp_round(struct rdev *r, char *why, size_t wlen)
{
    uint8_t f[60], got[2048];
    struct vn_net_stats s0, s1;
    size_t len;
    int rc;

    vn_net_get_stats(r->n, &s0);
    if ((rc = vn_net_tx(r->n, 0, f, arp_request(r->mac, f)))) {
        snprintf(why, wlen, "vn_net_tx: %s", strerror(-rc));
        return -1;
    }
    uint64_t t0 = now_ms();
    unsigned others = 0;
    for (unsigned i = 0; i < WAIT_ROUNDS && now_ms() - t0 < WAIT_WALL_MS; i++) {
        if ((rc = vn_net_poll(r->n))) {
            snprintf(why, wlen, "vn_net_poll: %s", strerror(-rc));
            return -1;
        }
        while ((rc = vn_net_rx(r->n, 0, got, sizeof got, &len)) == 0) {
            if (!is_arp_reply(r->mac, got, len)) {
                others++;
                continue;
            }
            vn_net_get_stats(r->n, &s1);
            /* A poll can find the used element before the device's MSI-X message has
             * been taken (they are separate writes): give the interrupt its time. */
            for (unsigned k = 0; k < WAIT_ROUNDS && s1.irqs == s0.irqs && now_ms() - t0 < WAIT_WALL_MS; k++) {
                if ((rc = vn_net_wait(r->n, WAIT_NS)) || (rc = vn_net_poll(r->n))) {
                    snprintf(why, wlen, "waiting for the interrupt: %s", strerror(-rc));
                    return -1;
                }
                vn_net_get_stats(r->n, &s1);
            }
            if (s1.irqs == s0.irqs) {
                snprintf(why, wlen, "reply arrived but no MSI-X interrupt was counted");
                return -1;
            }
            snprintf(why, wlen, "reply from %02x:%02x:%02x:%02x:%02x:%02x in %" PRIu64
                     " ms wall, %" PRIu64 " interrupts, %u other frames",
                     got[22], got[23], got[24], got[25], got[26], got[27], now_ms() - t0,
                     s1.irqs - s0.irqs, others);
            return 0;
        }
        if (rc != -EAGAIN) {
            snprintf(why, wlen, "vn_net_rx: %s", strerror(-rc));
            return -1;
        }
        if ((rc = vn_net_wait(r->n, WAIT_NS))) {
            snprintf(why, wlen, "vn_net_wait: %s", strerror(-rc));
            return -1;
        }
    }
    vn_net_get_stats(r->n, &s1);
    snprintf(why, wlen, "no ARP reply for 10.0.2.2 (tx %" PRIu64 " frames, rx %" PRIu64
             ", %" PRIu64 " interrupts, %u other frames)",
             s1.tx_frames - s0.tx_frames, s1.rx_frames - s0.rx_frames, s1.irqs - s0.irqs, others);
    return -1;
}

static void check_arp(struct rdev *r, const char *name)
{
    char why[256];
    int rc = arp_round(r, why, sizeof why);
    check(r, name, rc == 0, "%s", why);
}

static int open_transport(struct rdev *r)
{
    if (r->sim)
        return rdev_sim_open(PEER_IP, peer_mac, &r->tr);
    struct vn_tr_pci_opts o = {.bdf = r->bdf, .need_dma = 1, .dma_cap = r->dma_cap};
    return vn_tr_pci_open(&o, &r->tr);
}

static void check_probe(struct rdev *r)
{
    struct vn_pci *p = &r->p0;
    uint32_t ids = 0;
    int rc = vn_tr_cfg_read(r->tr, VN_CFG_VENDOR_ID, 4, &ids);
    if (!rc)
        rc = vn_pci_probe(r->tr, p);
    int ok = !rc && (ids & 0xffff) == VN_PCI_VENDOR_ID && ids >> 16 == VN_PCI_DEVICE_ID &&
             p->common.present && p->notify.present && p->isr.present && p->device.present &&
             p->msix_cap && p->msix_entries >= 3;
    check(r, "probe", ok,
          "%04x:%04x common bar %u+0x%x notify bar %u+0x%x mult %u isr bar %u+0x%x device bar "
          "%u+0x%x pci_cfg cap 0x%x msix cap 0x%x (%u entries)%s%s",
          ids & 0xffff, ids >> 16, p->common.bar, p->common.off, p->notify.bar, p->notify.off,
          p->notify_mult, p->isr.bar, p->isr.off, p->device.bar, p->device.off, p->pcicfg_cap,
          p->msix_cap, p->msix_entries, rc ? ": " : "", rc ? strerror(-rc) : "");
}

static int bring_up(struct rdev *r, const char *name)
{
    struct vn_net_opts o = {.queue_pairs = 1, .use_irq = 1};
    int rc = vn_net_open(r->tr, &o, &r->n);
    if (rc) {
        check(r, name, 0, "vn_net_open: %s", strerror(-rc));
        r->n = NULL;
        return rc;
    }
    uint64_t dev = vn_net_device_features(r->n), drv = vn_net_driver_features(r->n);
    uint64_t need = BIT64(VN_F_VERSION_1) | BIT64(VN_F_ACCESS_PLATFORM) | BIT64(VN_F_RING_RESET);
    uint8_t st = 0;
    rc = vn_pci_get_device_status(vn_net_pci(r->n), &st);
    uint8_t want = VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK |
                   VN_STATUS_DRIVER_OK;
    vn_net_mac(r->n, r->mac);
    check(r, name, !rc && (drv & need) == need && !(drv & ~dev) && st == want,
          "device 0x%" PRIx64 " driver 0x%" PRIx64 " (VERSION_1 %d ACCESS_PLATFORM %d "
          "RING_RESET %d) status 0x%02x mac %02x:%02x:%02x:%02x:%02x:%02x",
          dev, drv, !!(drv & BIT64(VN_F_VERSION_1)), !!(drv & BIT64(VN_F_ACCESS_PLATFORM)),
          !!(drv & BIT64(VN_F_RING_RESET)), st, r->mac[0], r->mac[1], r->mac[2], r->mac[3],
          r->mac[4], r->mac[5]);
    return (drv & need) == need ? 0 : -ENOTSUP;
}

static void reclaim_cb(void *ctx, unsigned vq, const void *frame, size_t len, int used)
{
    struct reclaim *c = ctx;
    (void)vq;
    (void)frame;
    (void)len;
    if (used)
        c->used++;
    else
        c->unused++;
}

/* Reset data queue vq, check what came back, re-enable at a new size, traffic again. */
static void check_qreset(struct rdev *r, unsigned vq, const char *name)
{
    struct vn_pci *p = vn_net_pci(r->n);
    unsigned max = vn_net_ring_max(r->n, vq), old = vn_net_ring_size(r->n, vq);
    unsigned size = vq & 1 ? max / 2 : max / 4;
    struct reclaim c = {0};
    uint8_t f[60];
    int rc;

    if (size < 2)
        size = 2;
    /* TX: a frame in flight, so the reset has something to hand back (sent or not). */
    if (vq & 1 && (rc = vn_net_tx(r->n, 0, f, arp_request(r->mac, f)))) {
        check(r, name, 0, "vn_net_tx before the reset: %s", strerror(-rc));
        return;
    }
    unsigned inflight = vq & 1 ? vn_net_tx_inflight(r->n, 0) : old;
    if ((rc = vn_net_queue_reset(r->n, vq, reclaim_cb, &c))) {
        check(r, name, 0, "vn_net_queue_reset(%u): %s", vq, strerror(-rc));
        return;
    }
    int off = vn_net_queue_is_reset(r->n, vq) &&
              (vq & 1 ? vn_net_tx(r->n, 0, f, 60) : vn_net_rx(r->n, 0, f, 60, &(size_t){0})) ==
                  -ENODEV;
    uint16_t en = 1, qs = 0;
    if ((rc = vn_net_queue_enable(r->n, vq, size))) {
        check(r, name, 0, "vn_net_queue_enable(%u, %u): %s", vq, size, strerror(-rc));
        return;
    }
    if ((rc = vn_pci_set_queue_select(p, (uint16_t)vq)) || (rc = vn_pci_get_queue_size(p, &qs)) ||
        (rc = vn_pci_get_queue_enable(p, &en)))
        en = 0;
    char why[256];
    int arp = arp_round(r, why, sizeof why);
    check(r, name,
          off && c.used + c.unused == inflight && vn_net_ring_size(r->n, vq) == size &&
              qs == size && en == 1 && arp == 0,
          "vq %u: %u -> %u entries (device reads %u, enable %u), reclaimed %" PRIu64
          " used + %" PRIu64 " unused of %u, out of use while reset %d; %s",
          vq, old, size, qs, en, c.used, c.unused, inflight, off, why);
}

static void check_full_reset(struct rdev *r)
{
    uint8_t st = 0xff;
    vn_net_close(r->n);
    r->n = NULL;
    int rc = vn_pci_get_device_status(&r->p0, &st);
    check(r, "device_reset", !rc && st == 0, "device_status 0x%02x after close%s%s", st,
          rc ? ": " : "", rc ? strerror(-rc) : "");
    if (bring_up(r, "bringup_again") == 0)
        check_arp(r, "arp_again");
}

static void usage(FILE *f)
{
    fprintf(f, "usage: " PROG " (--sim | --device BDF [--dma-cap N]) [-v]\n"
               "Drives a virtio-net function with the host shim and prints one\n"
               "'CHECK name ok|FAIL detail' line per check: probe, features (VERSION_1,\n"
               "ACCESS_PLATFORM, RING_RESET), one queue pair, an ARP request for 10.0.2.2 and\n"
               "its reply through MSI-X, per-queue reset of TX and RX re-enabled at a new size,\n"
               "full device reset and bring-up again.\n"
               "  --sim         the in-process model; a wire peer answers ARP as QEMU's user\n"
               "                network does\n"
               "  --device BDF  a PCI function bound to vfio-pci (BB:DD.F or DDDD:BB:DD.F)\n"
               "  --dma-cap N   --device: at most N bytes of DMA memory (to see the limit hit)\n"
               "  -v            driver messages down to info level\n"
               "exit status: 0 all checks ok, 1 a check failed, 2 bad usage\n");
}

int main(int argc, char **argv)
{
    static struct rdev r;
    int have = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--sim") == 0) {
            r.sim = 1;
            have++;
        } else if (strcmp(argv[i], "--device") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, PROG ": --device needs a PCI address (BB:DD.F)\n");
                return 2;
            }
            r.bdf = argv[++i];
            have++;
        } else if (strcmp(argv[i], "--dma-cap") == 0) {
            char *end = NULL;
            unsigned long long v = i + 1 < argc ? strtoull(argv[i + 1], &end, 0) : 0;
            if (!end || *end || v == 0 || v > SIZE_MAX) {
                fprintf(stderr, PROG ": --dma-cap needs a byte count\n");
                return 2;
            }
            r.dma_cap = (size_t)v;
            i++;
        } else if (strcmp(argv[i], "-v") == 0) {
            r.verbose = 1;
        } else {
            fprintf(stderr, PROG ": unknown argument '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }
    if (have != 1) {
        fprintf(stderr, PROG ": give exactly one of --sim and --device BDF (try --help)\n");
        return 2;
    }
    vn_log_set(log_cb, &r);
    uint64_t t0 = now_ms();
    int rc = open_transport(&r);
    if (rc) {
        check(&r, "open", 0, "%s transport: %s", r.sim ? "sim" : "pci", strerror(-rc));
        return 1;
    }
    check(&r, "open", 1, "%s transport%s%s", r.tr->ops->name, r.sim ? "" : " ",
          r.sim ? "" : vn_tr_pci_bdf(r.tr));
    check_probe(&r);
    if (!r.failed && bring_up(&r, "features") == 0) {
        check(&r, "queue_pair",
              vn_net_queue_pairs(r.n) == 1 && vn_net_ring_size(r.n, 0) > 0 &&
                  vn_net_ring_size(r.n, 1) > 0,
              "%u pair, rx %u tx %u entries, link status 0x%x", vn_net_queue_pairs(r.n),
              vn_net_ring_size(r.n, 0), vn_net_ring_size(r.n, 1), vn_net_link_status(r.n));
        check_arp(&r, "arp");
        check_qreset(&r, 1, "qreset_tx");
        check_qreset(&r, 0, "qreset_rx");
        check_full_reset(&r);
    }
    if (r.n)
        vn_net_close(r.n);
    if (r.sim)
        rdev_sim_close(r.tr);
    else
        vn_tr_close(r.tr);
    printf("RDEV %s: %u ok, %u failed, %" PRIu64 " ms wall\n", r.failed ? "FAIL" : "PASS",
           r.passed, r.failed, now_ms() - t0);
    return r.failed ? 1 : 0;
}
