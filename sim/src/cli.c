#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int vn_cli_u64(const char *prog, const char *opt, const char *text, uint64_t min, uint64_t max,
               uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = text ? strtoull(text, &end, 0) : 0;
    if (!text || !*text || *end || errno || text[0] == '-' || v < min || v > max) {
        fprintf(stderr, "%s: %s needs a number from %llu to %llu, not '%s'\n", prog, opt,
                (unsigned long long)min, (unsigned long long)max, text ? text : "");
        return -1;
    }
    *out = v;
    return 0;
}

double vn_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
