/* fw_image.h: the flashable firmware image, shared by vionic-fwimage, vionicctl flash,
 * the firmware build and the boot ROM.  An image is a 128-byte header followed by the
 * payload: the bytes of IMEM from the load address on.
 *
 * The on-flash layout is little-endian and defined by the FW_IMG_OFF_* byte offsets, not
 * by a C struct: readers and writers go through fw_image_hdr_decode/encode, so host and
 * rv32 agree whatever the compiler's padding or endianness.  Every field sits at a
 * multiple of its own size, which is why the struct below needs no packing either.
 * Freestanding: needs only stdint/stddef. */
#ifndef VN_FW_IMAGE_H
#define VN_FW_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "vionic_regs.h"

#define FW_IMG_MAGIC        0x57464e56u /* "VNFW" as bytes in the file */
#define FW_IMG_HDR_VERSION  1u          /* highest header format this code understands */
#define FW_IMG_HDR_SIZE     128u
#define FW_IMG_DEVICE_ID    (((uint32_t)VN_PCI_VENDOR_ID << 16) | VN_PCI_DEVICE_ID)
#define FW_IMG_MAX_PAYLOAD  VN_CORE_IMEM_SIZE /* the payload is IMEM's contents */
#define FW_IMG_FLAGS_KNOWN  0u          /* no flags defined yet; others must be zero */

/* byte offsets inside the header */
#define FW_IMG_OFF_MAGIC        0u  /* u32 */
#define FW_IMG_OFF_HDR_VERSION  4u  /* u16 */
#define FW_IMG_OFF_HDR_SIZE     6u  /* u16: payload starts here */
#define FW_IMG_OFF_FW_VERSION   8u  /* u32: FW_VERSION, major << 16 | minor */
#define FW_IMG_OFF_DEVICE_ID    12u /* u32: vendor << 16 | device */
#define FW_IMG_OFF_BUILD_ID     16u /* u64 */
#define FW_IMG_OFF_LOAD_ADDR    24u /* u32: core address of payload byte 0 */
#define FW_IMG_OFF_ENTRY        28u /* u32: core address the ROM jumps to */
#define FW_IMG_OFF_PAYLOAD_LEN  32u /* u32 */
#define FW_IMG_OFF_PAYLOAD_CRC  36u /* u32: CRC32C of the payload */
#define FW_IMG_OFF_PAYLOAD_SHA  40u /* 32 bytes: SHA-256 of the payload */
#define FW_IMG_OFF_FLAGS        72u /* u32 */
#define FW_IMG_OFF_RESERVED     76u /* 48 bytes, zero */
#define FW_IMG_OFF_HDR_CRC      124u /* u32: CRC32C of the header with this field zero */
#define FW_IMG_RESERVED_LEN     (FW_IMG_OFF_HDR_CRC - FW_IMG_OFF_RESERVED)

struct fw_image_hdr {
    uint32_t magic;
    uint16_t hdr_version;
    uint16_t hdr_size;
    uint32_t fw_version;
    uint32_t device_id;
    uint64_t build_id;
    uint32_t load_addr;
    uint32_t entry;
    uint32_t payload_len;
    uint32_t payload_crc;
    uint8_t payload_sha[32];
    uint32_t flags;
    uint8_t reserved[FW_IMG_RESERVED_LEN];
    uint32_t hdr_crc;
};
_Static_assert(sizeof(struct fw_image_hdr) == FW_IMG_HDR_SIZE, "header fields must tile 128 bytes");

static inline uint32_t fw_img_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void fw_img_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void fw_image_hdr_decode(const uint8_t *b, struct fw_image_hdr *h)
{
    h->magic = fw_img_get32(b + FW_IMG_OFF_MAGIC);
    h->hdr_version = (uint16_t)(b[FW_IMG_OFF_HDR_VERSION] | b[FW_IMG_OFF_HDR_VERSION + 1] << 8);
    h->hdr_size = (uint16_t)(b[FW_IMG_OFF_HDR_SIZE] | b[FW_IMG_OFF_HDR_SIZE + 1] << 8);
    h->fw_version = fw_img_get32(b + FW_IMG_OFF_FW_VERSION);
    h->device_id = fw_img_get32(b + FW_IMG_OFF_DEVICE_ID);
    h->build_id = (uint64_t)fw_img_get32(b + FW_IMG_OFF_BUILD_ID) |
                  (uint64_t)fw_img_get32(b + FW_IMG_OFF_BUILD_ID + 4) << 32;
    h->load_addr = fw_img_get32(b + FW_IMG_OFF_LOAD_ADDR);
    h->entry = fw_img_get32(b + FW_IMG_OFF_ENTRY);
    h->payload_len = fw_img_get32(b + FW_IMG_OFF_PAYLOAD_LEN);
    h->payload_crc = fw_img_get32(b + FW_IMG_OFF_PAYLOAD_CRC);
    for (unsigned i = 0; i < 32; i++)
        h->payload_sha[i] = b[FW_IMG_OFF_PAYLOAD_SHA + i];
    h->flags = fw_img_get32(b + FW_IMG_OFF_FLAGS);
    for (unsigned i = 0; i < FW_IMG_RESERVED_LEN; i++)
        h->reserved[i] = b[FW_IMG_OFF_RESERVED + i];
    h->hdr_crc = fw_img_get32(b + FW_IMG_OFF_HDR_CRC);
}

/* Writes all FW_IMG_HDR_SIZE bytes, hdr_crc as given (see fw_image_seal). */
static inline void fw_image_hdr_encode(const struct fw_image_hdr *h, uint8_t *b)
{
    fw_img_put32(b + FW_IMG_OFF_MAGIC, h->magic);
    b[FW_IMG_OFF_HDR_VERSION] = (uint8_t)h->hdr_version;
    b[FW_IMG_OFF_HDR_VERSION + 1] = (uint8_t)(h->hdr_version >> 8);
    b[FW_IMG_OFF_HDR_SIZE] = (uint8_t)h->hdr_size;
    b[FW_IMG_OFF_HDR_SIZE + 1] = (uint8_t)(h->hdr_size >> 8);
    fw_img_put32(b + FW_IMG_OFF_FW_VERSION, h->fw_version);
    fw_img_put32(b + FW_IMG_OFF_DEVICE_ID, h->device_id);
    fw_img_put32(b + FW_IMG_OFF_BUILD_ID, (uint32_t)h->build_id);
    fw_img_put32(b + FW_IMG_OFF_BUILD_ID + 4, (uint32_t)(h->build_id >> 32));
    fw_img_put32(b + FW_IMG_OFF_LOAD_ADDR, h->load_addr);
    fw_img_put32(b + FW_IMG_OFF_ENTRY, h->entry);
    fw_img_put32(b + FW_IMG_OFF_PAYLOAD_LEN, h->payload_len);
    fw_img_put32(b + FW_IMG_OFF_PAYLOAD_CRC, h->payload_crc);
    for (unsigned i = 0; i < 32; i++)
        b[FW_IMG_OFF_PAYLOAD_SHA + i] = h->payload_sha[i];
    fw_img_put32(b + FW_IMG_OFF_FLAGS, h->flags);
    for (unsigned i = 0; i < FW_IMG_RESERVED_LEN; i++)
        b[FW_IMG_OFF_RESERVED + i] = h->reserved[i];
    fw_img_put32(b + FW_IMG_OFF_HDR_CRC, h->hdr_crc);
}

/* struct fw_info: the answer to MBOX_CMD_INFO, laid out in MBOX_DATA as little-endian
 * words at the FW_INFO_W_* indices (fw_info_encode/decode, like the header). */
struct fw_info_slot {
    uint32_t status;      /* enum fw_img_status of the slot's image: 0 = valid */
    uint32_t fw_version;  /* from its header, when the header is readable */
    uint64_t build_id;
    uint32_t payload_len;
    uint32_t payload_crc;
};
struct fw_info {
    uint32_t running_version; /* FW_VERSION of the firmware answering */
    uint32_t boot_status;     /* FW_BOOT_STATUS: slot, FELL_BACK, error << 8 */
    uint32_t next_slot;       /* what the boot ROM will try first: BOOT_SLOT_A/B */
    uint32_t update_slot;     /* the slot an update writes (BEGIN), BOOT_SLOT_A/B */
    struct fw_info_slot slot[2]; /* [BOOT_SLOT_A], [BOOT_SLOT_B] */
};
#define FW_INFO_W_RUNNING_VERSION 0u
#define FW_INFO_W_BOOT_STATUS     1u
#define FW_INFO_W_NEXT_SLOT       2u
#define FW_INFO_W_UPDATE_SLOT     3u
#define FW_INFO_W_SLOT(i)         (4u + 8u * (i)) /* status, version, build lo, hi, len, crc */
#define FW_INFO_WORDS             20u

static inline void fw_info_encode(const struct fw_info *in, uint32_t *w)
{
    w[FW_INFO_W_RUNNING_VERSION] = in->running_version;
    w[FW_INFO_W_BOOT_STATUS] = in->boot_status;
    w[FW_INFO_W_NEXT_SLOT] = in->next_slot;
    w[FW_INFO_W_UPDATE_SLOT] = in->update_slot;
    for (unsigned i = 0; i < 2; i++) {
        uint32_t *s = w + FW_INFO_W_SLOT(i);
        s[0] = in->slot[i].status;
        s[1] = in->slot[i].fw_version;
        s[2] = (uint32_t)in->slot[i].build_id;
        s[3] = (uint32_t)(in->slot[i].build_id >> 32);
        s[4] = in->slot[i].payload_len;
        s[5] = in->slot[i].payload_crc;
        s[6] = s[7] = 0;
    }
}

static inline void fw_info_decode(const uint32_t *w, struct fw_info *out)
{
    out->running_version = w[FW_INFO_W_RUNNING_VERSION];
    out->boot_status = w[FW_INFO_W_BOOT_STATUS];
    out->next_slot = w[FW_INFO_W_NEXT_SLOT];
    out->update_slot = w[FW_INFO_W_UPDATE_SLOT];
    for (unsigned i = 0; i < 2; i++) {
        const uint32_t *s = w + FW_INFO_W_SLOT(i);
        out->slot[i].status = s[0];
        out->slot[i].fw_version = s[1];
        out->slot[i].build_id = (uint64_t)s[2] | (uint64_t)s[3] << 32;
        out->slot[i].payload_len = s[4];
        out->slot[i].payload_crc = s[5];
    }
}

#endif
