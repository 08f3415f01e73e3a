#include "dma_store.h"

#include <string.h>

void vn_dma_store(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    size_t left = n;
    /* Atomic stores, not plain ones: the compiler may neither merge nor re-split
     * them (into memcpy again), and release keeps their order on weakly ordered
     * CPUs too. */
    while (left) {
        if (vn_dma_next_piece((uintptr_t)d, &left) == 8) {
            uint64_t v;
            memcpy(&v, s + left, 8);
            __atomic_store_n((uint64_t *)(void *)(d + left), v, __ATOMIC_RELEASE);
        } else {
            __atomic_store_n(d + left, s[left], __ATOMIC_RELEASE);
        }
    }
}
