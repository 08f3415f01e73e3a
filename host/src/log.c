#include "vn_log.h"

#include <stdarg.h>
#include <stdio.h>

static vn_log_fn log_fn;
static void *log_ctx;

void vn_log_set(vn_log_fn fn, void *ctx)
{
    log_fn = fn;
    log_ctx = ctx;
}

void vn_log(enum vn_log_level level, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (log_fn) {
        log_fn(log_ctx, level, msg);
        return;
    }
    /* Without a hook only what needs attention is printed: tests stay quiet. */
    if (level <= VN_LOG_WARN)
        fprintf(stderr, "vionic: %s\n", msg);
}
