/* vn_dma_store: every byte written once, highest first, in aligned 8-byte
 * pieces where it can; the bytes are memcpy's.  Then a device thread and a
 * driver thread play a packed ring through it, as vionic-vdpa and the DPDK PMD
 * do: a refill the device's line write overwrote would stall the ring (argv[1]:
 * seconds of that, default 0.3). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep under -std=c11 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "dma_store.h"
#include "vionic_regs.h"

static void check_pieces(void)
{
    unsigned bad = 0;
    for (uintptr_t a = 0; a < 16; a++)
        for (size_t n = 0; n <= 200; n++) {
            size_t left = n, prev = n;
            unsigned wide = 0;
            while (left) {
                unsigned w = vn_dma_next_piece(0x1000 + a, &left);
                /* contiguous and descending: this piece ends where the last began */
                bad += left + w != prev;
                bad += w == 8 && ((0x1000 + a + left) & 7u) != 0;
                wide += w == 8;
                prev = left;
            }
            /* every whole aligned 8 bytes inside the write went as one piece */
            size_t lo = (a + 7) & ~(size_t)7, hi = (a + n) & ~(size_t)7;
            bad += wide != (hi > lo ? (hi - lo) / 8 : 0);
        }
    CHECK_EQ(bad, 0);
}

static void check_bytes(void)
{
    static unsigned char src[256], want[320], got[320];
    unsigned bad = 0;
    for (unsigned i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 7 + 3);
    for (size_t a = 0; a < 16; a++)
        for (size_t n = 0; n <= 200; n++) {
            memset(want, 0xa5, sizeof want);
            memset(got, 0xa5, sizeof got);
            memcpy(want + 32 + a, src + (n % 5), n);
            vn_dma_store(got + 32 + a, src + (n % 5), n);
            bad += memcmp(want, got, sizeof got) != 0;
        }
    CHECK_EQ(bad, 0);
}

/* ---- the race ------------------------------------------------------------------------ */
#define RING 256u
struct pdesc {
    uint64_t addr;
    uint32_t len;
    uint16_t id, flags;
};
_Static_assert(offsetof(struct pdesc, id) == VN_PDESC_ID_OFF, "pvirtq_desc.id");
_Static_assert(offsetof(struct pdesc, flags) == VN_PDESC_FLAGS_OFF, "pvirtq_desc.flags");
static struct pdesc ring[RING] __attribute__((aligned(64)));
static int stop;
static uint64_t lines, bursts;

static int avail_for(uint16_t f, unsigned wrap)
{
    return !!(f & VN_PDESC_F_AVAIL) == wrap && !!(f & VN_PDESC_F_USED) != wrap;
}
static int used_for(uint16_t f, unsigned wrap)
{
    return !!(f & VN_PDESC_F_AVAIL) == wrap && !!(f & VN_PDESC_F_USED) == wrap;
}

static void *device(void *arg)
{
    (void)arg;
    unsigned idx = 0, wrap = 1;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        unsigned i = 0;
        while (i < 4 && !__atomic_load_n(&stop, __ATOMIC_RELAXED))
            i += avail_for(__atomic_load_n(&ring[idx + i].flags, __ATOMIC_ACQUIRE), wrap);
        if (i < 4)
            break;
        struct pdesc line[4];
        uint16_t uflags =
            (uint16_t)(VN_DESC_F_WRITE | (wrap ? VN_PDESC_F_AVAIL | VN_PDESC_F_USED : 0));
        for (i = 0; i < 4; i++)
            line[i] = (struct pdesc){0, 76, (uint16_t)(idx + i), uflags};
        vn_dma_store(&ring[idx], line, sizeof line);
        __atomic_store_n(&lines, lines + 1, __ATOMIC_RELAXED);
        idx = (idx + 4) % RING;
        wrap ^= idx == 0;
    }
    return NULL;
}

/* DPDK's way: take what is used in order, refill as many (addr and len, then
 * flags) */
static void *driver(void *arg)
{
    (void)arg;
    unsigned used = 0, uwrap = 1, avail = 0;
    uint16_t cached = VN_DESC_F_WRITE | VN_PDESC_F_USED;
    uint64_t seq = 0;
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        unsigned n = 0;
        while (n < 32 && used_for(__atomic_load_n(&ring[used].flags, __ATOMIC_ACQUIRE), uwrap)) {
            n++;
            used = (used + 1) % RING;
            uwrap ^= used == 0;
        }
        for (unsigned i = 0; i < n; i++) {
            __atomic_store_n(&ring[avail].addr, ++seq, __ATOMIC_RELAXED);
            __atomic_store_n(&ring[avail].len, 2060u, __ATOMIC_RELAXED);
            __atomic_store_n(&ring[avail].flags, cached, __ATOMIC_RELEASE);
            avail = (avail + 1) % RING;
            if (avail == 0)
                cached ^= VN_PDESC_F_AVAIL | VN_PDESC_F_USED;
        }
        if (n)
            __atomic_store_n(&bursts, bursts + 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void check_race(double secs)
{
    for (unsigned i = 0; i < RING; i++)
        ring[i] = (struct pdesc){0, 2060, (uint16_t)i, VN_DESC_F_WRITE | VN_PDESC_F_AVAIL};
    pthread_t dev, drv;
    CHECK_EQ(pthread_create(&drv, NULL, driver, NULL), 0);
    CHECK_EQ(pthread_create(&dev, NULL, device, NULL), 0);
    /* progress is what is checked: a lost refill stops both sides for good */
    double t0 = now(), seen = t0;
    uint64_t last = 0;
    int stalled = 0;
    while (now() - t0 < secs) {
        struct timespec nap = {0, 1000000};
        nanosleep(&nap, NULL);
        uint64_t l = __atomic_load_n(&lines, __ATOMIC_RELAXED);
        if (l != last) {
            last = l;
            seen = now();
        } else if (now() - seen > 2.0) {
            stalled = 1;
            break;
        }
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
    pthread_join(dev, NULL);
    pthread_join(drv, NULL);
    printf("race: %.1f s, %llu device lines, %llu driver bursts\n", now() - t0,
           (unsigned long long)lines, (unsigned long long)bursts);
    CHECK(!stalled);
    CHECK(lines > 0);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 0.3;
    if (argc > 1 && !(secs > 0)) {
        fprintf(stderr, "usage: test_dma_store [SECONDS]\n");
        return 2;
    }
    check_pieces();
    check_bytes();
    check_race(secs);
    return check_report();
}
