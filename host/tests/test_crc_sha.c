/* CRC-32C and SHA-256 against their published test vectors (RFC 3720 B.4 check value,
 * FIPS 180-4 examples), and streaming in uneven pieces against one-shot. */
#include <string.h>

#include "check.h"
#include "crc32c.h"
#include "sha256.h"

static int digest_is(const uint8_t *d, const char *hex)
{
    char got[2 * SHA256_DIGEST_LEN + 1];
    for (unsigned i = 0; i < SHA256_DIGEST_LEN; i++)
        snprintf(got + 2 * i, 3, "%02x", d[i]);
    if (strcmp(got, hex)) {
        fprintf(stderr, "  got      %s\n  expected %s\n", got, hex);
        return 0;
    }
    return 1;
}

static void test_crc(void)
{
    CHECK_EQ(crc32c("123456789", 9), 0xe3069283u);
    CHECK_EQ(crc32c("", 0), 0);
    uint8_t zeros[32] = {0}, ones[32];
    memset(ones, 0xff, sizeof(ones));
    CHECK_EQ(crc32c(zeros, sizeof(zeros)), 0x8a9136aau); /* RFC 3720 B.4 */
    CHECK_EQ(crc32c(ones, sizeof(ones)), 0x62a8ab43u);
    uint32_t c = crc32c_update(0, "1234", 4);
    CHECK_EQ(crc32c_update(c, "56789", 5), 0xe3069283u);
}

static void test_sha(void)
{
    uint8_t d[SHA256_DIGEST_LEN];
    sha256("", 0, d);
    CHECK(digest_is(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    sha256("abc", 3, d);
    CHECK(digest_is(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256(m448, strlen(m448), d);
    CHECK(digest_is(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));

    /* a million 'a' in pieces of every size 1..97, crossing block edges every way */
    static uint8_t a[1000];
    memset(a, 'a', sizeof(a));
    struct sha256_ctx c;
    sha256_init(&c);
    size_t left = 1000000, step = 1;
    while (left) {
        size_t n = step < left ? step : left;
        sha256_update(&c, a, n);
        left -= n;
        step = step % 97 + 1;
    }
    sha256_final(&c, d);
    CHECK(digest_is(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));

    /* lengths around the padding edge: 55, 56 and 64 bytes, one-shot vs bytewise */
    for (size_t len = 50; len <= 70; len++) {
        uint8_t one[SHA256_DIGEST_LEN], bytes[SHA256_DIGEST_LEN];
        sha256(a, len, one);
        sha256_init(&c);
        for (size_t i = 0; i < len; i++)
            sha256_update(&c, a + i, 1);
        sha256_final(&c, bytes);
        CHECK(!memcmp(one, bytes, sizeof(one)));
    }
    /* 56 bytes: padding spills into a second block (value from Python hashlib) */
    sha256(a, 56, d);
    CHECK(digest_is(d, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
}

int main(void)
{
    test_crc();
    test_sha();
    return check_report();
}
