/* How the simulated device's DMA writes land in host memory that a live driver
 * shares.
 *
 * Not memcpy: glibc's memcpy covers most lengths with a first and a last vector
 * store that overlap, so it writes some bytes twice (on AVX-512 machines a
 * 64-byte copy stores the same 64 bytes twice).  On a packed ring the driver
 * refills a slot as soon as it sees it used; a refill that lands between
 * memcpy's two stores is overwritten by the second, and the ring loses that
 * buffer for good (the "packed receive stall" of issue 5).  A real DMA engine
 * writes each byte once, so this does: in aligned 8-byte pieces where it can,
 * highest address first, so that a driver polling upwards sees a write's lowest
 * slot (for a mergeable buffer, its head) last. */
#ifndef VN_DMA_STORE_H
#define VN_DMA_STORE_H

#include <stddef.h>
#include <stdint.h>

/* The next piece of a descending write that has [0, *left) still to go at
 * address dst: returns its width (8 when the piece is a whole aligned 8 bytes,
 * else 1) and lowers *left to the piece's offset. */
static inline unsigned vn_dma_next_piece(uintptr_t dst, size_t *left)
{
    if (*left >= 8 && ((dst + *left) & 7u) == 0) {
        *left -= 8;
        return 8;
    }
    *left -= 1;
    return 1;
}

/* Copy n bytes from src to dst writing every byte of dst exactly once. */
void vn_dma_store(void *dst, const void *src, size_t n);

#endif
