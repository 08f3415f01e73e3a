#include "flow_hash.h"

uint8_t vn_flow_hash(const uint8_t *frame, size_t len)
{
    if (len < 38 || frame[12] != 0x08 || frame[13] != 0x00)
        return 0;
    uint8_t h = 0;
    for (size_t i = 26; i < 38; i++)
        h ^= frame[i];
    return h;
}

unsigned vn_flow_pair(const uint8_t *frame, size_t len, unsigned pairs)
{
    return pairs ? vn_flow_hash(frame, len) % pairs : 0;
}
