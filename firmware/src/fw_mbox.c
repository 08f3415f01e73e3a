/* fw_mbox.c: the firmware mailbox (VND_MBOX_*): firmware info, the flash update, and
 * ANNOUNCE (GUEST_ANNOUNCE on behalf of the management side).
 * A command runs to completion inside its event (a BEGIN erases up to 17 sectors: the
 * other events wait behind it, which the driver accepts for a maintenance operation);
 * MBOX_STATUS is written once at the end, with busy clear.
 *
 * Update: BEGIN(len) picks the slot to write and erases it; WRITE(off, n) must continue
 * where the previous one ended; the header (the first FW_IMG_HDR_SIZE bytes) is kept in
 * RAM and only COMMIT programs it, its first word (the magic) last, after the payload is
 * in flash: an image cut short anywhere has no magic and is never taken for valid.
 * COMMIT then checks the whole slot by reading it back. */
#include "fw_flash.h"
#include "fw_mbox.h"
#include "fw_image_check.h"
#include "fw_internal.h"
#include "fw.h"
#include "hal.h"

_Static_assert(FW_INFO_WORDS * 4 <= VN_MBOX_DATA_BYTES, "fw_info must fit the mailbox");
_Static_assert(VN_BOOT_SLOT_A == 0 && VN_BOOT_SLOT_B == 1, "slots index arrays, B = A ^ 1");
_Static_assert(FW_IMG_HDR_SIZE % 4 == 0, "the header ends on a word");
_Static_assert(VN_MBOX_DATA_BYTES % 4 == 0, "");


#define MAX_IMAGE (FW_IMG_HDR_SIZE + FW_IMG_MAX_PAYLOAD)
_Static_assert(MAX_IMAGE <= VN_FLASH_SLOT_BYTES, "an image fits its slot");

static struct {
    bool active;   /* BEGIN done, COMMIT not yet */
    uint32_t slot; /* being written */
    uint32_t len;  /* announced image bytes */
    uint32_t next; /* bytes received so far: the next WRITE's offset */
    uint32_t hdr[FW_IMG_HDR_SIZE / 4];
} upd;

void fw_mbox_init(void)
{
    upd.active = false;
}

static void done(uint32_t err, uint32_t progress)
{
    hal_write32(VN_FW_MBOX_STATUS, (err << VN_MBOX_ERR_SHIFT) |
                                       ((progress & 0xffffu) << VN_MBOX_PROGRESS_SHIFT));
}

static bool running_from_flash(uint32_t *slot)
{
    *slot = hal_read32(VN_FW_FW_BOOT_STATUS) & 3u;
    return *slot == VN_BOOT_SLOT_A || *slot == VN_BOOT_SLOT_B;
}

static uint32_t next_boot_slot(void)
{
    uint32_t slot, seq;
    return fw_bootcfg_read(&slot, &seq, (unsigned *)0) == 0 ? slot : VN_BOOT_SLOT_A;
}

/* Never the image in use: the running one, or (host mode: nothing booted from flash)
 * the one the boot ROM would boot next, if it is valid. */
static uint32_t update_slot(void)
{
    uint32_t run;
    if (running_from_flash(&run))
        return run ^ 1u;
    uint32_t next = next_boot_slot();
    struct fw_image_hdr h;
    return fw_slot_check(fw_slot_base(next), &h, (uint8_t *)0) == FW_IMG_OK ? next ^ 1u : next;
}

static void cmd_info(void)
{
    struct fw_info in;
    uint32_t w[FW_INFO_WORDS];
    in.running_version = FW_VERSION;
    in.boot_status = hal_read32(VN_FW_FW_BOOT_STATUS);
    in.next_slot = next_boot_slot();
    in.update_slot = upd.active ? upd.slot : update_slot();
    for (uint32_t s = 0; s < 2; s++) {
        struct fw_image_hdr h;
        h.fw_version = h.payload_len = h.payload_crc = 0;
        h.build_id = 0;
        in.slot[s].status = (uint32_t)fw_slot_check(fw_slot_base(s), &h, (uint8_t *)0);
        in.slot[s].fw_version = h.fw_version;
        in.slot[s].build_id = h.build_id;
        in.slot[s].payload_len = h.payload_len;
        in.slot[s].payload_crc = h.payload_crc;
    }
    fw_info_encode(&in, w);
    for (uint32_t i = 0; i < FW_INFO_WORDS; i++)
        hal_write32(VN_FW_MBOX_DATA0 + 4 * i, w[i]);
    done(VN_MBOX_ERR_NONE, 0);
}

static void cmd_begin(uint32_t len)
{
    upd.active = false;
    if (len <= FW_IMG_HDR_SIZE || len > MAX_IMAGE) {
        done(VN_MBOX_ERR_BAD_ARG, 0);
        return;
    }
    uint32_t slot = update_slot(), base = fw_slot_base(slot);
    uint32_t sectors = (len + VN_FLASH_SECTOR_BYTES - 1) / VN_FLASH_SECTOR_BYTES;
    /* from the first sector: the old header goes first, so a cut erase leaves no
     * valid-looking image behind */
    for (uint32_t i = 0; i < sectors; i++) {
        if (fw_flash_erase(base + i * VN_FLASH_SECTOR_BYTES)) {
            done(VN_MBOX_ERR_FLASH, i);
            return;
        }
        hal_write32(VN_FW_MBOX_STATUS, VN_MBOX_STATUS_BUSY | (i + 1) << VN_MBOX_PROGRESS_SHIFT);
    }
    upd.active = true;
    upd.slot = slot;
    upd.len = len;
    upd.next = 0;
    for (uint32_t i = 0; i < FW_IMG_HDR_SIZE / 4; i++)
        upd.hdr[i] = 0xffffffffu;
    done(VN_MBOX_ERR_NONE, slot);
}

static void cmd_write(uint32_t off, uint32_t n)
{
    if (!upd.active) {
        done(VN_MBOX_ERR_SEQUENCE, 0);
        return;
    }
    if (n == 0 || n > VN_MBOX_DATA_BYTES || off != upd.next || n > upd.len - off ||
        (n % 4 && off + n != upd.len)) {
        done(VN_MBOX_ERR_BAD_ARG, upd.next / 4);
        return;
    }
    uint32_t words[VN_MBOX_DATA_BYTES / 4], nw = (n + 3) / 4, first = 0;
    for (uint32_t i = 0; i < nw; i++)
        words[i] = hal_read32(VN_FW_MBOX_DATA0 + 4 * i);
    if (n % 4) /* the bytes past the image stay erased */
        words[nw - 1] |= 0xffffffffu << (8 * (n % 4));
    for (; first < nw && off + 4 * first < FW_IMG_HDR_SIZE; first++)
        upd.hdr[(off + 4 * first) / 4] = words[first];
    if (first < nw &&
        fw_flash_program(fw_slot_base(upd.slot) + off + 4 * first, &words[first], nw - first)) {
        upd.active = false;
        done(VN_MBOX_ERR_FLASH, upd.next / 4);
        return;
    }
    upd.next += n;
    done(VN_MBOX_ERR_NONE, upd.next / 4);
}

static void cmd_commit(void)
{
    if (!upd.active || upd.next != upd.len) {
        done(VN_MBOX_ERR_SEQUENCE, 0);
        return;
    }
    upd.active = false;
    uint8_t hb[FW_IMG_HDR_SIZE];
    for (uint32_t i = 0; i < FW_IMG_HDR_SIZE / 4; i++)
        fw_img_put32(hb + 4 * i, upd.hdr[i]);
    struct fw_image_hdr h;
    uint32_t base = fw_slot_base(upd.slot);
    /* the header from RAM, the payload read back from flash: all before the header is
     * programmed, so a refused image leaves the slot without a magic */
    int st = fw_hdr_check(hb, &h);
    if (st == FW_IMG_OK && FW_IMG_HDR_SIZE + h.payload_len > upd.len)
        st = FW_IMG_TRUNCATED; /* bytes after the image are allowed, as in a file */
    if (st == FW_IMG_OK)
        st = fw_payload_check(base, &h, (uint8_t *)0);
    if (st != FW_IMG_OK) {
        done(VN_MBOX_ERR_IMAGE, (uint32_t)st);
        return;
    }
    if (fw_flash_program(base + 4, &upd.hdr[1], FW_IMG_HDR_SIZE / 4 - 1) ||
        fw_flash_program(base, &upd.hdr[0], 1)) {
        done(VN_MBOX_ERR_FLASH, 0);
        return;
    }
    st = fw_slot_check(base, &h, (uint8_t *)0); /* what the boot ROM will see */
    if (st != FW_IMG_OK) {
        done(VN_MBOX_ERR_IMAGE, (uint32_t)st);
        return;
    }
    done(VN_MBOX_ERR_NONE, upd.slot);
}

static void cmd_activate(uint32_t slot)
{
    if (slot != VN_BOOT_SLOT_A && slot != VN_BOOT_SLOT_B) {
        done(VN_MBOX_ERR_BAD_ARG, 0);
        return;
    }
    struct fw_image_hdr h;
    int st = fw_slot_check(fw_slot_base(slot), &h, (uint8_t *)0);
    if (st != FW_IMG_OK) {
        done(VN_MBOX_ERR_NO_IMAGE, (uint32_t)st);
        return;
    }
    if (fw_bootcfg_write(slot)) {
        done(VN_MBOX_ERR_FLASH, 0);
        return;
    }
    done(VN_MBOX_ERR_NONE, slot);
}

/* true: the event was popped here */
static bool cmd_reboot(void)
{
    uint32_t run;
    if (!running_from_flash(&run)) {
        done(VN_MBOX_ERR_UNSUPPORTED, 0);
        return false;
    }
    /* answered and popped first: the core does not come back to it, and the firmware
     * that boots next must not find REBOOT at the head of the queue and run it again */
    done(VN_MBOX_ERR_NONE, 0);
    hal_write32(VN_FW_EVT_POP, 1);
    hal_write32(VN_FW_CORE_RESET, VN_CORE_RESET_KEY);
    return true;
}

bool fw_mbox_command(uint32_t cmd)
{
    uint32_t arg0 = hal_read32(VN_FW_MBOX_ARG0), arg1 = hal_read32(VN_FW_MBOX_ARG1);
    switch (cmd & 0xffu) {
    case VN_MBOX_CMD_INFO: cmd_info(); break;
    case VN_MBOX_CMD_BEGIN: cmd_begin(arg0); break;
    case VN_MBOX_CMD_WRITE: cmd_write(arg0, arg1); break;
    case VN_MBOX_CMD_COMMIT: cmd_commit(); break;
    case VN_MBOX_CMD_ACTIVATE: cmd_activate(arg0); break;
    case VN_MBOX_CMD_REBOOT: return !cmd_reboot();
    case VN_MBOX_CMD_ANNOUNCE:
        /* only a live driver that negotiated GUEST_ANNOUNCE can be asked */
        done(fw_announce() ? VN_MBOX_ERR_NONE : VN_MBOX_ERR_UNSUPPORTED, 0);
        break;
    default: done(VN_MBOX_ERR_BAD_CMD, 0); break;
    }
    return true;
}
