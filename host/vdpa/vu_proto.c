/* vu_proto: receive, validate and answer vhost-user messages on a unix stream socket. */
#define _GNU_SOURCE /* recvmsg/SCM_RIGHTS, MSG_CMSG_CLOEXEC, accept4 */

#include "vu_proto.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define HDR_SIZE 12u
#define VRING_ADDR_SIZE 40u
#define MEM_SINGLE_SIZE 40u
#define MEM_TABLE_HDR 8u
#define REGION_SIZE 32u
#define LOG_SIZE 16u
#define INFLIGHT_SIZE 24u /* mmap_size, mmap_offset, num_queues u16, queue_size u16, pad */
#define IOTLB_SIZE 32u    /* iova, size, uaddr, perm u8, type u8, pad */
#define CONFIG_HDR 12u    /* offset, size, flags */

_Static_assert(sizeof(struct vu_hdr) == HDR_SIZE, "vhost-user header is 12 bytes");
_Static_assert(sizeof(struct vu_vring_addr) == VRING_ADDR_SIZE, "vring_addr is 40 bytes");
_Static_assert(sizeof(struct vu_region) == REGION_SIZE, "region is 32 bytes");
_Static_assert(sizeof(struct vu_mem_single) == MEM_SINGLE_SIZE, "single region is 40 bytes");
_Static_assert(sizeof(struct vu_log) == LOG_SIZE, "log is 16 bytes");
_Static_assert(sizeof(struct vu_config) == VU_MAX_PAYLOAD, "config fills the payload");

static const char *const req_names[VU_REQ_MAX] = {
    [VU_GET_FEATURES] = "GET_FEATURES",
    [VU_SET_FEATURES] = "SET_FEATURES",
    [VU_SET_OWNER] = "SET_OWNER",
    [VU_RESET_OWNER] = "RESET_OWNER",
    [VU_SET_MEM_TABLE] = "SET_MEM_TABLE",
    [VU_SET_LOG_BASE] = "SET_LOG_BASE",
    [VU_SET_LOG_FD] = "SET_LOG_FD",
    [VU_SET_VRING_NUM] = "SET_VRING_NUM",
    [VU_SET_VRING_ADDR] = "SET_VRING_ADDR",
    [VU_SET_VRING_BASE] = "SET_VRING_BASE",
    [VU_GET_VRING_BASE] = "GET_VRING_BASE",
    [VU_SET_VRING_KICK] = "SET_VRING_KICK",
    [VU_SET_VRING_CALL] = "SET_VRING_CALL",
    [VU_SET_VRING_ERR] = "SET_VRING_ERR",
    [VU_GET_PROTOCOL_FEATURES] = "GET_PROTOCOL_FEATURES",
    [VU_SET_PROTOCOL_FEATURES] = "SET_PROTOCOL_FEATURES",
    [VU_GET_QUEUE_NUM] = "GET_QUEUE_NUM",
    [VU_SET_VRING_ENABLE] = "SET_VRING_ENABLE",
    [VU_SEND_RARP] = "SEND_RARP",
    [VU_NET_SET_MTU] = "NET_SET_MTU",
    [VU_SET_SLAVE_REQ_FD] = "SET_SLAVE_REQ_FD",
    [VU_IOTLB_MSG] = "IOTLB_MSG",
    [VU_SET_VRING_ENDIAN] = "SET_VRING_ENDIAN",
    [VU_GET_CONFIG] = "GET_CONFIG",
    [VU_SET_CONFIG] = "SET_CONFIG",
    [VU_GET_INFLIGHT_FD] = "GET_INFLIGHT_FD",
    [VU_SET_INFLIGHT_FD] = "SET_INFLIGHT_FD",
    [VU_RESET_DEVICE] = "RESET_DEVICE",
    [VU_GET_MAX_MEM_SLOTS] = "GET_MAX_MEM_SLOTS",
    [VU_ADD_MEM_REG] = "ADD_MEM_REG",
    [VU_REM_MEM_REG] = "REM_MEM_REG",
    [VU_SET_STATUS] = "SET_STATUS",
    [VU_GET_STATUS] = "GET_STATUS",
};

const char *vu_req_name(uint32_t req, char *buf, size_t len)
{
    if (req < VU_REQ_MAX && req_names[req])
        return req_names[req];
    if (buf && len) {
        snprintf(buf, len, "UNKNOWN(%u)", (unsigned)req);
        return buf;
    }
    return "UNKNOWN";
}

void vu_msg_close_fds(struct vu_msg *m)
{
    for (unsigned i = 0; i < m->nfds && i < VU_MAX_FDS; i++) {
        if (m->fds[i] >= 0)
            close(m->fds[i]);
        m->fds[i] = -1;
    }
    m->nfds = 0;
}

/* Collect the SCM_RIGHTS fds of one recvmsg; any beyond VU_MAX_FDS are closed and
 * flagged.  Returns false when the message carried more fds than fit. */
static bool take_fds(struct msghdr *mh, struct vu_msg *m)
{
    bool ok = !(mh->msg_flags & MSG_CTRUNC);

    for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        const unsigned char *data = CMSG_DATA(c);
        for (size_t i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, data + i * sizeof(int), sizeof fd); /* CMSG_DATA may be unaligned */
            if (m->nfds < VU_MAX_FDS) {
                m->fds[m->nfds++] = fd;
            } else {
                close(fd);
                ok = false;
            }
        }
    }
    return ok;
}

/* Read exactly len bytes, gathering fds that ride along.  Returns len, the short count
 * on EOF, or -errno.  *fd_overflow is set when fds had to be dropped. */
static ssize_t read_full(int sock, void *buf, size_t len, struct vu_msg *m, bool *fd_overflow)
{
    size_t got = 0;
    /* union keeps the control buffer aligned for struct cmsghdr */
    union {
        char buf[CMSG_SPACE(VU_MAX_FDS * sizeof(int))];
        struct cmsghdr align;
    } ctl;

    while (got < len) {
        struct iovec iov = {.iov_base = (char *)buf + got, .iov_len = len - got};
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1,
                            .msg_control = ctl.buf, .msg_controllen = sizeof ctl.buf};
        ssize_t r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (!take_fds(&mh, m))
            *fd_overflow = true;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* Size rule for each known request; returns NULL if the payload size and fd count are
 * acceptable, else the explanation. */
static const char *check_msg(struct vu_msg *m)
{
    uint32_t sz = m->hdr.size;
    unsigned nfds = m->nfds;

    switch (m->hdr.request) {
    case VU_GET_FEATURES:
    case VU_GET_PROTOCOL_FEATURES:
    case VU_GET_QUEUE_NUM:
    case VU_GET_MAX_MEM_SLOTS:
    case VU_GET_STATUS:
    case VU_SET_OWNER:
    case VU_RESET_OWNER:
    case VU_RESET_DEVICE:
        /* no payload defined; some front-ends send a zero u64 anyway */
        if (sz != 0 && sz != 8)
            return "request without payload carries a payload other than 0 or 8 bytes";
        if (nfds)
            return "request takes no fd";
        return NULL;
    case VU_SET_FEATURES:
    case VU_SET_PROTOCOL_FEATURES:
    case VU_SET_STATUS:
    case VU_SEND_RARP:
    case VU_NET_SET_MTU:
        if (sz != 8)
            return "u64 payload must be 8 bytes";
        return nfds ? "request takes no fd" : NULL;
    case VU_SET_VRING_NUM:
    case VU_SET_VRING_BASE:
    case VU_GET_VRING_BASE: /* the index is needed: always a vring_state */
    case VU_SET_VRING_ENABLE:
    case VU_SET_VRING_ENDIAN:
        if (sz != sizeof(struct vu_vring_state))
            return "vring_state payload must be 8 bytes";
        return nfds ? "request takes no fd" : NULL;
    case VU_SET_VRING_ADDR:
        if (sz != VRING_ADDR_SIZE)
            return "vring_addr payload must be 40 bytes";
        return nfds ? "request takes no fd" : NULL;
    case VU_SET_VRING_KICK:
    case VU_SET_VRING_CALL:
    case VU_SET_VRING_ERR:
        if (sz != 8)
            return "vring fd payload must be 8 bytes";
        if (m->p.u64 & VU_VRING_NOFD)
            return nfds ? "fd passed although the no-fd flag is set" : NULL;
        return nfds == 1 ? NULL : "vring fd request needs exactly one fd";
    case VU_SET_MEM_TABLE: {
        if (sz < MEM_TABLE_HDR)
            return "memory table shorter than its header";
        uint32_t n = m->p.mem.nregions;
        if (n < 1 || n > VU_MAX_REGIONS)
            return "memory table needs 1..8 regions";
        if (sz != MEM_TABLE_HDR + REGION_SIZE * n)
            return "memory table size does not match nregions";
        return nfds == n ? NULL : "memory table needs one fd per region";
    }
    case VU_ADD_MEM_REG:
        if (sz != MEM_SINGLE_SIZE)
            return "memory region payload must be 40 bytes";
        return nfds == 1 ? NULL : "ADD_MEM_REG needs exactly one fd";
    case VU_REM_MEM_REG:
        if (sz != MEM_SINGLE_SIZE)
            return "memory region payload must be 40 bytes";
        if (nfds > 1)
            return "REM_MEM_REG takes no fd";
        /* QEMU before 7.1 sent the region's fd; the spec says to ignore it */
        vu_msg_close_fds(m);
        return NULL;
    case VU_SET_LOG_BASE:
        /* QEMU passes the log's fd only with LOG_SHMFD negotiated */
        if (sz != LOG_SIZE)
            return "log payload must be 16 bytes";
        return nfds <= 1 ? NULL : "SET_LOG_BASE takes at most one fd";
    case VU_SET_LOG_FD:
    case VU_SET_SLAVE_REQ_FD:
        if (sz != 0 && sz != 8)
            return "fd-only request carries a payload other than 0 or 8 bytes";
        return nfds == 1 ? NULL : "request needs exactly one fd";
    case VU_GET_INFLIGHT_FD:
        if (sz != INFLIGHT_SIZE)
            return "inflight payload must be 24 bytes";
        return nfds ? "request takes no fd" : NULL;
    case VU_SET_INFLIGHT_FD:
        if (sz != INFLIGHT_SIZE)
            return "inflight payload must be 24 bytes";
        return nfds == 1 ? NULL : "SET_INFLIGHT_FD needs exactly one fd";
    case VU_IOTLB_MSG:
        if (sz != IOTLB_SIZE)
            return "IOTLB payload must be 32 bytes";
        return nfds ? "request takes no fd" : NULL;
    case VU_GET_CONFIG:
    case VU_SET_CONFIG:
        if (sz < CONFIG_HDR)
            return "config payload shorter than its 12-byte header";
        if (m->p.cfg.size > sz - CONFIG_HDR)
            return "config size field larger than the payload";
        return nfds ? "request takes no fd" : NULL;
    default:
        return "unknown request";
    }
}

static int fail(struct vu_msg *m, const char **why, const char *reason, int err)
{
    vu_msg_close_fds(m);
    if (why)
        *why = reason;
    return err;
}

int vu_recv(int sock, struct vu_msg *m, const char **why)
{
    bool overflow = false;
    ssize_t r;

    m->nfds = 0;
    for (unsigned i = 0; i < VU_MAX_FDS; i++)
        m->fds[i] = -1;
    if (why)
        *why = NULL;

    r = read_full(sock, &m->hdr, HDR_SIZE, m, &overflow);
    if (r < 0)
        return fail(m, why, "socket error reading the header", (int)r);
    if (r == 0)
        return fail(m, why, "peer closed the connection", -ECONNRESET);
    if ((size_t)r < HDR_SIZE)
        return fail(m, why, "truncated header", -EPROTO);
    if ((m->hdr.flags & VU_FLAG_VERSION_MASK) != VU_VERSION)
        return fail(m, why, "unsupported protocol version", -EPROTO);
    if (m->hdr.size > VU_MAX_PAYLOAD)
        return fail(m, why, "payload larger than any request needs", -EPROTO);

    /* Zeroed so a short-but-accepted payload never exposes the previous message. */
    memset(&m->p, 0, sizeof m->p);
    r = read_full(sock, m->p.raw, m->hdr.size, m, &overflow);
    if (r < 0)
        return fail(m, why, "socket error reading the payload", (int)r);
    if ((size_t)r < m->hdr.size)
        return fail(m, why, "truncated payload", -EPROTO);
    if (overflow)
        return fail(m, why, "more fds than any request carries", -EPROTO);

    if (m->hdr.request >= VU_REQ_MAX || !req_names[m->hdr.request])
        return fail(m, why, "unknown request", -ENOSYS);
    const char *bad = check_msg(m);
    if (bad)
        return fail(m, why, bad, -EPROTO);
    return 0;
}

int vu_send_reply(int sock, uint32_t req, const void *payload, uint32_t len)
{
    struct vu_hdr h = {.request = req, .flags = VU_VERSION | VU_FLAG_REPLY, .size = len};
    struct iovec iov[2] = {
        {.iov_base = &h, .iov_len = sizeof h},
        {.iov_base = (void *)(uintptr_t)payload, .iov_len = len},
    };
    size_t left = sizeof h + len;
    unsigned first = 0;

    if (len > VU_MAX_PAYLOAD || (len && !payload))
        return -EINVAL;
    while (left) {
        struct msghdr mh = {.msg_iov = iov + first, .msg_iovlen = (len ? 2u : 1u) - first};
        ssize_t w = sendmsg(sock, &mh, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        left -= (size_t)w;
        /* advance over what was written (partial writes are rare on unix sockets) */
        size_t adv = (size_t)w;
        while (adv && first < 2) {
            if (adv >= iov[first].iov_len) {
                adv -= iov[first].iov_len;
                iov[first].iov_len = 0;
                first++;
            } else {
                iov[first].iov_base = (char *)iov[first].iov_base + adv;
                iov[first].iov_len -= adv;
                adv = 0;
            }
        }
    }
    return 0;
}

int vu_reply_u64(int sock, uint32_t req, uint64_t v)
{
    return vu_send_reply(sock, req, &v, sizeof v);
}

int vu_reply_ack(int sock, uint32_t req, int failed)
{
    return vu_reply_u64(sock, req, failed ? 1u : 0u);
}

static int make_addr(const char *path, struct sockaddr_un *sa)
{
    size_t n = path ? strlen(path) : 0;

    if (n == 0)
        return -EINVAL;
    if (n >= sizeof sa->sun_path)
        return -ENAMETOOLONG;
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    memcpy(sa->sun_path, path, n + 1);
    return 0;
}

int vu_listen(const char *path)
{
    struct sockaddr_un sa;
    struct stat st;
    int rc = make_addr(path, &sa);
    int fd;

    if (rc)
        return rc;
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return -EEXIST; /* never delete something that is not a socket */
        /* A socket somebody still serves is not stale: refuse rather than steal it. */
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (probe < 0)
            return -errno;
        rc = connect(probe, (struct sockaddr *)&sa, sizeof sa);
        close(probe);
        if (rc == 0)
            return -EADDRINUSE;
        if (unlink(path) < 0 && errno != ENOENT)
            return -errno;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 1) < 0) {
        rc = -errno;
        close(fd);
        return rc;
    }
    return fd;
}

int vu_accept(int listen_fd)
{
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0)
            return fd;
        if (errno != EINTR)
            return -errno;
    }
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int vu_connect(const char *path, unsigned timeout_ms)
{
    struct sockaddr_un sa;
    int rc = make_addr(path, &sa);
    uint64_t deadline = now_ms() + timeout_ms;

    if (rc)
        return rc;
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -errno;
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
        rc = -errno;
        close(fd);
        if (rc == -EINTR)
            continue;
        /* the server may not have bound or listened yet */
        if ((rc != -ENOENT && rc != -ECONNREFUSED) || now_ms() >= deadline)
            return rc;
        struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}
