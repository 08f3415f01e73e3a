/* A small streaming JSON writer for vionicctl --json: one object per run, nesting by
 * calls, keys in the order written.  Keys are NULL inside arrays. */
#ifndef CTL_JSON_H
#define CTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CTL_JSON_DEPTH 8

struct ctl_json {
    FILE *f;
    unsigned depth;
    bool first[CTL_JSON_DEPTH];
    char close[CTL_JSON_DEPTH];
};

void cj_begin(struct ctl_json *j, FILE *f); /* the outer object */
void cj_end(struct ctl_json *j);            /* closes the innermost; the outer ends the line */
void cj_obj(struct ctl_json *j, const char *key);
void cj_arr(struct ctl_json *j, const char *key);
void cj_u64(struct ctl_json *j, const char *key, uint64_t v);
void cj_hex(struct ctl_json *j, const char *key, uint64_t v); /* as a "0x..." string */
void cj_str(struct ctl_json *j, const char *key, const char *s);
void cj_bool(struct ctl_json *j, const char *key, bool v);

#endif
