/* vionic-fwimage: packages a cross-built firmware (ELF or flat binary) as a flashable
 * image (firmware/include/fw_image.h) and inspects or verifies images. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32c.h"
#include "fw.h"
#include "fw_image.h"
#include "fw_image_check.h"
#include "sha256.h"

#define EXIT_BAD 1   /* an invalid image or a file that cannot be read or written */
#define EXIT_USAGE 2 /* a wrong command line */
#define MAX_INPUT (64u << 20)

static const char usage[] =
    "usage: vionic-fwimage make (--elf FILE | --bin FILE) [--load ADDR] [--entry ADDR]\n"
    "                           [--version X.Y] [--build-id HEX] [--device ID] -o OUT\n"
    "       vionic-fwimage [--json] info FILE [--device ID]\n"
    "       vionic-fwimage verify FILE [--device ID]\n"
    "       vionic-fwimage --help\n"
    "\n"
    "make     package a firmware as an image.  From an ELF the payload is its PT_LOAD\n"
    "         segments placed at their load (physical) addresses; --load defaults to the\n"
    "         lowest of them, --entry to the ELF entry.  From a flat binary --load and\n"
    "         --entry default to the start of IMEM.  --version defaults to the FW_VERSION\n"
    "         this tool was built with; --build-id (up to 16 hex digits, e.g. a git hash)\n"
    "         defaults to the first 8 bytes of the payload's SHA-256.\n"
    "info     print every header field and the result of each check.\n"
    "verify   print VALID or what is wrong.\n"
    "--device the target id (vendor << 16 | device) expected or written; default 0x%08" PRIx32
    ".\n"
    "\n"
    "Exit status: 0 valid / done, 1 invalid image or I/O error, 2 usage error.\n";

static void print_usage(FILE *f)
{
    fprintf(f, usage, (uint32_t)FW_IMG_DEVICE_ID);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "vionic-fwimage: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(vionic-fwimage --help for usage)\n");
    return EXIT_USAGE;
}

/* ---- input ---------------------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vionic-fwimage: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        if (cap >= MAX_INPUT) {
            fprintf(stderr, "vionic-fwimage: %s is larger than %u MiB\n", path, MAX_INPUT >> 20);
            free(buf);
            buf = NULL;
            break;
        }
        uint8_t *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        fprintf(stderr, "vionic-fwimage: reading %s: %s\n", path, strerror(errno));
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        *len = n;
    return buf;
}

static bool parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > UINT32_MAX || *s == '-')
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool parse_version(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long maj = strtoul(s, &end, 10);
    if (errno || end == s || *end != '.' || maj > 0xffff || *s == '-')
        return false;
    const char *m = end + 1;
    unsigned long min = strtoul(m, &end, 10);
    if (errno || end == m || *end || min > 0xffff || *m == '-')
        return false;
    *out = (uint32_t)(maj << 16 | min);
    return true;
}

static bool parse_build_id(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 16 || strspn(s, "0123456789abcdefABCDEF") != n)
        return false;
    *out = strtoull(s, NULL, 16);
    return true;
}

/* ---- payload from an ELF ---------------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return fw_img_get32(p);
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

struct payload {
    uint8_t *bytes;
    uint32_t len, load, entry;
    bool have_load, have_entry;
};

#define EH(f) offsetof(Elf32_Ehdr, f)
#define PH(f) offsetof(Elf32_Phdr, f)

/* Fields are read by offset as little-endian, so the tool works on any host. */
static int payload_from_elf(const char *path, const uint8_t *f, size_t n, struct payload *pl)
{
    if (n < sizeof(Elf32_Ehdr) || memcmp(f, ELFMAG, SELFMAG)) {
        fprintf(stderr, "vionic-fwimage: %s is not an ELF file\n", path);
        return EXIT_BAD;
    }
    if (f[EI_CLASS] != ELFCLASS32 || f[EI_DATA] != ELFDATA2LSB ||
        le16(f + EH(e_machine)) != EM_RISCV || le16(f + EH(e_type)) != ET_EXEC) {
        fprintf(stderr, "vionic-fwimage: %s is not a little-endian 32-bit RISC-V executable\n",
                path);
        return EXIT_BAD;
    }
    uint32_t phoff = le32(f + EH(e_phoff));
    uint16_t phentsize = le16(f + EH(e_phentsize)), phnum = le16(f + EH(e_phnum));
    if (phentsize < sizeof(Elf32_Phdr) || phoff > n || (uint64_t)phnum * phentsize > n - phoff) {
        fprintf(stderr, "vionic-fwimage: %s: program headers out of the file\n", path);
        return EXIT_BAD;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (unsigned pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < phnum; i++) {
            const uint8_t *ph = f + phoff + (size_t)i * phentsize;
            uint32_t off = le32(ph + PH(p_offset)), pa = le32(ph + PH(p_paddr));
            uint32_t fsz = le32(ph + PH(p_filesz));
            if (le32(ph + PH(p_type)) != PT_LOAD || fsz == 0)
                continue;
            if (pass == 0) {
                if (off > n || fsz > n - off) {
                    fprintf(stderr, "vionic-fwimage: %s: segment %u runs past the file\n", path,
                            i);
                    return EXIT_BAD;
                }
                lo = pa < lo ? pa : lo;
                hi = (uint64_t)pa + fsz > hi ? (uint64_t)pa + fsz : hi;
            } else {
                memcpy(pl->bytes + (pa - pl->load), f + off, fsz);
            }
        }
        if (pass == 1)
            break;
        if (hi == 0) {
            fprintf(stderr, "vionic-fwimage: %s has no loadable bytes\n", path);
            return EXIT_BAD;
        }
        if (!pl->have_load)
            pl->load = (uint32_t)lo;
        if (pl->load > lo) {
            fprintf(stderr,
                    "vionic-fwimage: %s loads bytes at 0x%08" PRIx64
                    ", below --load 0x%08" PRIx32 "\n",
                    path, lo, pl->load);
            return EXIT_BAD;
        }
        if (hi - pl->load > FW_IMG_MAX_PAYLOAD) {
            fprintf(stderr,
                    "vionic-fwimage: %s spans %" PRIu64 " bytes from 0x%08" PRIx32
                    ", more than the %u-byte IMEM\n",
                    path, hi - pl->load, pl->load, (unsigned)FW_IMG_MAX_PAYLOAD);
            return EXIT_BAD;
        }
        pl->len = (uint32_t)(hi - pl->load);
        pl->bytes = calloc(1, pl->len); /* gaps between segments read as zero */
        if (!pl->bytes)
            return EXIT_BAD;
    }
    if (!pl->have_entry)
        pl->entry = le32(f + EH(e_entry));
    return 0;
}

/* ---- make ------------------------------------------------------------------------------- */

static int write_file(const char *path, const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "vionic-fwimage: cannot create %s: %s\n", path, strerror(errno));
        return EXIT_BAD;
    }
    bool ok = fwrite(a, 1, alen, f) == alen && fwrite(b, 1, blen, f) == blen;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "vionic-fwimage: writing %s failed\n", path);
        remove(path);
        return EXIT_BAD;
    }
    return 0;
}

struct make_opts {
    const char *elf, *bin, *out;
    struct payload pl;
    uint32_t version, device;
    uint64_t build_id;
    bool have_build_id, have_version;
};

static int cmd_make(struct make_opts *o)
{
    const char *in = o->elf ? o->elf : o->bin;
    size_t n;
    uint8_t *f = read_file(in, &n);
    if (!f)
        return EXIT_BAD;
    struct payload *pl = &o->pl;
    int rc = 0;
    if (o->elf) {
        rc = payload_from_elf(in, f, n, pl);
    } else if (n == 0 || n > FW_IMG_MAX_PAYLOAD) {
        fprintf(stderr, "vionic-fwimage: %s has %zu bytes; a payload has 1..%u\n", in, n,
                (unsigned)FW_IMG_MAX_PAYLOAD);
        rc = EXIT_BAD;
    } else {
        pl->bytes = f;
        f = NULL;
        pl->len = (uint32_t)n;
        if (!pl->have_load)
            pl->load = VN_CORE_IMEM_BASE;
        if (!pl->have_entry)
            pl->entry = pl->load;
    }
    free(f);
    if (rc)
        return rc;

    struct fw_image_hdr h = {
        .magic = FW_IMG_MAGIC,
        .hdr_version = FW_IMG_HDR_VERSION,
        .hdr_size = FW_IMG_HDR_SIZE,
        .fw_version = o->version,
        .device_id = o->device,
        .load_addr = pl->load,
        .entry = pl->entry,
        .payload_len = pl->len,
        .payload_crc = crc32c(pl->bytes, pl->len),
    };
    sha256(pl->bytes, pl->len, h.payload_sha);
    h.build_id = o->build_id;
    if (!o->have_build_id)
        for (unsigned i = 0; i < 8; i++)
            h.build_id = h.build_id << 8 | h.payload_sha[i];
    uint8_t hdr[FW_IMG_HDR_SIZE];
    fw_image_hdr_encode(&h, hdr);
    fw_image_seal(hdr);

    /* Never write an image the checker (and so the ROM) would refuse. */
    uint8_t *img = malloc(sizeof(hdr) + pl->len);
    if (!img) {
        free(pl->bytes);
        return EXIT_BAD;
    }
    memcpy(img, hdr, sizeof(hdr));
    memcpy(img + sizeof(hdr), pl->bytes, pl->len);
    enum fw_img_status st = fw_image_check(img, sizeof(hdr) + pl->len, o->device, NULL);
    free(img);
    if (st != FW_IMG_OK) {
        fprintf(stderr, "vionic-fwimage: refusing to write %s: %s (load 0x%08" PRIx32
                        ", entry 0x%08" PRIx32 ", %" PRIu32 " bytes)\n",
                o->out, fw_image_status_str(st), pl->load, pl->entry, pl->len);
        free(pl->bytes);
        return EXIT_BAD;
    }
    rc = write_file(o->out, hdr, sizeof(hdr), pl->bytes, pl->len);
    free(pl->bytes);
    if (!rc)
        printf("%s: %" PRIu32 " payload bytes at 0x%08" PRIx32 ", entry 0x%08" PRIx32
               ", version %" PRIu32 ".%" PRIu32 ", build %016" PRIx64 "\n",
               o->out, h.payload_len, h.load_addr, h.entry, h.fw_version >> 16,
               h.fw_version & 0xffff, h.build_id);
    return rc;
}

/* ---- info / verify ---------------------------------------------------------------------- */

static void hex(FILE *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%02x", p[i]);
}

static void json_str(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static const char *verdict(int checked, int ok)
{
    return !checked ? "not checked" : ok ? "ok" : "MISMATCH";
}

static void info_text(const char *path, size_t len, enum fw_img_status st,
                      const struct fw_img_report *r, uint32_t device)
{
    const struct fw_image_hdr *h = &r->hdr;
    printf("file:           %s (%zu bytes)\n", path, len);
    if (r->hdr_decoded) {
        printf("magic:          0x%08" PRIx32 " (%s)\n", h->magic,
               h->magic == FW_IMG_MAGIC ? "VNFW" : "wrong");
        printf("header version: %u (this tool reads up to %u)\n", h->hdr_version,
               FW_IMG_HDR_VERSION);
        printf("header size:    %u\n", h->hdr_size);
        printf("fw version:     %" PRIu32 ".%" PRIu32 " (0x%08" PRIx32 ")\n", h->fw_version >> 16,
               h->fw_version & 0xffff, h->fw_version);
        printf("device id:      0x%08" PRIx32 " (expected 0x%08" PRIx32 ")\n", h->device_id,
               device);
        printf("build id:       %016" PRIx64 "\n", h->build_id);
        printf("load address:   0x%08" PRIx32 "\n", h->load_addr);
        printf("entry point:    0x%08" PRIx32 "\n", h->entry);
        printf("payload length: %" PRIu32 " (max %u)\n", h->payload_len,
               (unsigned)FW_IMG_MAX_PAYLOAD);
        printf("payload crc32c: 0x%08" PRIx32, h->payload_crc);
        if (r->payload_checked)
            printf(" (computed 0x%08" PRIx32 ")", r->payload_crc_actual);
        printf(" %s\n", verdict(r->payload_checked, r->payload_crc_actual == h->payload_crc));
        printf("payload sha256: ");
        hex(stdout, h->payload_sha, SHA256_DIGEST_LEN);
        bool sha_ok = r->payload_checked &&
                      !memcmp(h->payload_sha, r->payload_sha_actual, SHA256_DIGEST_LEN);
        printf(" %s\n", verdict(r->payload_checked, sha_ok));
        if (r->payload_checked && !sha_ok) {
            printf("      computed: ");
            hex(stdout, r->payload_sha_actual, SHA256_DIGEST_LEN);
            printf("\n");
        }
        printf("flags:          0x%08" PRIx32 "\n", h->flags);
        printf("header crc32c:  0x%08" PRIx32, h->hdr_crc);
        if (r->hdr_crc_checked)
            printf(" (computed 0x%08" PRIx32 ")", r->hdr_crc_actual);
        printf(" %s\n", verdict(r->hdr_crc_checked, r->hdr_crc_actual == h->hdr_crc));
        if (r->image_len && len > r->image_len)
            printf("trailing bytes: %zu (ignored)\n", len - r->image_len);
    }
    if (st == FW_IMG_OK)
        printf("VALID\n");
    else
        printf("INVALID: %s\n", fw_image_status_str(st));
}

static void info_json(const char *path, size_t len, enum fw_img_status st,
                      const struct fw_img_report *r, uint32_t device)
{
    const struct fw_image_hdr *h = &r->hdr;
    printf("{\"file\":");
    json_str(path);
    printf(",\"file_len\":%zu,\"valid\":%s,\"problem\":", len, st == FW_IMG_OK ? "true" : "false");
    if (st == FW_IMG_OK)
        printf("null");
    else
        json_str(fw_image_status_str(st));
    printf(",\"expected_device_id\":\"0x%08" PRIx32 "\"", device);
    if (r->hdr_decoded) {
        printf(",\"magic\":\"0x%08" PRIx32 "\",\"hdr_version\":%u,\"hdr_size\":%u", h->magic,
               h->hdr_version, h->hdr_size);
        printf(",\"fw_version\":\"%" PRIu32 ".%" PRIu32 "\",\"device_id\":\"0x%08" PRIx32 "\"",
               h->fw_version >> 16, h->fw_version & 0xffff, h->device_id);
        printf(",\"build_id\":\"%016" PRIx64 "\",\"load_addr\":\"0x%08" PRIx32
               "\",\"entry\":\"0x%08" PRIx32 "\"",
               h->build_id, h->load_addr, h->entry);
        printf(",\"payload_len\":%" PRIu32 ",\"payload_crc32c\":\"0x%08" PRIx32 "\"",
               h->payload_len, h->payload_crc);
        printf(",\"payload_sha256\":\"");
        hex(stdout, h->payload_sha, SHA256_DIGEST_LEN);
        printf("\",\"flags\":\"0x%08" PRIx32 "\",\"hdr_crc32c\":\"0x%08" PRIx32 "\"", h->flags,
               h->hdr_crc);
    }
    if (r->hdr_crc_checked)
        printf(",\"hdr_crc_ok\":%s", r->hdr_crc_actual == h->hdr_crc ? "true" : "false");
    if (r->payload_checked) {
        printf(",\"payload_crc_ok\":%s",
               r->payload_crc_actual == h->payload_crc ? "true" : "false");
        printf(",\"payload_sha_ok\":%s",
               memcmp(h->payload_sha, r->payload_sha_actual, SHA256_DIGEST_LEN) ? "false"
                                                                                 : "true");
    }
    printf("}\n");
}

static int cmd_check(const char *path, bool info, bool json, uint32_t device)
{
    size_t len;
    uint8_t *buf = read_file(path, &len);
    if (!buf)
        return EXIT_BAD;
    struct fw_img_report r;
    enum fw_img_status st = fw_image_check(buf, len, device, &r);
    free(buf);
    if (json)
        info_json(path, len, st, &r, device);
    else if (info)
        info_text(path, len, st, &r, device);
    else if (st == FW_IMG_OK)
        printf("%s: VALID\n", path);
    else
        printf("%s: INVALID: %s\n", path, fw_image_status_str(st));
    return st == FW_IMG_OK ? 0 : EXIT_BAD;
}

/* ---- command line ----------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    const char *cmd = NULL, *file = NULL;
    bool json = false;
    struct make_opts mo = {.version = FW_VERSION, .device = FW_IMG_DEVICE_ID};

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = !strcmp(a, "--elf") || !strcmp(a, "--bin") || !strcmp(a, "--load") ||
                     !strcmp(a, "--entry") || !strcmp(a, "--version") || !strcmp(a, "-o") ||
                     !strcmp(a, "--build-id") || !strcmp(a, "--device");
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            print_usage(stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (takes && !v) {
            return usage_error("%s needs a value", a);
        } else if (takes) {
            i++;
            bool make_only = strcmp(a, "--device") != 0;
            if (make_only && cmd && strcmp(cmd, "make"))
                return usage_error("option %s applies only to 'make'", a);
            if (!strcmp(a, "--elf"))
                mo.elf = v;
            else if (!strcmp(a, "--bin"))
                mo.bin = v;
            else if (!strcmp(a, "-o"))
                mo.out = v;
            else if (!strcmp(a, "--load")) {
                if (!parse_u32(v, &mo.pl.load))
                    return usage_error("--load needs an address, got '%s'", v);
                mo.pl.have_load = true;
            } else if (!strcmp(a, "--entry")) {
                if (!parse_u32(v, &mo.pl.entry))
                    return usage_error("--entry needs an address, got '%s'", v);
                mo.pl.have_entry = true;
            } else if (!strcmp(a, "--version")) {
                if (!parse_version(v, &mo.version))
                    return usage_error("--version needs X.Y (each 0..65535), got '%s'", v);
                mo.have_version = true;
            } else if (!strcmp(a, "--build-id")) {
                if (!parse_build_id(v, &mo.build_id))
                    return usage_error("--build-id needs 1..16 hex digits, got '%s'", v);
                mo.have_build_id = true;
            } else if (!parse_u32(v, &mo.device)) {
                return usage_error("--device needs a number, got '%s'", v);
            }
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (!cmd) {
            cmd = a;
        } else if (!file) {
            file = a;
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
    }
    if (!cmd)
        return usage_error("%s", "no command (make, info or verify)");

    if (!strcmp(cmd, "make")) {
        if (file)
            return usage_error("make takes no file argument ('%s'): use --elf, --bin, -o", file);
        if (!mo.elf == !mo.bin)
            return usage_error("%s", "make needs exactly one of --elf FILE and --bin FILE");
        if (!mo.out)
            return usage_error("%s", "make needs -o OUT");
        if (json)
            return usage_error("%s", "--json applies only to 'info'");
        return cmd_make(&mo);
    }
    bool info = !strcmp(cmd, "info");
    if (!info && strcmp(cmd, "verify"))
        return usage_error("unknown command '%s'", cmd);
    if (mo.elf || mo.bin || mo.out || mo.pl.have_load || mo.pl.have_entry || mo.have_build_id ||
        mo.have_version)
        return usage_error("options of 'make' do not apply to '%s'", cmd);
    if (json && !info)
        return usage_error("%s", "--json applies only to 'info'");
    if (!file)
        return usage_error("%s needs a FILE", cmd);
    return cmd_check(file, info, json, mo.device);
}
