/* vn_log: one small hook through which every host-shim layer explains a failure.  The
 * -errno a call returns says what class of thing went wrong; the message says which
 * register, queue or value, which is what a person debugging bring-up needs. */
#ifndef VN_LOG_H
#define VN_LOG_H

enum vn_log_level { VN_LOG_ERR = 0, VN_LOG_WARN = 1, VN_LOG_INFO = 2, VN_LOG_DEBUG = 3 };

typedef void (*vn_log_fn)(void *ctx, enum vn_log_level level, const char *msg);

/* Route messages to fn (NULL: stderr, errors and warnings only).  Process-wide. */
void vn_log_set(vn_log_fn fn, void *ctx);

void vn_log(enum vn_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
