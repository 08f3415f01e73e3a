/* fw_flash.h: the NOR flash through the FW_FLASH_* registers (hal.h only), the check of
 * an image in a flash slot, and the boot-config records that say which slot boots next.
 * Shared by the firmware (mailbox commands) and the boot ROM; freestanding.
 *
 * Boot-config record (one per sector, at the sector's start, FLASH_BOOTCFG0 and
 * FLASH_BOOTCFG1 used in turn), little-endian words:
 *   0 magic FW_BOOTCFG_MAGIC   (programmed last, erased first: a cut leaves no magic)
 *   1 sequence number          (the valid record with the newest wins; wraps)
 *   2 slot                     (BOOT_SLOT_A or BOOT_SLOT_B)
 *   3 CRC32C of words 0..2 */
#ifndef VN_FW_FLASH_H
#define VN_FW_FLASH_H

#include <stdbool.h>
#include <stdint.h>

#include "crc32c.h"
#include "fw_image.h"
#include "vionic_regs.h"

#define FW_BOOTCFG_MAGIC 0x43424e56u /* "VNBC" */
#define FW_BOOTCFG_WORDS 4u

/* A whole record for slot with sequence number seq. */
static inline void fw_bootcfg_encode(uint32_t w[FW_BOOTCFG_WORDS], uint32_t seq, uint32_t slot)
{
    uint8_t b[12];
    w[0] = FW_BOOTCFG_MAGIC;
    w[1] = seq;
    w[2] = slot;
    for (unsigned i = 0; i < 3; i++)
        fw_img_put32(b + 4 * i, w[i]);
    w[3] = crc32c(b, sizeof b);
}

/* 0, or -1 when the part reported an error or never became idle. */
int fw_flash_erase(uint32_t addr);
int fw_flash_program(uint32_t addr, const uint32_t *words, uint32_t n);
void fw_flash_read(uint32_t addr, uint32_t *words, uint32_t n);
uint32_t fw_flash_read32(uint32_t addr);

static inline uint32_t fw_slot_base(uint32_t slot)
{
    return slot == VN_BOOT_SLOT_B ? VN_FLASH_SLOT_B : VN_FLASH_SLOT_A;
}

/* Checks the image in the slot at flash address base as fw_image_check does (returns an
 * enum fw_img_status), reading the flash once: header first, then the payload through
 * CRC32C and SHA-256.  An image must load at VN_CORE_IMEM_BASE (where the boot ROM
 * copies it), else FW_IMG_BAD_ADDR.  With dest non-NULL the payload is also copied there (the boot ROM
 * loads IMEM this way).  h gets the decoded header when it was read. */
int fw_slot_check(uint32_t base, struct fw_image_hdr *h, uint8_t *dest);

/* The two halves of fw_slot_check: the header (FW_IMG_HDR_SIZE bytes at hb, decoded
 * into h), then the payload in flash after the header at base against h. */
int fw_hdr_check(const uint8_t *hb, struct fw_image_hdr *h);
int fw_payload_check(uint32_t base, const struct fw_image_hdr *h, uint8_t *dest);

/* The newest valid boot-config record: 0 with *slot and *seq set, -1 when there is none.
 * *sector (may be NULL) gets the index (0 or 1) of the sector holding it. */
int fw_bootcfg_read(uint32_t *slot, uint32_t *seq, unsigned *sector);
/* Writes a record for slot into the sector that does not hold the newest one. */
int fw_bootcfg_write(uint32_t slot);

/* What the boot ROM decided (the BOOT_STATUS word: slot, FELL_BACK, error << 8). */
struct fw_boot_choice {
    uint32_t slot;     /* BOOT_SLOT_A, _B or _NONE */
    uint32_t preferred; /* what the boot config (or the default, A) asked for */
    bool fell_back;
    uint32_t err;      /* enum fw_img_status of the refused preferred slot, else 0 */
    struct fw_image_hdr hdr; /* of the chosen slot */
};
/* The boot ROM's selection: the slot of the newest valid record (A when none), checked
 * and loaded into dest; on failure the other slot.  Returns the BOOT_STATUS word. */
uint32_t fw_boot_select(struct fw_boot_choice *c, uint8_t *dest);

#endif
