/* fw_flash.c: erase, program and read the flash by polling FW_FLASH_STATUS; the slot
 * check; the boot-config records; the boot ROM's slot selection.  An operation runs to
 * completion before the call returns (the mailbox handler that calls it blocks). */
#include "fw_flash.h"

#include "crc32c.h"
#include "fw_image_check.h"
#include "hal.h"
#include "sha256.h"

/* A read of FLASH_STATUS takes at least a cycle, so this many reads outlast any
 * operation: more means the part is stuck. */
#define FLASH_POLL_LIMIT (8u * VN_FLASH_ERASE_CYCLES)

static int wait_idle(void)
{
    for (uint32_t i = 0; i < FLASH_POLL_LIMIT; i++) {
        uint32_t s = hal_read32(VN_FW_FLASH_STATUS);
        if (!(s & VN_FLASH_STATUS_BUSY))
            return (s & VN_FLASH_STATUS_ERROR) ? -1 : 0;
    }
    return -1;
}

int fw_flash_erase(uint32_t addr)
{
    if (wait_idle())
        return -1;
    hal_write32(VN_FW_FLASH_ADDR, addr);
    hal_write32(VN_FW_FLASH_CMD, VN_FLASH_CMD_ERASE);
    return wait_idle();
}

int fw_flash_program(uint32_t addr, const uint32_t *words, uint32_t n)
{
    if (wait_idle())
        return -1;
    hal_write32(VN_FW_FLASH_ADDR, addr);
    for (uint32_t i = 0; i < n; i++) {
        hal_write32(VN_FW_FLASH_DATA, words[i]);
        hal_write32(VN_FW_FLASH_CMD, VN_FLASH_CMD_PROGRAM); /* advances ADDR */
        if (wait_idle())
            return -1;
    }
    return 0;
}

void fw_flash_read(uint32_t addr, uint32_t *words, uint32_t n)
{
    hal_write32(VN_FW_FLASH_ADDR, addr);
    for (uint32_t i = 0; i < n; i++)
        words[i] = hal_read32(VN_FW_FLASH_DATA); /* advances ADDR */
}

uint32_t fw_flash_read32(uint32_t addr)
{
    uint32_t w;
    fw_flash_read(addr, &w, 1);
    return w;
}

int fw_hdr_check(const uint8_t *hb, struct fw_image_hdr *h)
{
    struct fw_img_report rep;
    /* The header alone: every header check passes and only the payload is missing
     * (TRUNCATED), or the header is what is wrong.  A valid header always has a payload
     * (the entry point lies inside it), so OK cannot come back here. */
    enum fw_img_status st = fw_image_check(hb, FW_IMG_HDR_SIZE, FW_IMG_DEVICE_ID, &rep);
    fw_image_hdr_decode(hb, h); /* not a struct copy: that would call memcpy */
    if (st != FW_IMG_TRUNCATED)
        return st == FW_IMG_OK ? FW_IMG_BAD_ADDR : (int)st;
    if (rep.hdr.load_addr != VN_CORE_IMEM_BASE)
        return FW_IMG_BAD_ADDR;
    return FW_IMG_OK;
}

int fw_payload_check(uint32_t base, const struct fw_image_hdr *h, uint8_t *dest)
{
    struct sha256_ctx sc;
    uint32_t crc = 0, len = h->payload_len;
    uint8_t digest[SHA256_DIGEST_LEN];
    sha256_init(&sc);
    hal_write32(VN_FW_FLASH_ADDR, base + FW_IMG_HDR_SIZE);
    for (uint32_t off = 0; off < len; off += 4) {
        uint8_t b[4];
        uint32_t n = len - off < 4 ? len - off : 4;
        fw_img_put32(b, hal_read32(VN_FW_FLASH_DATA));
        crc = crc32c_update(crc, b, n);
        sha256_update(&sc, b, n);
        if (dest)
            for (uint32_t i = 0; i < n; i++)
                dest[off + i] = b[i];
    }
    sha256_final(&sc, digest);
    if (crc != h->payload_crc)
        return FW_IMG_BAD_CRC;
    uint8_t d = 0;
    for (uint32_t i = 0; i < SHA256_DIGEST_LEN; i++)
        d |= (uint8_t)(digest[i] ^ h->payload_sha[i]);
    return d ? FW_IMG_BAD_HASH : FW_IMG_OK;
}

int fw_slot_check(uint32_t base, struct fw_image_hdr *h, uint8_t *dest)
{
    uint32_t hw[FW_IMG_HDR_SIZE / 4];
    uint8_t hb[FW_IMG_HDR_SIZE];

    fw_flash_read(base, hw, FW_IMG_HDR_SIZE / 4);
    for (uint32_t i = 0; i < FW_IMG_HDR_SIZE / 4; i++)
        fw_img_put32(hb + 4 * i, hw[i]);
    int st = fw_hdr_check(hb, h);
    return st != FW_IMG_OK ? st : fw_payload_check(base, h, dest);
}

_Static_assert(VN_BOOT_SLOT_A == 0 && VN_BOOT_SLOT_B == 1, "the other slot is slot ^ 1");

static const uint32_t bootcfg_sector[2] = {VN_FLASH_BOOTCFG0, VN_FLASH_BOOTCFG1};

static bool record_valid(const uint32_t *w)
{
    uint32_t good[FW_BOOTCFG_WORDS];
    fw_bootcfg_encode(good, w[1], w[2]);
    return w[0] == FW_BOOTCFG_MAGIC && (w[2] == VN_BOOT_SLOT_A || w[2] == VN_BOOT_SLOT_B) &&
           w[3] == good[3];
}

int fw_bootcfg_read(uint32_t *slot, uint32_t *seq, unsigned *sector)
{
    uint32_t r[2][FW_BOOTCFG_WORDS];
    bool ok[2];
    for (unsigned s = 0; s < 2; s++) {
        fw_flash_read(bootcfg_sector[s], r[s], FW_BOOTCFG_WORDS);
        ok[s] = record_valid(r[s]);
    }
    unsigned pick;
    if (ok[0] && ok[1])
        pick = (int32_t)(r[1][1] - r[0][1]) > 0 ? 1 : 0; /* serial-number order: wraps */
    else if (ok[0] || ok[1])
        pick = ok[1] ? 1 : 0;
    else
        return -1;
    *slot = r[pick][2];
    *seq = r[pick][1];
    if (sector)
        *sector = pick;
    return 0;
}

int fw_bootcfg_write(uint32_t slot)
{
    uint32_t cur_slot, seq = 0;
    unsigned sec = 1; /* with no record, the first goes to sector 0 */
    if (fw_bootcfg_read(&cur_slot, &seq, &sec) == 0)
        seq++;
    uint32_t dst = bootcfg_sector[sec ^ 1u];
    uint32_t w[FW_BOOTCFG_WORDS];
    fw_bootcfg_encode(w, seq, slot);
    /* The newest record stays untouched in the other sector until this one is whole:
     * a cut erase or program leaves this sector without its magic (erased first,
     * programmed last), so the old record still decides. */
    if (fw_flash_erase(dst) || fw_flash_program(dst + 4, &w[1], FW_BOOTCFG_WORDS - 1) ||
        fw_flash_program(dst, &w[0], 1))
        return -1;
    return 0;
}

uint32_t fw_boot_select(struct fw_boot_choice *c, uint8_t *dest)
{
    uint32_t slot = VN_BOOT_SLOT_A, seq;
    if (fw_bootcfg_read(&slot, &seq, (unsigned *)0) != 0)
        slot = VN_BOOT_SLOT_A;
    c->preferred = slot;
    c->fell_back = false;
    c->err = 0;
    int st = fw_slot_check(fw_slot_base(slot), &c->hdr, dest);
    if (st != FW_IMG_OK) {
        c->err = (uint32_t)st;
        c->fell_back = true;
        slot ^= 1u; /* A <-> B */
        st = fw_slot_check(fw_slot_base(slot), &c->hdr, dest);
    }
    c->slot = st == FW_IMG_OK ? slot : VN_BOOT_SLOT_NONE;
    if (c->slot == VN_BOOT_SLOT_NONE)
        c->fell_back = false;
    return c->slot | (c->fell_back ? VN_BOOT_FELL_BACK : 0) | (c->err & 0xffu) << 8;
}
