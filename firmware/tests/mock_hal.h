/* mock_hal.h: the FW CSR window as the RTL presents it, for host unit tests.
 * Tests push driver writes into the event FIFO and inspect what firmware did: shadows,
 * queue engine contexts, device control, interrupts, and fake host memory behind FDMA. */
#ifndef VN_MOCK_HAL_H
#define VN_MOCK_HAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "vionic_regs.h"

#define MOCK_PAIRS 4u
#define MOCK_QUEUES (2u * MOCK_PAIRS + 1u)
#define MOCK_CTRLQ (2u * MOCK_PAIRS)
#define MOCK_VECTORS (2u * MOCK_PAIRS + 2u)
#define MOCK_QSIZE_LOG2 10u
#define MOCK_MEM_BASE 0x100000000ull /* above 4 GiB so the HI halves matter */
#define MOCK_MEM_SIZE 0x10000u
#define MOCK_LOG_MAX 8192u
#define MOCK_MSI_MAX 64u
#define VN_RXF_VLAN_WORDS 128u /* RXF_VLAN_IDX 0..127 */

struct mock_qs { /* per-queue common cfg shadow */
    uint32_t size, vector, enable, reset;
    uint32_t desc_lo, desc_hi, driver_lo, driver_hi, device_lo, device_hi;
};

struct mock_qc { /* a queue engine context as QC_CMD_START loaded it */
    uint32_t size, vector;
    uint64_t desc, driver, device;
    uint32_t state;
    uint32_t coal;           /* QC_COAL as QC_CMD_START or QC_CMD_COAL loaded it */
    uint32_t base;           /* QC_BASE as QC_CMD_START loaded it */
    unsigned starts, resets; /* QC_CMD_START / QC_CMD_RESET that took effect */
    unsigned coal_loads;     /* QC_CMD_COAL (taken in any state) */
    unsigned state_reads;    /* QC_STATE reads in the current STOPPING or DRAINING */
    bool hold;               /* stays DRAINING while set (a read that never completes) */
};

/* The RSS fields as the RTL holds them: writes go to a staging copy, an RSS_CTRL write
 * makes the staged copy (RSS_CTRL included) the active one. */
#define MOCK_RSS_KEY_WORDS (VN_RSS_KEY_LEN / 4u)
struct mock_rss {
    uint32_t ctrl, unclass, mask;
    uint32_t tbl[VN_RSS_TABLE_LEN];
    uint32_t key[MOCK_RSS_KEY_WORDS];
};

struct mock_event {
    uint32_t info, data, qsel;
};

struct mock_write {
    uint32_t addr, val;
};

struct mock {
    uint32_t regs[VN_FW_SIZE / 4]; /* plain storage: staging and RW registers */
    struct mock_event fifo[VN_EVT_FIFO_DEPTH];
    unsigned fifo_head, fifo_count, pops, bad_pops;
    struct mock_qs qs[MOCK_QUEUES];
    struct mock_qc qc[2 * MOCK_PAIRS];
    unsigned bad_qc;        /* QC_CMD for a queue the engines do not have, or START on a
                               queue not IDLE (the RTL ignores it) */
    /* after QC_CMD_RESET a queue reads STOPPING for qc_stop_reads QC_STATE reads, then
     * DRAINING for qc_drain_reads (and while hold is set), then IDLE with its context
     * cleared; mock_power_on makes both 2 */
    unsigned qc_stop_reads, qc_drain_reads;
    unsigned bad_qs_order;  /* queue_reset 1 -> 0 with queue_enable still 1, or
                               queue_enable set while queue_reset is 1 */
    unsigned bad_writes;    /* writes to read-only registers or outside the window */
    bool draining;          /* DEV_IDLE reads 0 while set */
    bool link_down;         /* LINK_STATUS reads 0 while set */
    unsigned dev_resets, dev_idle_reads, cfg_irqs;
    uint32_t msi[MOCK_MSI_MAX];
    unsigned msi_count;
    unsigned fdma_busy_reads; /* FDMA_STATUS reads busy this many times after a command */
    unsigned fdma_busy_left, fdma_cmds, fdma_faults;
    uint8_t mem[MOCK_MEM_SIZE];
    struct mock_write log[MOCK_LOG_MAX];
    unsigned log_len;
    uint64_t cycles;
    unsigned core_resets; /* CORE_RESET_KEY written to CORE_RESET */
    /* The receive filter's tables, stored by the RXF_MAC_HI and RXF_VLAN_DATA writes at
     * the index last written (mock_power_on leaves garbage in them: the RTL's tables are
     * not reset); RSS staged and active. */
    uint32_t rxf_mac_lo[VN_RXF_MAC_ENTRIES], rxf_mac_hi[VN_RXF_MAC_ENTRIES];
    uint32_t rxf_vlan[VN_RXF_VLAN_WORDS];
    struct mock_rss rss_stage, rss;
    unsigned rss_commits; /* RSS_CTRL writes */
};

/* The NOR flash behind FW_FLASH_*, as vn_flash: erase sets a sector to ones, program ANDs
 * a word in.  Kept across mock_power_on (the array survives power cycles).  A power cut
 * at operation cut_at (erase and program commands counted from 0) leaves the first
 * cut_erase_words words of an erased sector erased and the rest as they were, or a
 * programmed word as it was, then longjmps to *cut_jmp: the firmware stops mid-call. */
#define MOCK_FLASH_WORDS (VN_FLASH_SECTORS * VN_FLASH_SECTOR_BYTES / 4)
struct mock_flash {
    uint32_t w[MOCK_FLASH_WORDS];
    uint32_t addr, data;
    bool error;
    unsigned busy_reads, busy_left; /* STATUS reads busy after each command */
    unsigned ops, erases, programs;
    uint32_t last_program;  /* word index of the last program command */
    unsigned bad_cmds;      /* commands while busy, out of range, unknown */
    long cut_at;            /* -1: no cut */
    unsigned cut_erase_words;
    jmp_buf *cut_jmp;
};
extern struct mock_flash mock_flash;
/* All ones, counters zero, no cut. */
void mock_flash_blank(void);
/* The driver issuing a mailbox command: ARG0/ARG1 set, MBOX_STATUS busy, the
 * EVT_KIND_VENDOR event pushed (the firmware still has to be polled). */
void mock_mbox_cmd(uint32_t cmd, uint32_t arg0, uint32_t arg1);

extern struct mock mock;

/* A freshly powered device (the RTL's reset values: every register 0). */
void mock_power_on(void);
/* The RTL pushing an event: kind EVT_KIND_*, offset in the region, access size. */
void mock_push(uint32_t kind, uint32_t off, uint32_t size, uint32_t data, uint32_t qsel);
uint32_t mock_reg(uint32_t addr);
/* Index in the write log of the last write of val to addr at or after from; -1 if none. */
int mock_find_write(unsigned from, uint32_t addr, uint32_t val);

/* Fake host memory, by bus address. */
uint8_t *mock_mem(uint64_t addr, uint32_t len);
void mock_put16(uint64_t addr, uint16_t v);
/* Split-ring descriptor i of the table at desc in host memory. */
void mock_put_desc(uint64_t desc, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
                   uint16_t next);
/* Packed-ring descriptor i of the ring (or indirect table) at desc in host memory. */
void mock_put_pdesc(uint64_t desc, uint16_t i, uint64_t addr, uint32_t len, uint16_t id,
                    uint16_t flags);
void mock_put32(uint64_t addr, uint32_t v);
void mock_put64(uint64_t addr, uint64_t v);
uint16_t mock_get16(uint64_t addr);
uint32_t mock_get32(uint64_t addr);

#endif
