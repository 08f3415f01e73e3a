/* Small, strict command-line number parsing shared by the tools. */
#ifndef VN_CLI_H
#define VN_CLI_H

#include <stdint.h>

/* Parse an unsigned integer (decimal or 0x hex) in [min, max]; prints a clear error
 * naming the option and returns -1 when the text is not one. */
int vn_cli_u64(const char *prog, const char *opt, const char *text, uint64_t min, uint64_t max,
               uint64_t *out);

/* Monotonic wall-clock seconds, for reporting simulator speed only. */
double vn_wall_seconds(void);

#endif
