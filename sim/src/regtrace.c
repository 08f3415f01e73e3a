#include "regtrace.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const space_names[] = {"cfg", "common", "device", "isr", "notify", "msix"};

const char *vn_rt_space_name(enum vn_rt_space s)
{
    return (unsigned)s < sizeof(space_names) / sizeof(space_names[0]) ? space_names[s] : "?";
}

static int parse_num(const char *tok, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(tok, &end, 16);
    if (!*tok || *end || errno || v > 0xffffffffull)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_line(char *s, unsigned line, struct vn_rt_op *op, char *err, size_t errlen)
{
    char *tok[6];
    int n = 0;
    for (char *p = strtok(s, " \t\r"); p && n < 6; p = strtok(NULL, " \t\r"))
        tok[n++] = p;
    if (n != 5) {
        snprintf(err, errlen, "line %u: expected 'OP SPACE OFFSET SIZE VALUE', got %d fields", line, n);
        return -EINVAL;
    }
    if ((tok[0][0] != 'R' && tok[0][0] != 'W') || tok[0][1]) {
        snprintf(err, errlen, "line %u: operation '%s' is neither R nor W", line, tok[0]);
        return -EINVAL;
    }
    op->op = tok[0][0];
    size_t sp = 0;
    while (sp < sizeof(space_names) / sizeof(space_names[0]) && strcmp(space_names[sp], tok[1]))
        sp++;
    if (sp == sizeof(space_names) / sizeof(space_names[0])) {
        snprintf(err, errlen, "line %u: unknown space '%s'", line, tok[1]);
        return -EINVAL;
    }
    op->space = (enum vn_rt_space)sp;
    if (parse_num(tok[2], &op->off) || parse_num(tok[3], &op->size) || parse_num(tok[4], &op->value)) {
        snprintf(err, errlen, "line %u: offset, size and value must be hex numbers", line);
        return -EINVAL;
    }
    if ((op->size != 1 && op->size != 2 && op->size != 4) || op->off % op->size) {
        snprintf(err, errlen, "line %u: size %u at offset 0x%x is not a naturally aligned 1, 2 or 4",
                 line, op->size, op->off);
        return -EINVAL;
    }
    op->line = line;
    return 0;
}

int vn_regtrace_parse(const char *text, struct vn_regtrace *t, char *err, size_t errlen)
{
    memset(t, 0, sizeof(*t));
    size_t cap = 0;
    unsigned line = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        line++;
        char buf[256];
        if (len >= sizeof(buf)) {
            snprintf(err, errlen, "line %u: too long", line);
            vn_regtrace_free(t);
            return -EINVAL;
        }
        memcpy(buf, p, len);
        buf[len] = 0;
        p += len + (nl ? 1 : 0);
        char *s = buf;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#' || *s == '\r')
            continue;
        if (t->n == cap) {
            cap = cap ? cap * 2 : 256;
            struct vn_rt_op *n = realloc(t->ops, cap * sizeof(*n));
            if (!n) {
                vn_regtrace_free(t);
                return -ENOMEM;
            }
            t->ops = n;
        }
        int rc = parse_line(s, line, &t->ops[t->n], err, errlen);
        if (rc) {
            vn_regtrace_free(t);
            return rc;
        }
        t->n++;
    }
    if (!t->n) {
        snprintf(err, errlen, "no accesses in the trace");
        return -EINVAL;
    }
    return 0;
}

int vn_regtrace_load(const char *path, struct vn_regtrace *t, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return -e;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len - 1 == 0) {
            char *n = realloc(buf, cap * 2);
            if (!n) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = n;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return -ENOMEM;
    buf[len] = 0;
    if (memchr(buf, 0, len)) {
        snprintf(err, errlen, "%s: not a text trace", path);
        free(buf);
        return -EINVAL;
    }
    int rc = vn_regtrace_parse(buf, t, err, errlen);
    if (rc && rc != -ENOMEM) {
        char tmp[256];
        snprintf(tmp, sizeof(tmp), "%s: %s", path, err);
        snprintf(err, errlen, "%s", tmp);
    }
    free(buf);
    return rc;
}

void vn_regtrace_free(struct vn_regtrace *t)
{
    free(t->ops);
    t->ops = NULL;
    t->n = 0;
}
