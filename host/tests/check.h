/* Minimal test harness: count checks, report failures with their line, finish with the
 * "N passed, M failed" line ctest output is read for. */
#ifndef VN_TEST_CHECK_H
#define VN_TEST_CHECK_H

#include <stdio.h>

static unsigned check_pass, check_fail;

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (cond) {                                                                         \
            check_pass++;                                                                   \
        } else {                                                                            \
            check_fail++;                                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);        \
        }                                                                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                                      \
    do {                                                                                    \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                     \
        if (check_a_ == check_b_) {                                                         \
            check_pass++;                                                                   \
        } else {                                                                            \
            check_fail++;                                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n", __FILE__,     \
                    __LINE__, #a, #b, check_a_, check_b_);                                  \
        }                                                                                   \
    } while (0)

static inline int check_report(void)
{
    printf("%u passed, %u failed\n", check_pass, check_fail);
    return check_fail ? 1 : 0;
}

#endif
