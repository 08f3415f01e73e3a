/* Register traces of real drivers (../shared/traces format): one access a line,
 *   OP SPACE OFFSET SIZE VALUE      e.g.  "W common 0x014 1 0xb"
 * OP is R or W; SPACE cfg, common, device, isr, notify or msix; numbers in hex. */
#ifndef VN_REGTRACE_H
#define VN_REGTRACE_H

#include <stddef.h>
#include <stdint.h>

enum vn_rt_space { VN_RT_CFG, VN_RT_COMMON, VN_RT_DEVICE, VN_RT_ISR, VN_RT_NOTIFY, VN_RT_MSIX };

struct vn_rt_op {
    char op; /* 'R' or 'W' */
    enum vn_rt_space space;
    uint32_t off, size, value;
    unsigned line;
};

struct vn_regtrace {
    struct vn_rt_op *ops;
    size_t n;
};

/* Parse a whole file; on a malformed line returns -EINVAL with err naming line and reason. */
int vn_regtrace_load(const char *path, struct vn_regtrace *t, char *err, size_t errlen);
int vn_regtrace_parse(const char *text, struct vn_regtrace *t, char *err, size_t errlen);
void vn_regtrace_free(struct vn_regtrace *t);
const char *vn_rt_space_name(enum vn_rt_space s);

#endif
