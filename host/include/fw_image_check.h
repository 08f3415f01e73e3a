/* fw_image_check.h: validation of a firmware image in memory, for vionic-fwimage and for
 * vionicctl flash, which must refuse a bad file before it writes anything.  Freestanding
 * like crc32c.c and sha256.c, so the boot ROM can run the same checks on a flash slot. */
#ifndef VN_FW_IMAGE_CHECK_H
#define VN_FW_IMAGE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "fw_image.h"
#include "sha256.h"

/* In the order they are checked: the first problem found is the one returned.  Fields
 * are trusted only after the header checksum matched, except the ones needed to find the
 * checksum (magic, version, header size). */
enum fw_img_status {
    FW_IMG_OK = 0,
    FW_IMG_TRUNCATED_HDR, /* shorter than a header */
    FW_IMG_BAD_MAGIC,
    FW_IMG_FUTURE_VERSION, /* a header format newer than this code */
    FW_IMG_BAD_HDR,        /* version 0, or a header size version 1 does not have */
    FW_IMG_BAD_HDR_CRC,
    FW_IMG_WRONG_DEVICE,
    FW_IMG_BAD_FLAGS,
    FW_IMG_TOO_LARGE, /* payload_len > FW_IMG_MAX_PAYLOAD */
    FW_IMG_BAD_ADDR,  /* payload or entry outside IMEM, or misaligned */
    FW_IMG_TRUNCATED, /* fewer payload bytes than payload_len */
    FW_IMG_BAD_CRC,
    FW_IMG_BAD_HASH,
    FW_IMG_STATUS_COUNT
};

/* What the check saw, for tools that explain a verdict.  Each *_checked flag says whether
 * the computed value next to it is meaningful. */
struct fw_img_report {
    struct fw_image_hdr hdr; /* decoded when hdr_decoded */
    int hdr_decoded;
    int hdr_crc_checked;
    uint32_t hdr_crc_actual;
    int payload_checked; /* the whole payload was in the buffer */
    uint32_t payload_crc_actual;
    uint8_t payload_sha_actual[SHA256_DIGEST_LEN];
    size_t image_len; /* header + payload, when known */
};

/* Check len bytes at buf as an image for device_id (FW_IMG_DEVICE_ID for this board).
 * Bytes past header + payload are allowed: a flash slot is larger than its image.  r may
 * be NULL. */
enum fw_img_status fw_image_check(const uint8_t *buf, size_t len, uint32_t device_id,
                                  struct fw_img_report *r);

/* A one-line explanation of a status, never NULL. */
const char *fw_image_status_str(enum fw_img_status s);

/* CRC32C of a FW_IMG_HDR_SIZE header with its checksum field taken as zero. */
uint32_t fw_image_hdr_crc(const uint8_t *hdr);

/* Store fw_image_hdr_crc(hdr) in the header's checksum field. */
void fw_image_seal(uint8_t *hdr);

#endif
