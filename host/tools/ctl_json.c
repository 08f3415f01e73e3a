/* Streaming JSON writer (see ctl_json.h). */
#include "ctl_json.h"

#include <inttypes.h>

static void put_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Separator and key of the next member of the innermost container. */
static void member(struct ctl_json *j, const char *key)
{
    if (!j->first[j->depth])
        fputc(',', j->f);
    j->first[j->depth] = false;
    if (key) {
        put_str(j->f, key);
        fputc(':', j->f);
    }
}

static void nest(struct ctl_json *j, const char *key, char o, char c)
{
    member(j, key);
    fputc(o, j->f);
    if (j->depth + 1 < CTL_JSON_DEPTH) {
        j->depth++;
        j->first[j->depth] = true;
        j->close[j->depth] = c;
    }
}

void cj_begin(struct ctl_json *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    fputc('{', f);
    j->first[0] = true;
    j->close[0] = '}';
}

void cj_end(struct ctl_json *j)
{
    fputc(j->close[j->depth], j->f);
    if (j->depth == 0)
        fputc('\n', j->f);
    else
        j->depth--;
}

void cj_obj(struct ctl_json *j, const char *key)
{
    nest(j, key, '{', '}');
}

void cj_arr(struct ctl_json *j, const char *key)
{
    nest(j, key, '[', ']');
}

void cj_u64(struct ctl_json *j, const char *key, uint64_t v)
{
    member(j, key);
    fprintf(j->f, "%" PRIu64, v);
}

void cj_hex(struct ctl_json *j, const char *key, uint64_t v)
{
    member(j, key);
    fprintf(j->f, "\"0x%" PRIx64 "\"", v);
}

void cj_str(struct ctl_json *j, const char *key, const char *s)
{
    member(j, key);
    put_str(j->f, s);
}

void cj_bool(struct ctl_json *j, const char *key, bool v)
{
    member(j, key);
    fputs(v ? "true" : "false", j->f);
}
