/* fw_image_check.c: the checks every consumer of an image applies (vionic-fwimage,
 * vionicctl flash, the boot ROM).  Freestanding: no libc. */
#include "fw_image_check.h"

#include "crc32c.h"

static const char *const status_str[FW_IMG_STATUS_COUNT] = {
    [FW_IMG_OK] = "VALID",
    [FW_IMG_TRUNCATED_HDR] = "truncated: shorter than the 128-byte header",
    [FW_IMG_BAD_MAGIC] = "bad magic: not a vionic firmware image",
    [FW_IMG_FUTURE_VERSION] = "header version from the future: newer than this tool reads",
    [FW_IMG_BAD_HDR] = "malformed header: version 0 or a wrong header size",
    [FW_IMG_BAD_HDR_CRC] = "bad header checksum",
    [FW_IMG_WRONG_DEVICE] = "wrong device id: the image is for another device",
    [FW_IMG_BAD_FLAGS] = "unknown flags set",
    [FW_IMG_TOO_LARGE] = "payload length exceeds the maximum (IMEM size)",
    [FW_IMG_BAD_ADDR] = "load address or entry point outside IMEM or misaligned",
    [FW_IMG_TRUNCATED] = "truncated: payload shorter than the header says",
    [FW_IMG_BAD_CRC] = "payload CRC32C mismatch",
    [FW_IMG_BAD_HASH] = "payload SHA-256 mismatch",
};

const char *fw_image_status_str(enum fw_img_status s)
{
    if ((unsigned)s >= FW_IMG_STATUS_COUNT)
        return "unknown status";
    return status_str[s];
}

uint32_t fw_image_hdr_crc(const uint8_t *hdr)
{
    static const uint8_t zero[4];
    uint32_t crc = crc32c_update(0, hdr, FW_IMG_OFF_HDR_CRC);
    crc = crc32c_update(crc, zero, sizeof(zero));
    return crc32c_update(crc, hdr + FW_IMG_OFF_HDR_CRC + 4,
                         FW_IMG_HDR_SIZE - FW_IMG_OFF_HDR_CRC - 4);
}

void fw_image_seal(uint8_t *hdr)
{
    fw_img_put32(hdr + FW_IMG_OFF_HDR_CRC, fw_image_hdr_crc(hdr));
}

static int addr_ok(const struct fw_image_hdr *h)
{
    uint64_t lo = VN_CORE_IMEM_BASE, hi = (uint64_t)VN_CORE_IMEM_BASE + VN_CORE_IMEM_SIZE;
    uint64_t end = (uint64_t)h->load_addr + h->payload_len;
    return h->load_addr >= lo && end <= hi && h->load_addr % 4 == 0 && h->entry % 4 == 0 &&
           h->entry >= h->load_addr && h->entry < end;
}

static int same(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t d = 0;
    for (size_t i = 0; i < n; i++)
        d |= (uint8_t)(a[i] ^ b[i]);
    return d == 0;
}

enum fw_img_status fw_image_check(const uint8_t *buf, size_t len, uint32_t device_id,
                                  struct fw_img_report *r)
{
    struct fw_img_report local;
    if (!r)
        r = &local;
    r->hdr_decoded = r->hdr_crc_checked = r->payload_checked = 0;
    r->image_len = 0;
    if (len < FW_IMG_HDR_SIZE)
        return FW_IMG_TRUNCATED_HDR;

    struct fw_image_hdr *h = &r->hdr;
    fw_image_hdr_decode(buf, h);
    r->hdr_decoded = 1;
    if (h->magic != FW_IMG_MAGIC)
        return FW_IMG_BAD_MAGIC;
    if (h->hdr_version > FW_IMG_HDR_VERSION)
        return FW_IMG_FUTURE_VERSION;
    if (h->hdr_version == 0 || h->hdr_size != FW_IMG_HDR_SIZE)
        return FW_IMG_BAD_HDR;

    r->hdr_crc_actual = fw_image_hdr_crc(buf);
    r->hdr_crc_checked = 1;
    r->image_len = (size_t)FW_IMG_HDR_SIZE + h->payload_len;
    /* Compute the payload's sums whenever they can be, so a report can show them even
     * when an earlier check already failed. */
    if (h->payload_len <= FW_IMG_MAX_PAYLOAD && len - FW_IMG_HDR_SIZE >= h->payload_len) {
        const uint8_t *p = buf + FW_IMG_HDR_SIZE;
        r->payload_crc_actual = crc32c(p, h->payload_len);
        sha256(p, h->payload_len, r->payload_sha_actual);
        r->payload_checked = 1;
    }

    if (r->hdr_crc_actual != h->hdr_crc)
        return FW_IMG_BAD_HDR_CRC;
    if (h->device_id != device_id)
        return FW_IMG_WRONG_DEVICE;
    if (h->flags & ~FW_IMG_FLAGS_KNOWN)
        return FW_IMG_BAD_FLAGS;
    if (h->payload_len > FW_IMG_MAX_PAYLOAD)
        return FW_IMG_TOO_LARGE;
    if (!addr_ok(h))
        return FW_IMG_BAD_ADDR;
    if (!r->payload_checked)
        return FW_IMG_TRUNCATED;
    if (r->payload_crc_actual != h->payload_crc)
        return FW_IMG_BAD_CRC;
    if (!same(r->payload_sha_actual, h->payload_sha, SHA256_DIGEST_LEN))
        return FW_IMG_BAD_HASH;
    return FW_IMG_OK;
}
