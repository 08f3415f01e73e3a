/* fw_ctrlq.h: what the control queue's files share.  fw_ctrlq.c gathers a command from
 * its descriptors and answers it, whatever the ring layout; fw_ctrlq_split.c and
 * fw_ctrlq_packed.c each walk their layout's chains and mark them used. */
#ifndef VN_FW_CTRLQ_H
#define VN_FW_CTRLQ_H

#include "fw_internal.h"

/* A device-writable descriptor that holds part of a reply. */
struct fw_cq_seg {
    uint64_t addr;
    uint32_t len;
};

/* One command, as its chain's descriptors are visited in order. */
struct fw_cq_cmd {
    /* The first non-empty writable descriptors: each holds a byte at least, so these
     * cover any reply. */
    struct fw_cq_seg seg[FW_CTRL_REPLY_MAX];
    uint32_t nseg;
    uint32_t kept; /* readable bytes kept so far */
    uint64_t readable, writable, ack_addr;
    bool in_writable;
};

void fw_cq_cmd_start(struct fw_cq_cmd *c);
/* The chain's next descriptor (a direct one: the walks follow indirect tables).  0, or
 * -FW_EPROTO for a readable descriptor after a writable one, or an FDMA error. */
int fw_cq_cmd_add(struct fw_cq_cmd *c, uint64_t addr, uint32_t len, bool write);
/* The chain has ended: the command executed, its reply and ack written; *used_len gets
 * the bytes written.  0, or -FW_EPROTO without a writable byte for the ack, or an FDMA
 * error. */
int fw_cq_cmd_finish(const struct fw_cq_cmd *c, uint32_t *used_len);
/* The entries of the indirect table a descriptor with these flags and len points to; 0
 * when the driver may not use it so (either layout). */
uint32_t fw_cq_indirect_entries(uint16_t flags, uint32_t len);

/* Each layout: serve what the driver made available.  0, or the error that breaks the
 * queue (the caller marks it and asks for a reset). */
int fw_cq_split_service(void);
int fw_cq_packed_service(void);
/* The packed layout's start: wrap counters, and the device's event suppression area. */
int fw_cq_packed_enable(void);

#endif
