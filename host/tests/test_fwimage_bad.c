/* test_fwimage_bad GOOD.img OUTDIR: checks that GOOD.img passes fw_image_check, then makes
 * one corrupted copy per problem class, checks that each is refused with exactly that
 * class, and writes them to OUTDIR/<class>.img for the command-line tests.  Corruptions
 * of header fields re-seal the header checksum, so they model a well-formed image that
 * is wrong in that one respect (built for another device, by a newer tool...). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "fw_image_check.h"

static uint8_t *good;
static size_t good_len;
static const char *outdir;

static void emit(const char *name, const uint8_t *img, size_t len, enum fw_img_status want)
{
    struct fw_img_report r;
    enum fw_img_status got = fw_image_check(img, len, FW_IMG_DEVICE_ID, &r);
    if (got != want)
        fprintf(stderr, "%s: got '%s', expected '%s'\n", name, fw_image_status_str(got),
                fw_image_status_str(want));
    CHECK_EQ(got, want);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s.img", outdir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ(fwrite(img, 1, len, f), len);
        CHECK_EQ(fclose(f), 0);
    }
}

static uint8_t *copy(void)
{
    uint8_t *c = malloc(good_len + 8);
    if (!c)
        abort();
    memcpy(c, good, good_len);
    return c;
}

/* set a header word and re-seal */
static void field(const char *name, unsigned off, uint32_t v, enum fw_img_status want)
{
    uint8_t *c = copy();
    fw_img_put32(c + off, v);
    fw_image_seal(c);
    emit(name, c, good_len, want);
    free(c);
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: test_fwimage_bad GOOD.img OUTDIR [SEED]\n");
        return 2;
    }
    unsigned seed = argc == 4 ? (unsigned)strtoul(argv[3], NULL, 0) : (unsigned)time(NULL);
    outdir = argv[2];
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    static uint8_t buf[FW_IMG_HDR_SIZE + FW_IMG_MAX_PAYLOAD + 1];
    good_len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    good = buf;

    struct fw_img_report r;
    CHECK_EQ(fw_image_check(good, good_len, FW_IMG_DEVICE_ID, &r), FW_IMG_OK);
    CHECK_EQ(r.image_len, good_len);
    CHECK(r.payload_checked && r.hdr_crc_checked);
    CHECK_EQ(fw_image_check(good, good_len, FW_IMG_DEVICE_ID, NULL), FW_IMG_OK);
    const uint32_t plen = r.hdr.payload_len, load = r.hdr.load_addr;
    emit("good", good, good_len, FW_IMG_OK);

    uint8_t *c = copy();
    c[good_len] = 0xff; /* a flash slot's erased tail after the image is fine */
    CHECK_EQ(fw_image_check(c, good_len + 1, FW_IMG_DEVICE_ID, NULL), FW_IMG_OK);
    free(c);

    emit("truncated_header", good, FW_IMG_HDR_SIZE - 1, FW_IMG_TRUNCATED_HDR);
    emit("empty", good, 0, FW_IMG_TRUNCATED_HDR);
    emit("truncated", good, good_len - 1, FW_IMG_TRUNCATED);

    c = copy();
    c[0] ^= 0x20; /* "vNFW" */
    emit("bad_magic", c, good_len, FW_IMG_BAD_MAGIC);
    free(c);

    c = copy();
    c[FW_IMG_OFF_HDR_VERSION] = FW_IMG_HDR_VERSION + 1;
    emit("future_version", c, good_len, FW_IMG_FUTURE_VERSION); /* checksum left stale */
    free(c);

    c = copy();
    c[FW_IMG_OFF_HDR_SIZE] = 64;
    fw_image_seal(c);
    emit("bad_header_size", c, good_len, FW_IMG_BAD_HDR);
    free(c);

    c = copy();
    c[FW_IMG_OFF_FW_VERSION] ^= 1; /* any header bit flip */
    emit("bad_header_crc", c, good_len, FW_IMG_BAD_HDR_CRC);
    free(c);
    c = copy();
    c[FW_IMG_OFF_RESERVED + 5] = 1;
    CHECK_EQ(fw_image_check(c, good_len, FW_IMG_DEVICE_ID, NULL), FW_IMG_BAD_HDR_CRC);
    free(c);

    field("wrong_device", FW_IMG_OFF_DEVICE_ID, 0x1af41000u, FW_IMG_WRONG_DEVICE);
    field("bad_flags", FW_IMG_OFF_FLAGS, 0x80000000u, FW_IMG_BAD_FLAGS);
    field("too_large", FW_IMG_OFF_PAYLOAD_LEN, FW_IMG_MAX_PAYLOAD + 4, FW_IMG_TOO_LARGE);
    field("payload_len_past_file", FW_IMG_OFF_PAYLOAD_LEN, plen + 4, FW_IMG_TRUNCATED);
    field("load_below_imem", FW_IMG_OFF_LOAD_ADDR, VN_CORE_IMEM_BASE - 4, FW_IMG_BAD_ADDR);
    field("load_past_imem", FW_IMG_OFF_LOAD_ADDR, VN_CORE_IMEM_BASE + VN_CORE_IMEM_SIZE - plen + 4,
          FW_IMG_BAD_ADDR);
    field("entry_outside", FW_IMG_OFF_ENTRY, load + plen, FW_IMG_BAD_ADDR);
    field("entry_misaligned", FW_IMG_OFF_ENTRY, load + 2, FW_IMG_BAD_ADDR);

    c = copy();
    c[FW_IMG_HDR_SIZE + plen / 2] ^= 0x01; /* one payload bit */
    emit("bad_crc", c, good_len, FW_IMG_BAD_CRC);
    free(c);
    c = copy();
    c[good_len - 1] ^= 0x80; /* the last payload byte */
    CHECK_EQ(fw_image_check(c, good_len, FW_IMG_DEVICE_ID, NULL), FW_IMG_BAD_CRC);
    free(c);

    c = copy();
    c[FW_IMG_OFF_PAYLOAD_SHA + 31] ^= 0x01; /* CRC right, hash wrong: a forged CRC */
    fw_image_seal(c);
    emit("bad_hash", c, good_len, FW_IMG_BAD_HASH);
    free(c);

    /* No single bit flip anywhere in the header, nor in randomly picked payload bits,
     * yields an image that passes. */
    c = copy();
    for (unsigned bit = 0; bit < FW_IMG_HDR_SIZE * 8; bit++) {
        c[bit / 8] ^= (uint8_t)(1u << bit % 8);
        CHECK(fw_image_check(c, good_len, FW_IMG_DEVICE_ID, NULL) != FW_IMG_OK);
        c[bit / 8] ^= (uint8_t)(1u << bit % 8);
    }
    printf("seed %u (rerun: test_fwimage_bad GOOD OUTDIR %u)\n", seed, seed);
    srand(seed);
    for (int i = 0; i < 300; i++) {
        size_t bit = (size_t)rand() % ((size_t)plen * 8);
        uint8_t *p = c + FW_IMG_HDR_SIZE + bit / 8;
        *p ^= (uint8_t)(1u << bit % 8);
        CHECK(fw_image_check(c, good_len, FW_IMG_DEVICE_ID, NULL) == FW_IMG_BAD_CRC);
        *p ^= (uint8_t)(1u << bit % 8);
    }
    free(c);

    /* every status has its own message */
    for (int i = 0; i < FW_IMG_STATUS_COUNT; i++)
        for (int j = 0; j < i; j++)
            CHECK(strcmp(fw_image_status_str(i), fw_image_status_str(j)) != 0);
    CHECK(fw_image_status_str(FW_IMG_STATUS_COUNT) != NULL);
    return check_report();
}
