/* mock_hal.c: hal.h for unit tests, modelling the FW CSR window the way the RTL does. */
#include "mock_hal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal.h"

struct mock mock;
struct mock_flash mock_flash;

void mock_flash_blank(void)
{
    memset(&mock_flash, 0, sizeof mock_flash);
    memset(mock_flash.w, 0xff, sizeof mock_flash.w);
    mock_flash.cut_at = -1;
}

void mock_mbox_cmd(uint32_t cmd, uint32_t arg0, uint32_t arg1)
{
    mock.regs[VN_FW_MBOX_CMD / 4] = cmd;
    mock.regs[VN_FW_MBOX_ARG0 / 4] = arg0;
    mock.regs[VN_FW_MBOX_ARG1 / 4] = arg1;
    mock.regs[VN_FW_MBOX_STATUS / 4] = VN_MBOX_STATUS_BUSY;
    mock_push(VN_EVT_KIND_VENDOR, VN_VENDOR_VND_MBOX_CMD, 4, cmd, 0);
}

static void flash_cmd(uint32_t cmd)
{
    struct mock_flash *f = &mock_flash;
    uint32_t wi = f->addr / 4;
    if (f->busy_left || wi >= MOCK_FLASH_WORDS ||
        (cmd != VN_FLASH_CMD_ERASE && cmd != VN_FLASH_CMD_PROGRAM)) {
        f->error = true;
        f->bad_cmds++;
        return;
    }
    f->error = false;
    f->busy_left = f->busy_reads;
    bool cut = f->cut_jmp && f->cut_at >= 0 && f->ops == (unsigned long)f->cut_at;
    f->ops++;
    if (cmd == VN_FLASH_CMD_ERASE) {
        uint32_t first = wi - wi % (VN_FLASH_SECTOR_BYTES / 4);
        uint32_t n = cut ? f->cut_erase_words : VN_FLASH_SECTOR_BYTES / 4;
        for (uint32_t i = 0; i < n && i < VN_FLASH_SECTOR_BYTES / 4; i++)
            f->w[first + i] = 0xffffffffu;
        f->erases++;
    } else {
        if (!cut)
            f->w[wi] &= f->data;
        f->last_program = wi;
        f->addr += 4;
        f->programs++;
    }
    if (cut) {
        f->cut_at = -1;
        f->busy_left = 0;
        longjmp(*f->cut_jmp, 1);
    }
}

void mock_power_on(void)
{
    memset(&mock, 0, sizeof mock);
    mock.regs[VN_FW_FW_BOOT_STATUS / 4] = VN_BOOT_SLOT_HOST;
    mock_flash.addr = mock_flash.data = 0;
    mock_flash.error = false;
    mock_flash.busy_left = 0;
    mock.qc_stop_reads = 2;
    mock.qc_drain_reads = 2;
    /* What a table without a reset may hold: valid entries, every VLAN, a key. */
    for (unsigned i = 0; i < VN_RXF_MAC_ENTRIES; i++) {
        mock.rxf_mac_lo[i] = 0xa5a5a5a5u;
        mock.rxf_mac_hi[i] = VN_RXF_MAC_VALID | 0xa5a5u;
    }
    memset(mock.rxf_vlan, 0xff, sizeof mock.rxf_vlan);
    memset(mock.rss_stage.key, 0x5a, sizeof mock.rss_stage.key);
    memset(mock.rss_stage.tbl, 0x5a, sizeof mock.rss_stage.tbl);
    mock.rss = mock.rss_stage;
}

/* The receive filter and RSS registers that store through an index or stage: false for
 * an index out of range (the RTL drops the write). */
static bool rxf_rss_write(uint32_t addr, uint32_t val)
{
    uint32_t mi = mock_reg(VN_FW_RXF_MAC_IDX), vi = mock_reg(VN_FW_RXF_VLAN_IDX);
    uint32_t ti = mock_reg(VN_FW_RSS_TBL_IDX);

    switch (addr) {
    case VN_FW_RXF_MAC_HI:
        if (mi >= VN_RXF_MAC_ENTRIES)
            return false;
        mock.rxf_mac_lo[mi] = mock_reg(VN_FW_RXF_MAC_LO);
        mock.rxf_mac_hi[mi] = val;
        return true;
    case VN_FW_RXF_VLAN_DATA:
        if (vi >= VN_RXF_VLAN_WORDS)
            return false;
        mock.rxf_vlan[vi] = val;
        return true;
    case VN_FW_RSS_TBL_DATA:
        if (ti >= VN_RSS_TABLE_LEN)
            return false;
        mock.rss_stage.tbl[ti] = val;
        return true;
    case VN_FW_RSS_UNCLASS: mock.rss_stage.unclass = val; return true;
    case VN_FW_RSS_MASK: mock.rss_stage.mask = val; return true;
    case VN_FW_RSS_CTRL:
        mock.rss_stage.ctrl = val;
        mock.rss = mock.rss_stage;
        mock.rss_commits++;
        return true;
    default:
        if (addr >= VN_FW_RSS_KEY0 && addr < VN_FW_RSS_KEY0 + 4 * MOCK_RSS_KEY_WORDS)
            mock.rss_stage.key[(addr - VN_FW_RSS_KEY0) / 4] = val;
        return true;
    }
}

static void qc_clear(struct mock_qc *c)
{
    c->size = c->vector = 0;
    c->desc = c->driver = c->device = 0;
    c->coal = 0;
    c->base = 0;
    c->state = VN_QSTATE_IDLE;
    c->state_reads = 0;
}

/* The reset walk of vq_qstate, one step per QC_STATE read so that firmware has to come
 * back for it; the read returns the state before the step. */
static uint32_t qc_state_read(struct mock_qc *c)
{
    uint32_t st = c->state;
    /* [31:16]: reads in flight, never 0 while draining, so firmware must mask */
    uint32_t inflight = st == VN_QSTATE_DRAINING ? 3u << 16 : 0;

    if (st == VN_QSTATE_STOPPING && ++c->state_reads >= mock.qc_stop_reads) {
        c->state = VN_QSTATE_DRAINING;
        c->state_reads = 0;
    } else if (st == VN_QSTATE_DRAINING && !c->hold &&
               ++c->state_reads >= mock.qc_drain_reads) {
        qc_clear(c);
    }
    return st | inflight;
}

void mock_push(uint32_t kind, uint32_t off, uint32_t size, uint32_t data, uint32_t qsel)
{
    uint32_t log2 = size == 4 ? 2 : size == 2 ? 1 : 0;
    if (mock.fifo_count == VN_EVT_FIFO_DEPTH) {
        fprintf(stderr, "mock: event FIFO overflow (the RTL would stall the driver)\n");
        abort();
    }
    struct mock_event *e = &mock.fifo[(mock.fifo_head + mock.fifo_count) % VN_EVT_FIFO_DEPTH];
    e->info = VN_EVT_INFO_VALID | (kind << VN_EVT_INFO_KIND_SHIFT) |
              (log2 << VN_EVT_INFO_SIZE_SHIFT) | (off & VN_EVT_INFO_OFF_MASK);
    e->data = data;
    e->qsel = qsel;
    mock.fifo_count++;
}

uint32_t mock_reg(uint32_t addr)
{
    return mock.regs[addr / 4];
}

int mock_find_write(unsigned from, uint32_t addr, uint32_t val)
{
    int found = -1;
    for (unsigned i = from; i < mock.log_len && i < MOCK_LOG_MAX; i++)
        if (mock.log[i].addr == addr && mock.log[i].val == val)
            found = (int)i;
    return found;
}

static bool mem_ok(uint64_t addr, uint32_t len)
{
    return addr >= MOCK_MEM_BASE && addr - MOCK_MEM_BASE <= MOCK_MEM_SIZE &&
           len <= MOCK_MEM_SIZE - (addr - MOCK_MEM_BASE);
}

uint8_t *mock_mem(uint64_t addr, uint32_t len)
{
    if (!mem_ok(addr, len)) {
        fprintf(stderr, "mock: test used host address 0x%llx+%u outside fake memory\n",
                (unsigned long long)addr, len);
        abort();
    }
    return &mock.mem[addr - MOCK_MEM_BASE];
}

void mock_put16(uint64_t addr, uint16_t v)
{
    uint8_t *p = mock_mem(addr, 2);
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void mock_put32(uint64_t addr, uint32_t v)
{
    mock_put16(addr, (uint16_t)v);
    mock_put16(addr + 2, (uint16_t)(v >> 16));
}

void mock_put64(uint64_t addr, uint64_t v)
{
    mock_put32(addr, (uint32_t)v);
    mock_put32(addr + 4, (uint32_t)(v >> 32));
}

uint16_t mock_get16(uint64_t addr)
{
    const uint8_t *p = mock_mem(addr, 2);
    return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t mock_get32(uint64_t addr)
{
    return mock_get16(addr) | ((uint32_t)mock_get16(addr + 2) << 16);
}

static struct mock_qs *qs_cur(void)
{
    uint32_t q = mock.regs[VN_FW_QS_SEL / 4];
    return q < MOCK_QUEUES ? &mock.qs[q] : NULL;
}

static uint32_t *qs_field(struct mock_qs *s, uint32_t addr)
{
    switch (addr) {
    case VN_FW_QS_SIZE: return &s->size;
    case VN_FW_QS_MSIX_VECTOR: return &s->vector;
    case VN_FW_QS_ENABLE: return &s->enable;
    case VN_FW_QS_RESET: return &s->reset;
    case VN_FW_QS_DESC_LO: return &s->desc_lo;
    case VN_FW_QS_DESC_HI: return &s->desc_hi;
    case VN_FW_QS_DRIVER_LO: return &s->driver_lo;
    case VN_FW_QS_DRIVER_HI: return &s->driver_hi;
    case VN_FW_QS_DEVICE_LO: return &s->device_lo;
    case VN_FW_QS_DEVICE_HI: return &s->device_hi;
    default: return NULL;
    }
}

static uint64_t reg64(uint32_t lo)
{
    return mock_reg(lo) | ((uint64_t)mock_reg(lo + 4) << 32);
}

static void fdma(uint32_t cmd)
{
    uint64_t addr = reg64(VN_FW_FDMA_ADDR_LO);
    uint32_t len = mock_reg(VN_FW_FDMA_LEN);
    uint8_t *data = (uint8_t *)&mock.regs[VN_FW_FDMA_DATA0 / 4];

    mock.fdma_cmds++;
    mock.fdma_busy_left = mock.fdma_busy_reads;
    if (len < 1 || len > VN_FDMA_MAX || !mem_ok(addr, len)) {
        mock.fdma_faults++;
        if (cmd == VN_FDMA_CMD_READ)
            memset(data, 0, VN_FDMA_MAX);
        return;
    }
    /* FDMA_DATA byte 0 of word 0 is the first byte: the host here is little endian. */
    if (cmd == VN_FDMA_CMD_READ)
        memcpy(data, &mock.mem[addr - MOCK_MEM_BASE], len);
    else if (cmd == VN_FDMA_CMD_WRITE)
        memcpy(&mock.mem[addr - MOCK_MEM_BASE], data, len);
    else
        mock.fdma_faults++;
}

uint32_t hal_read32(uint32_t addr)
{
    mock.cycles++;
    if (addr % 4 || addr >= VN_FW_SIZE)
        return 0;
    const struct mock_event *head = mock.fifo_count ? &mock.fifo[mock.fifo_head] : NULL;
    struct mock_qs *s;

    switch (addr) {
    case VN_FW_FW_ID: return VN_FW_ID_MAGIC;
    case VN_FW_FW_HWCFG:
        return (MOCK_PAIRS << VN_HWCFG_PAIRS_SHIFT) | (MOCK_VECTORS << VN_HWCFG_VECTORS_SHIFT) |
               (MOCK_QSIZE_LOG2 << VN_HWCFG_QSIZE_LOG2_SHIFT);
    case VN_FW_FW_CYCLE_LO: return (uint32_t)mock.cycles;
    case VN_FW_EVT_INFO: return head ? head->info : 0;
    case VN_FW_EVT_DATA: return head ? head->data : 0;
    case VN_FW_EVT_QSEL: return head ? head->qsel : 0;
    case VN_FW_DEV_IDLE:
        mock.dev_idle_reads++;
        return mock.draining ? 0 : VN_DEV_IDLE_IDLE;
    case VN_FW_FDMA_STATUS:
        if (mock.fdma_busy_left) {
            mock.fdma_busy_left--;
            return VN_FDMA_STATUS_BUSY;
        }
        return 0;
    case VN_FW_QC_STATE: {
        uint32_t q = mock_reg(VN_FW_QC_SEL);
        return q < 2 * MOCK_PAIRS ? qc_state_read(&mock.qc[q]) : 0;
    }
    case VN_FW_LINK_STATUS: return mock.link_down ? 0 : 1;
    case VN_FW_FLASH_ADDR: return mock_flash.addr;
    case VN_FW_FLASH_DATA: {
        uint32_t wi = mock_flash.addr / 4;
        mock_flash.addr += 4;
        return wi < MOCK_FLASH_WORDS ? mock_flash.w[wi] : 0;
    }
    case VN_FW_FLASH_STATUS:
        if (mock_flash.busy_left) {
            mock_flash.busy_left--;
            return VN_FLASH_STATUS_BUSY | (mock_flash.error ? VN_FLASH_STATUS_ERROR : 0);
        }
        return mock_flash.error ? VN_FLASH_STATUS_ERROR : 0;
    case VN_FW_FLASH_INFO:
        return VN_FLASH_SECTORS | (VN_FLASH_SECTOR_BYTES / 1024) << 16;
    default:
        break;
    }
    s = qs_cur();
    if (qs_field(&mock.qs[0], addr))
        return s ? *qs_field(s, addr) : 0;
    return mock.regs[addr / 4];
}

void hal_write32(uint32_t addr, uint32_t val)
{
    mock.cycles++;
    if (mock.log_len < MOCK_LOG_MAX)
        mock.log[mock.log_len] = (struct mock_write){addr, val};
    mock.log_len++;
    if (addr % 4 || addr >= VN_FW_SIZE) {
        mock.bad_writes++;
        return;
    }
    switch (addr) {
    case VN_FW_FW_ID:
    case VN_FW_FW_HWCFG:
    case VN_FW_FW_CYCLE_LO:
    case VN_FW_FW_CYCLE_HI:
    case VN_FW_EVT_INFO:
    case VN_FW_EVT_DATA:
    case VN_FW_EVT_QSEL:
    case VN_FW_QC_STATE:
    case VN_FW_QC_INDICES:
    case VN_FW_DEV_IDLE:
    case VN_FW_FDMA_STATUS:
    case VN_FW_MBOX_CMD:
    case VN_FW_MBOX_ARG0:
    case VN_FW_MBOX_ARG1:
    case VN_FW_FLASH_STATUS:
    case VN_FW_FLASH_INFO:
        mock.bad_writes++;
        return;
    case VN_FW_FLASH_ADDR:
        mock_flash.addr = val & ~3u;
        return;
    case VN_FW_FLASH_DATA:
        mock_flash.data = val;
        return;
    case VN_FW_FLASH_CMD:
        flash_cmd(val);
        return;
    case VN_FW_CORE_RESET:
        if (val == VN_CORE_RESET_KEY)
            mock.core_resets++;
        return;
    case VN_FW_EVT_POP:
        if (!mock.fifo_count) {
            mock.bad_pops++;
            return;
        }
        mock.fifo_head = (mock.fifo_head + 1) % VN_EVT_FIFO_DEPTH;
        mock.fifo_count--;
        mock.pops++;
        return;
    case VN_FW_QC_CMD: {
        uint32_t q = mock_reg(VN_FW_QC_SEL);
        if (q >= 2 * MOCK_PAIRS) {
            mock.bad_qc++;
            return;
        }
        struct mock_qc *c = &mock.qc[q];
        if (val == VN_QC_CMD_START) {
            if (c->state != VN_QSTATE_IDLE) {
                mock.bad_qc++;
                return;
            }
            c->size = mock_reg(VN_FW_QC_SIZE);
            c->vector = mock_reg(VN_FW_QC_MSIX_VECTOR);
            c->desc = reg64(VN_FW_QC_DESC_LO);
            c->driver = reg64(VN_FW_QC_DRIVER_LO);
            c->device = reg64(VN_FW_QC_DEVICE_LO);
            c->coal = mock_reg(VN_FW_QC_COAL);
            c->base = mock_reg(VN_FW_QC_BASE);
            c->state = VN_QSTATE_RUNNING;
            c->starts++;
        } else if (val == VN_QC_CMD_RESET) {
            /* as the RTL: only a running or failed queue has anything to stop */
            if (c->state == VN_QSTATE_RUNNING || c->state == VN_QSTATE_ERROR) {
                c->state = VN_QSTATE_STOPPING;
                c->state_reads = 0;
                c->resets++;
            }
        } else if (val == VN_QC_CMD_COAL) {
            c->coal = mock_reg(VN_FW_QC_COAL); /* whatever the state, as the RTL */
            c->coal_loads++;
        } else {
            mock.bad_qc++;
        }
        return;
    }
    case VN_FW_DEV_RESET:
        if (val & 1) {
            mock.dev_resets++;
            for (unsigned q = 0; q < 2 * MOCK_PAIRS; q++)
                qc_clear(&mock.qc[q]);
        }
        return;
    case VN_FW_MSI_SEND:
        if (mock.msi_count < MOCK_MSI_MAX)
            mock.msi[mock.msi_count] = val & 0xffff;
        mock.msi_count++;
        return;
    case VN_FW_CFG_IRQ:
        if (val & 1)
            mock.cfg_irqs++;
        return;
    case VN_FW_FDMA_CMD:
        fdma(val);
        return;
    default:
        break;
    }
    if (qs_field(&mock.qs[0], addr)) {
        struct mock_qs *s = qs_cur();
        if (!s)
            return;
        /* Linux waits for queue_reset 0, then requires queue_enable 0 */
        if (addr == VN_FW_QS_RESET && s->reset && !val && s->enable)
            mock.bad_qs_order++;
        if (addr == VN_FW_QS_ENABLE && val && s->reset)
            mock.bad_qs_order++;
        *qs_field(s, addr) = val;
        return;
    }
    if (!rxf_rss_write(addr, val))
        mock.bad_writes++;
    mock.regs[addr / 4] = val;
}

void mock_put_desc(uint64_t desc, uint16_t i, uint64_t addr, uint32_t len, uint16_t flags,
                   uint16_t next)
{
    uint64_t d = desc + 16u * i;
    mock_put64(d, addr);
    mock_put32(d + 8, len);
    mock_put16(d + 12, flags);
    mock_put16(d + 14, next);
}

void mock_put_pdesc(uint64_t desc, uint16_t i, uint64_t addr, uint32_t len, uint16_t id,
                    uint16_t flags)
{
    uint64_t d = desc + 16u * i;
    mock_put64(d, addr);
    mock_put32(d + 8, len);
    mock_put16(d + VN_PDESC_ID_OFF, id);
    mock_put16(d + VN_PDESC_FLAGS_OFF, flags);
}
