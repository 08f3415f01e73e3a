/* selftest: compiler-generated RV32IM code against the same C built for the host.  Both
 * fold many operations on pseudo-random operands into one signature; tb_core compares the
 * core's signature with the host's.  Only operations whose C result is defined are used
 * (no shift by >= 32, no division by zero or INT_MIN / -1: the assembly tests cover those). */
#include <stdint.h>
#include "selftest.h"

static uint32_t lcg_state;

static uint32_t rnd(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state ^ (lcg_state >> 15);
}

/* operands that favour the edges: 0, +-1, INT_MIN, INT_MAX, small, random */
static uint32_t operand(void)
{
    static const uint32_t edge[] = {0, 1, 0xffffffffu, 0x80000000u, 0x7fffffffu, 2, 31, 32,
                                    0xfffffffeu, 0x8000, 0xffff8000u, 0x7f, 0x80};
    uint32_t r = rnd();
    if ((r & 7) == 0) return edge[(r >> 3) % (sizeof edge / sizeof edge[0])];
    if ((r & 7) == 1) return r >> 20;
    return rnd();
}

static uint32_t sig;

static void mix(uint32_t v)
{
    sig = (sig ^ v) * 0x01000193u;
    sig ^= sig >> 13;
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
    uint32_t c = 0xffffffffu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

typedef uint32_t (*binop)(uint32_t, uint32_t);
static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
static uint32_t op_rot(uint32_t a, uint32_t b) { b &= 31; return b ? (a << b) | (a >> (32 - b)) : a; }
static const binop ops[] = {op_add, op_sub, op_rot};

static uint32_t arith(uint32_t a, uint32_t b)
{
    int32_t sa = (int32_t)a, sb = (int32_t)b;
    uint32_t s = b & 31;
    uint32_t r = 0;
    switch (rnd() % 12) {
    case 0: r = a + b; break;
    case 1: r = a - b; break;
    case 2: r = (a & b) ^ (a | ~b); break;
    case 3: r = a << s; break;
    case 4: r = a >> s; break;
    case 5: r = (uint32_t)(sa >> s); break;
    case 6: r = (uint32_t)(sa < sb) | (uint32_t)(a < b) << 1 | (uint32_t)(sa >= -5) << 2; break;
    case 7: r = a * b; break;
    case 8: r = (uint32_t)(((int64_t)sa * sb) >> 32); break;
    case 9: r = (uint32_t)(((uint64_t)a * b) >> 32); break;
    case 10: r = (uint32_t)(((int64_t)sa * (int64_t)(uint64_t)b) >> 32); break;
    default:
        if (b == 0) break;
        r = a / b ^ (a % b) << 3;
        if (!(sa == INT32_MIN && sb == -1)) r ^= (uint32_t)(sa / sb) ^ (uint32_t)(sa % sb) << 7;
        break;
    }
    return r;
}

uint32_t selftest(void)
{
    static uint8_t buf[256];
    static int16_t half[64];
    static int8_t byte[64];
    lcg_state = 12345;
    sig = 0x811c9dc5u;
    for (int i = 0; i < 3000; i++) {
        uint32_t a = operand(), b = operand();
        mix(arith(a, b));
        mix(ops[i % 3](a, b));
        if ((int32_t)a < (int32_t)b) mix(1);
        if (a < b) mix(2);
    }
    /* sub-word loads and stores, signed and unsigned, at every alignment */
    for (int i = 0; i < 256; i++) buf[i] = (uint8_t)rnd();
    for (int i = 0; i < 64; i++) half[i] = (int16_t)(rnd() & 0xffff);
    for (int i = 0; i < 64; i++) byte[i] = (int8_t)(rnd() & 0xff);
    int32_t acc = 0;
    for (int i = 0; i < 64; i++) acc += half[i] * byte[63 - i] - byte[i];
    mix((uint32_t)acc);
    for (int i = 0; i + 4 <= 256; i += 3) {
        uint32_t w = (uint32_t)buf[i] | (uint32_t)buf[i + 1] << 8 | (uint32_t)buf[i + 2] << 16 |
                     (uint32_t)buf[i + 3] << 24;
        mix(w);
    }
    mix(crc32(buf, sizeof buf));
    /* insertion sort of half[], then a check that it is ordered */
    for (int i = 1; i < 64; i++) {
        int16_t v = half[i];
        int j = i - 1;
        while (j >= 0 && half[j] > v) { half[j + 1] = half[j]; j--; }
        half[j + 1] = v;
    }
    for (int i = 0; i < 64; i++) mix((uint32_t)half[i]);
    mix(fib(15));
    return sig;
}
