#include "json.h"

#include <math.h>

static void sep(struct vn_json *j, const char *key)
{
    if (!j->first[j->depth])
        fputc(',', j->f);
    j->first[j->depth] = 0;
    if (key)
        fprintf(j->f, "\"%s\":", key);
}

void vn_json_begin(struct vn_json *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->first[0] = 1;
    fputc('{', f);
}

static void open_(struct vn_json *j, const char *key, char c)
{
    sep(j, key);
    fputc(c, j->f);
    if (j->depth < 7)
        j->depth++;
    j->first[j->depth] = 1;
}

void vn_json_obj(struct vn_json *j, const char *key)
{
    open_(j, key, '{');
}

void vn_json_arr(struct vn_json *j, const char *key)
{
    open_(j, key, '[');
}

void vn_json_close(struct vn_json *j, char bracket)
{
    fputc(bracket, j->f);
    if (j->depth > 0)
        j->depth--;
}

void vn_json_str(struct vn_json *j, const char *key, const char *val)
{
    sep(j, key);
    fputc('"', j->f);
    for (const char *p = val; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(j->f, "\\%c", *p);
        else if ((unsigned char)*p < 0x20)
            fprintf(j->f, "\\u%04x", (unsigned char)*p);
        else
            fputc(*p, j->f);
    }
    fputc('"', j->f);
}

void vn_json_u64(struct vn_json *j, const char *key, uint64_t val)
{
    sep(j, key);
    fprintf(j->f, "%llu", (unsigned long long)val);
}

void vn_json_hex(struct vn_json *j, const char *key, uint64_t val)
{
    sep(j, key);
    fprintf(j->f, "\"0x%llx\"", (unsigned long long)val);
}

void vn_json_dbl(struct vn_json *j, const char *key, double val)
{
    sep(j, key);
    if (isfinite(val))
        fprintf(j->f, "%.6g", val);
    else
        fputs("null", j->f);
}

void vn_json_bool(struct vn_json *j, const char *key, int val)
{
    sep(j, key);
    fputs(val ? "true" : "false", j->f);
}

void vn_json_end(struct vn_json *j)
{
    fputs("}\n", j->f);
}
