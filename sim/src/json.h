/* A tiny JSON object writer for reports (one flat or nested object, keys in call order). */
#ifndef VN_JSON_H
#define VN_JSON_H

#include <stdint.h>
#include <stdio.h>

struct vn_json {
    FILE *f;
    int depth;
    int first[8];
};

void vn_json_begin(struct vn_json *j, FILE *f);
void vn_json_obj(struct vn_json *j, const char *key); /* nested object; key NULL in arrays */
void vn_json_arr(struct vn_json *j, const char *key);
void vn_json_close(struct vn_json *j, char bracket);  /* '}' or ']' */
void vn_json_str(struct vn_json *j, const char *key, const char *val);
void vn_json_u64(struct vn_json *j, const char *key, uint64_t val);
void vn_json_hex(struct vn_json *j, const char *key, uint64_t val); /* "0x..." string */
void vn_json_dbl(struct vn_json *j, const char *key, double val);
void vn_json_bool(struct vn_json *j, const char *key, int val);
void vn_json_end(struct vn_json *j);

#endif
