/* vu_proto: the vhost-user wire protocol as a back-end sees it (QEMU's
 * docs/interop/vhost-user.rst).  Receiving validates everything the front-end controls:
 * header version, payload size for the request, number of passed fds; a message that
 * fails is reported, never acted on. */
#ifndef VU_PROTO_H
#define VU_PROTO_H

#include <stddef.h>
#include <stdint.h>

enum vu_req {
    VU_GET_FEATURES = 1,
    VU_SET_FEATURES = 2,
    VU_SET_OWNER = 3,
    VU_RESET_OWNER = 4,
    VU_SET_MEM_TABLE = 5,
    VU_SET_LOG_BASE = 6,
    VU_SET_LOG_FD = 7,
    VU_SET_VRING_NUM = 8,
    VU_SET_VRING_ADDR = 9,
    VU_SET_VRING_BASE = 10,
    VU_GET_VRING_BASE = 11,
    VU_SET_VRING_KICK = 12,
    VU_SET_VRING_CALL = 13,
    VU_SET_VRING_ERR = 14,
    VU_GET_PROTOCOL_FEATURES = 15,
    VU_SET_PROTOCOL_FEATURES = 16,
    VU_GET_QUEUE_NUM = 17,
    VU_SET_VRING_ENABLE = 18,
    VU_SEND_RARP = 19,
    VU_NET_SET_MTU = 20,
    VU_SET_SLAVE_REQ_FD = 21,
    VU_IOTLB_MSG = 22,
    VU_SET_VRING_ENDIAN = 23,
    VU_GET_CONFIG = 24,
    VU_SET_CONFIG = 25,
    VU_GET_INFLIGHT_FD = 31,
    VU_SET_INFLIGHT_FD = 32,
    VU_RESET_DEVICE = 34,
    VU_GET_MAX_MEM_SLOTS = 36,
    VU_ADD_MEM_REG = 37,
    VU_REM_MEM_REG = 38,
    VU_SET_STATUS = 39,
    VU_GET_STATUS = 40,
    VU_REQ_MAX = 41
};

/* VHOST_USER_PROTOCOL_F_* bit numbers */
enum vu_pfeat {
    VU_PF_MQ = 0,
    VU_PF_LOG_SHMFD = 1,
    VU_PF_RARP = 2,
    VU_PF_REPLY_ACK = 3,
    VU_PF_MTU = 4,
    VU_PF_SLAVE_REQ = 5,
    VU_PF_CROSS_ENDIAN = 6,
    VU_PF_CONFIG = 9,
    VU_PF_SLAVE_SEND_FD = 10,
    VU_PF_HOST_NOTIFIER = 11,
    VU_PF_INFLIGHT_SHMFD = 12,
    VU_PF_RESET_DEVICE = 13,
    VU_PF_INBAND_NOTIFICATIONS = 14,
    VU_PF_CONFIGURE_MEM_SLOTS = 15,
    VU_PF_STATUS = 16
};

#define VU_F_PROTOCOL_FEATURES 30 /* virtio feature bit: the protocol-features handshake */
#define VU_VERSION 0x1u
#define VU_FLAG_VERSION_MASK 0x3u
#define VU_FLAG_REPLY (1u << 2)
#define VU_FLAG_NEED_REPLY (1u << 3)
#define VU_MAX_FDS 8
#define VU_MAX_REGIONS 8
#define VU_VRING_IDX_MASK 0xffu      /* SET_VRING_KICK/CALL/ERR payload: queue index */
#define VU_VRING_NOFD (1ull << 8)    /* ... and "no fd passed" */
#define VU_VRING_F_LOG 0u            /* vring_addr.flags bit */

struct vu_hdr {
    uint32_t request;
    uint32_t flags;
    uint32_t size; /* payload bytes after the header */
};

struct vu_vring_state {
    uint32_t index;
    uint32_t num;
};

struct vu_vring_addr {
    uint32_t index;
    uint32_t flags;
    uint64_t desc;  /* front-end virtual addresses (user addresses) */
    uint64_t used;
    uint64_t avail;
    uint64_t log;
};

struct vu_region {
    uint64_t guest_phys_addr;
    uint64_t memory_size;
    uint64_t userspace_addr;
    uint64_t mmap_offset;
};

struct vu_memory {
    uint32_t nregions;
    uint32_t padding;
    struct vu_region regions[VU_MAX_REGIONS];
};

struct vu_mem_single { /* ADD_MEM_REG / REM_MEM_REG */
    uint64_t padding;
    struct vu_region region;
};

struct vu_log {
    uint64_t mmap_size;
    uint64_t mmap_offset;
};

#define VU_MAX_PAYLOAD 4096u /* GET/SET_CONFIG carry up to 256 B of config; nothing needs more */

/* GET_CONFIG / SET_CONFIG (added by vu_proto): vu_recv guarantees 12 + size <= hdr.size. */
struct vu_config {
    uint32_t offset;
    uint32_t size;
    uint32_t flags;
    uint8_t region[VU_MAX_PAYLOAD - 12];
};

/* One received message.  fds[] are owned by the message until taken (set to -1). */
struct vu_msg {
    struct vu_hdr hdr;
    union {
        uint64_t u64;
        struct vu_vring_state state;
        struct vu_vring_addr addr;
        struct vu_memory mem;
        struct vu_mem_single mem1;
        struct vu_log log;
        struct vu_config cfg; /* added by vu_proto; same size as raw */
        uint8_t raw[VU_MAX_PAYLOAD];
    } p;
    int fds[VU_MAX_FDS];
    unsigned nfds;
};

/* Name for logs: "SET_VRING_ADDR", or "UNKNOWN(77)" in buf. */
const char *vu_req_name(uint32_t req, char *buf, size_t len);

/* Read one message from a connected SOCK_STREAM unix socket, with any SCM_RIGHTS fds.
 * 0: a valid message.  -ECONNRESET: the peer closed (clean EOF before a header).
 * -EPROTO: truncated header or payload, bad version, payload size wrong for the request
 * (each known request has an exact or minimum size), too many fds, fd count wrong for the
 * request (e.g. SET_MEM_TABLE needs one per region, SET_VRING_KICK one unless
 * VU_VRING_NOFD); *why (if not NULL) gets a static explanation.  -ENOSYS: a well-formed
 * header with an unknown request number (the payload has been consumed, so the
 * connection stays in sync).  Other negative errno: socket errors.  On any error every
 * received fd is closed. */
int vu_recv(int sock, struct vu_msg *m, const char **why);
/* Close fds still owned by m. */
void vu_msg_close_fds(struct vu_msg *m);

/* Send a reply to request `req` (flags: version | REPLY) with len payload bytes. */
int vu_send_reply(int sock, uint32_t req, const void *payload, uint32_t len);
int vu_reply_u64(int sock, uint32_t req, uint64_t v);
/* REPLY_ACK: the u64 status (0 success, nonzero failure) for a NEED_REPLY request. */
int vu_reply_ack(int sock, uint32_t req, int failed);

/* Socket setup: listen on path (unlinks a stale socket first), accept one connection,
 * or connect as a client (retrying for up to timeout_ms for a server that is starting). */
int vu_listen(const char *path);
int vu_accept(int listen_fd);
int vu_connect(const char *path, unsigned timeout_ms);

#endif
