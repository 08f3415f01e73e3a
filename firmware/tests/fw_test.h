/* fw_test.h: a tiny test harness and a model of the driver's side of BAR0 (what the RTL
 * completer does with a driver access) over the mock FW window. */
#ifndef VN_FW_TEST_H
#define VN_FW_TEST_H

#include <stdint.h>

#include "mock_hal.h"

void t_fail(const char *file, int line, const char *expr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond))                                                                       \
            t_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                                \
    } while (0)
#define CHECK_EQ(got, want, what)                                                          \
    do {                                                                                   \
        unsigned long long g_ = (got), w_ = (want);                                        \
        if (g_ != w_)                                                                      \
            t_fail(__FILE__, __LINE__, #got " == " #want, "%s: got 0x%llx, want 0x%llx",   \
                   what, g_, w_);                                                          \
    } while (0)

/* Runs fn on a freshly powered mock with fw_init() done; counts it passed or failed. */
void t_run(const char *name, void (*fn)(void));
/* Prints "N passed, M failed"; the exit status for main. */
int t_summary(void);

#define BIT(n) ((uint64_t)1 << (n))
/* Everything the device offers, as a driver that wants it all would accept it. */
#define FEATURES_ALL                                                                       \
    (BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM) | BIT(VN_F_MAC) | BIT(VN_F_STATUS) |  \
     BIT(VN_F_MTU) | BIT(VN_F_CTRL_VQ) | BIT(VN_F_MQ) | BIT(VN_F_RING_RESET) | BIT(VN_F_IN_ORDER) |  \
     BIT(VN_F_MRG_RXBUF) | BIT(VN_F_NOTF_COAL) | BIT(VN_F_VQ_NOTF_COAL) |                   \
     BIT(VN_F_INDIRECT_DESC) | BIT(VN_F_SPEED_DUPLEX) | BIT(VN_F_NOTIFICATION_DATA))

/* Driver accesses to BAR0 common cfg, offsets VN_COMMON_*.  A write goes where the RTL
 * sends it (held select, dropped, or an event) and the firmware is polled until it
 * settles; a read first lets firmware drain the FIFO, as the RTL stalls it. */
void drv_write(uint32_t off, uint32_t size, uint32_t val);
uint32_t drv_read(uint32_t off, uint32_t size);
/* The same read without polling firmware first: what a driver polling a field sees
 * between two firmware steps.  Only valid with the FIFO empty (the RTL stalls it). */
uint32_t drv_read_now(uint32_t off, uint32_t size);
uint32_t drv_devcfg_read(uint32_t off, uint32_t size);
void drv_kick(uint32_t q);
/* A data queue engine reporting a driver error. */
void hw_qerr(uint32_t q, uint32_t reason);
/* fw_poll until it reports nothing more to do; fails the test after many calls. */
void fw_settle(void);

uint64_t drv_read_device_features(void);
uint64_t drv_read_driver_features(void);
void drv_write_features(uint64_t f);
void drv_status_add(uint8_t bits);
/* ACKNOWLEDGE, DRIVER, features, FEATURES_OK; returns the status read back. */
uint8_t drv_negotiate(uint64_t f);
void drv_queue_setup(uint32_t q, uint16_t size, uint16_t vector, uint64_t desc,
                     uint64_t driver, uint64_t device);
void drv_queue_enable(uint32_t q);

#endif
