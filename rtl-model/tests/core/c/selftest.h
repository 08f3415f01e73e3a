#ifndef VN_CORE_SELFTEST_H
#define VN_CORE_SELFTEST_H
#include <stdint.h>
uint32_t selftest(void);
#endif
