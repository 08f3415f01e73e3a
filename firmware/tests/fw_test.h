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
/* Everything the device offers but EVENT_IDX (which adds avail_event writes to every
 * control command: test_ctrlq covers it) and RING_PACKED (which changes every ring's
 * layout: test_ctrlq_packed and test_queues cover it), as a driver that wants it all
 * would accept it. */
#define FEATURES_ALL                                                                       \
    (BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM) | BIT(VN_F_MAC) | BIT(VN_F_STATUS) |  \
     BIT(VN_F_MTU) | BIT(VN_F_CTRL_VQ) | BIT(VN_F_MQ) | BIT(VN_F_RING_RESET) | BIT(VN_F_IN_ORDER) |  \
     BIT(VN_F_MRG_RXBUF) | BIT(VN_F_NOTF_COAL) | BIT(VN_F_VQ_NOTF_COAL) |                   \
     BIT(VN_F_INDIRECT_DESC) | BIT(VN_F_SPEED_DUPLEX) | BIT(VN_F_NOTIFICATION_DATA) |      \
     BIT(VN_F_CSUM) | BIT(VN_F_GUEST_CSUM) | BIT(VN_F_CTRL_GUEST_OFFLOADS) |                \
     BIT(VN_F_CTRL_RX) | BIT(VN_F_CTRL_RX_EXTRA) | BIT(VN_F_CTRL_VLAN) |                    \
     BIT(VN_F_CTRL_MAC_ADDR) | BIT(VN_F_GUEST_ANNOUNCE) | BIT(VN_F_RSS) |                   \
     BIT(VN_F_HASH_REPORT))
/* What the device offers. */
#define FEATURES_OFFERED (FEATURES_ALL | BIT(VN_F_EVENT_IDX) | BIT(VN_F_RING_PACKED))
/* DEV_CTRL of a live device that negotiated FEATURES_ALL. */
#define DEV_CTRL_ALL                                                                       \
    (VN_DEV_CTRL_DATAPATH_EN | VN_DEV_CTRL_RX_MRG | VN_DEV_CTRL_INDIRECT |                 \
     VN_DEV_CTRL_TX_CSUM | VN_DEV_CTRL_RX_CSUM | VN_DEV_CTRL_HDR_HASH)
/* The least a driver must accept. */
#define FEATURES_MIN (BIT(VN_F_VERSION_1) | BIT(VN_F_ACCESS_PLATFORM))

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

/* ---- the driver's control queue (MOCK_CTRLQ), a ring in fake host memory ------------
 * DRV_CQ_* areas: descriptors, avail, used, the command bytes, the ack byte. */
#define DRV_CQ_SIZE 64u
#define DRV_CQ_DESC (MOCK_MEM_BASE + 0x1000)
#define DRV_CQ_AVAIL (MOCK_MEM_BASE + 0x2000)
#define DRV_CQ_USED (MOCK_MEM_BASE + 0x3000)
#define DRV_CQ_CMD (MOCK_MEM_BASE + 0x4000) /* class, command, data: up to DRV_CQ_CMD_MAX */
#define DRV_CQ_CMD_MAX 0x1000u
#define DRV_CQ_ACK (MOCK_MEM_BASE + 0x5000)
#define DRV_CQ_UNUSED 0xeeu /* the ack byte before the device writes it */
#define LIVE_STATUS                                                                        \
    (VN_STATUS_ACKNOWLEDGE | VN_STATUS_DRIVER | VN_STATUS_FEATURES_OK | VN_STATUS_DRIVER_OK)
/* Features negotiated, the control queue set up and enabled (no data queue), DRIVER_OK;
 * checked to be live. */
void drv_live(uint64_t features);
/* A control command: class, command and len bytes of data, then a 1-byte writable ack.
 * The readable part is one descriptor, or with piece > 0 the header in one and the data
 * in descriptors of piece bytes.  Posted, kicked, served; the used element is checked
 * (len 1).  Returns the ack (DRV_CQ_UNUSED if the device did not use the buffer). */
uint8_t drv_ctrl(uint8_t cls, uint8_t cmd, const void *data, uint32_t len);
uint8_t drv_ctrl_split(uint8_t cls, uint8_t cmd, const void *data, uint32_t len,
                       uint32_t piece);

#endif
