/* test_vdpa_neg: vionic-vdpa against a misbehaving front-end.  Runs the real binary
 * (argv[1]) as a server and talks vhost-user to it: refused requests get a failing
 * REPLY_ACK, a malformed message closes the connection and the next one is served, a
 * front-end that vanishes with traffic in flight leaves a device that serves the next.
 * At the end the bridge must exit 0 on SIGTERM (it never crashed). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "vionic_regs.h"
#include "vu_proto.h"

#define MEM_GPA 0x40000000ull
#define MEM_SIZE (1u << 20)
#define RING 64u
/* layout inside the memfd (offsets = gpa - MEM_GPA) */
#define RX_DESC 0x00000u
#define RX_AVAIL 0x01000u
#define RX_USED 0x02000u
#define TX_DESC 0x04000u
#define TX_AVAIL 0x05000u
#define TX_USED 0x06000u
#define BUFS 0x10000u
#define BUF_LEN 2048u

static const char *sock_path;
static uint8_t *mem;
static int memfd;

static int connect_bridge(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
    for (int i = 0; i < 500; i++) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            return -1;
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
        close(fd);
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

static int send_msg(int fd, uint32_t req, uint32_t flags, const void *p, uint32_t len,
                    const int *fds, unsigned nfds)
{
    struct vu_hdr h = {req, VU_VERSION | flags, len};
    struct iovec iov[2] = {{&h, sizeof h}, {(void *)(uintptr_t)p, len}};
    union {
        char buf[CMSG_SPACE(sizeof(int) * VU_MAX_FDS)];
        struct cmsghdr align;
    } u;
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = len ? 2 : 1};
    if (nfds) {
        mh.msg_control = u.buf;
        mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
    }
    return sendmsg(fd, &mh, MSG_NOSIGNAL) == (ssize_t)(sizeof h + len) ? 0 : -1;
}

/* A reply's u64 (features: bit 63 may be set, ack status), or -1 when none came in 5 s /
 * the socket closed. */
static int64_t reply_u64(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    uint8_t buf[12 + 8];
    if (poll(&p, 1, 5000) != 1 || recv(fd, buf, sizeof buf, MSG_WAITALL) != (ssize_t)sizeof buf)
        return -1;
    uint64_t v;
    memcpy(&v, buf + 12, 8);
    return (int64_t)v;
}

static int64_t req_ack(int fd, uint32_t req, const void *p, uint32_t len, const int *fds,
                       unsigned nfds)
{
    if (send_msg(fd, req, VU_FLAG_NEED_REPLY, p, len, fds, nfds))
        return -1;
    return reply_u64(fd);
}

static int64_t get_features(int fd)
{
    if (send_msg(fd, VU_GET_FEATURES, 0, NULL, 0, NULL, 0))
        return -1;
    return reply_u64(fd);
}

/* The bridge closed our connection (EOF within 5 s). */
static int closed_by_peer(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    char c;
    return poll(&p, 1, 5000) == 1 && recv(fd, &c, 1, 0) == 0;
}

static void handshake(int fd)
{
    CHECK_EQ(send_msg(fd, VU_SET_OWNER, 0, NULL, 0, NULL, 0), 0);
    int64_t f = get_features(fd);
    CHECK(f != -1 && (f >> 32 & 1) && (f >> VU_F_PROTOCOL_FEATURES & 1));
    CHECK_EQ(send_msg(fd, VU_GET_PROTOCOL_FEATURES, 0, NULL, 0, NULL, 0), 0);
    int64_t pf = reply_u64(fd);
    CHECK(pf > 0 && (pf >> VU_PF_REPLY_ACK & 1));
    uint64_t want = 1ull << VU_PF_REPLY_ACK;
    CHECK_EQ(send_msg(fd, VU_SET_PROTOCOL_FEATURES, 0, &want, 8, NULL, 0), 0);
    uint64_t feat = (1ull << 32) | (1ull << VU_F_PROTOCOL_FEATURES);
    CHECK_EQ(req_ack(fd, VU_SET_FEATURES, &feat, 8, NULL, 0), 0);
    struct vu_memory tbl = {.nregions = 1};
    tbl.regions[0] = (struct vu_region){MEM_GPA, MEM_SIZE, (uint64_t)(uintptr_t)mem, 0};
    CHECK_EQ(req_ack(fd, VU_SET_MEM_TABLE, &tbl, 8 + sizeof(struct vu_region), &memfd, 1), 0);
}

static void refused_requests(void)
{
    int fd = connect_bridge();
    CHECK(fd >= 0);
    handshake(fd);
    struct vu_vring_state st = {0, 100};
    CHECK(req_ack(fd, VU_SET_VRING_NUM, &st, sizeof st, NULL, 0) > 0); /* not a power of 2 */
    st = (struct vu_vring_state){200, 64};
    CHECK(req_ack(fd, VU_SET_VRING_NUM, &st, sizeof st, NULL, 0) > 0); /* no such ring */
    st = (struct vu_vring_state){0, RING};
    CHECK_EQ(req_ack(fd, VU_SET_VRING_NUM, &st, sizeof st, NULL, 0), 0);
    uint64_t base = (uint64_t)(uintptr_t)mem;
    struct vu_vring_addr a = {0, 0, base + MEM_SIZE + 0x1000, base + RX_USED, base + RX_AVAIL, 0};
    CHECK(req_ack(fd, VU_SET_VRING_ADDR, &a, sizeof a, NULL, 0) > 0); /* outside the table */
    a.desc = base + MEM_SIZE - 8; /* straddles the end */
    CHECK(req_ack(fd, VU_SET_VRING_ADDR, &a, sizeof a, NULL, 0) > 0);
    uint8_t junk[16] = {0};
    CHECK(req_ack(fd, 77, junk, sizeof junk, NULL, 0) > 0); /* unknown request */
    CHECK(get_features(fd) != -1);                         /* still talking */
    /* a truncated message: the header promises 40 bytes, 10 come, then nothing */
    struct vu_hdr h = {VU_SET_VRING_ADDR, VU_VERSION, 40};
    CHECK_EQ(send(fd, &h, sizeof h, MSG_NOSIGNAL), (ssize_t)sizeof h);
    CHECK_EQ(send(fd, junk, 10, MSG_NOSIGNAL), 10);
    shutdown(fd, SHUT_WR);
    CHECK(closed_by_peer(fd));
    close(fd);

    /* a bad version closes the connection; the bridge takes the next one */
    fd = connect_bridge();
    CHECK(fd >= 0);
    h = (struct vu_hdr){VU_GET_FEATURES, 0x3, 0};
    CHECK_EQ(send(fd, &h, sizeof h, MSG_NOSIGNAL), (ssize_t)sizeof h);
    CHECK(closed_by_peer(fd));
    close(fd);
}

static void put_desc(uint32_t desc_off, unsigned i, uint64_t gpa, uint32_t len, uint16_t flags)
{
    uint8_t *d = mem + desc_off + 16 * i;
    memcpy(d, &gpa, 8);
    memcpy(d + 8, &len, 4);
    memcpy(d + 12, &flags, 2);
    memset(d + 14, 0, 2);
}

static void avail_push(uint32_t avail_off, uint16_t *idx, uint16_t head)
{
    memcpy(mem + avail_off + 4 + 2 * (*idx % RING), &head, 2);
    (*idx)++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    memcpy(mem + avail_off + 2, idx, 2);
}

static uint16_t used_idx(uint32_t used_off)
{
    uint16_t v;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    memcpy(&v, mem + used_off + 2, 2);
    return v;
}

static int start_ring(int fd, unsigned q, uint32_t desc, uint32_t avail, uint32_t used, int kick,
                      int call, uint16_t start)
{
    uint64_t base = (uint64_t)(uintptr_t)mem;
    struct vu_vring_state st = {q, RING};
    struct vu_vring_addr a = {q, 0, base + desc, base + used, base + avail, 0};
    uint64_t idx = q;
    struct vu_vring_state en = {q, 1};
    struct vu_vring_state b0 = {q, start};
    if (req_ack(fd, VU_SET_VRING_NUM, &st, sizeof st, NULL, 0) ||
        req_ack(fd, VU_SET_VRING_BASE, &b0, sizeof b0, NULL, 0) ||
        req_ack(fd, VU_SET_VRING_ADDR, &a, sizeof a, NULL, 0) ||
        req_ack(fd, VU_SET_VRING_CALL, &idx, 8, &call, 1) ||
        req_ack(fd, VU_SET_VRING_KICK, &idx, 8, &kick, 1) ||
        req_ack(fd, VU_SET_VRING_ENABLE, &en, sizeof en, NULL, 0))
        return -1;
    return 0;
}

/* Traffic through the loopback, then the front-end vanishes with more in flight. */
static void disconnect_mid_traffic(void)
{
    memset(mem, 0, MEM_SIZE);
    int fd = connect_bridge();
    CHECK(fd >= 0);
    handshake(fd);
    int kick[2], call[2];
    for (int i = 0; i < 2; i++) {
        kick[i] = eventfd(0, EFD_CLOEXEC);
        call[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    }
    uint16_t rx_avail = 0, tx_avail = 0;
    for (unsigned i = 0; i < RING; i++) { /* every RX buffer posted */
        put_desc(RX_DESC, i, MEM_GPA + BUFS + i * BUF_LEN, BUF_LEN, VN_DESC_F_WRITE);
        avail_push(RX_AVAIL, &rx_avail, (uint16_t)i);
    }
    CHECK_EQ(start_ring(fd, 0, RX_DESC, RX_AVAIL, RX_USED, kick[0], call[0], 0), 0);
    CHECK_EQ(start_ring(fd, 1, TX_DESC, TX_AVAIL, TX_USED, kick[1], call[1], 0), 0);
    uint64_t one = 1;
    for (unsigned i = 0; i < 16; i++) { /* 16 frames: 12-byte header + 60-byte frame */
        uint8_t *b = mem + BUFS + (RING + i) * BUF_LEN;
        memset(b, 0, 12);
        memset(b + 12, 0xff, 6); /* broadcast */
        for (unsigned k = 18; k < 72; k++)
            b[k] = (uint8_t)(i + k);
        put_desc(TX_DESC, i, MEM_GPA + BUFS + (RING + i) * BUF_LEN, 72, 0);
        avail_push(TX_AVAIL, &tx_avail, (uint16_t)i);
    }
    CHECK_EQ(write(kick[1], &one, 8), 8);
    /* the loopback brings them back into the RX ring */
    for (int t = 0; t < 500 && used_idx(RX_USED) < 16; t++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK_EQ(used_idx(TX_USED), 16);
    CHECK_EQ(used_idx(RX_USED), 16);
    uint32_t len;
    memcpy(&len, mem + RX_USED + 4 + 4, 4);
    CHECK_EQ(len, 72);
    CHECK(memcmp(mem + BUFS + 12, mem + BUFS + RING * BUF_LEN + 12, 60) == 0);
    /* the rings stop (per-queue reset) and start again where they were: the bases the
     * bridge answers, handed back, make the device go on at index 16 (VND_QUEUE_BASE) */
    for (unsigned q = 0; q < 2; q++) {
        struct vu_vring_state st = {q, 0};
        CHECK_EQ(send_msg(fd, VU_GET_VRING_BASE, 0, &st, sizeof st, NULL, 0), 0);
        int64_t r = reply_u64(fd);
        CHECK_EQ(r & 0xffffffff, q);
        CHECK_EQ(r >> 32, 16);
        close(kick[q]);
        kick[q] = eventfd(0, EFD_CLOEXEC);
    }
    CHECK_EQ(start_ring(fd, 0, RX_DESC, RX_AVAIL, RX_USED, kick[0], call[0], 16), 0);
    CHECK_EQ(start_ring(fd, 1, TX_DESC, TX_AVAIL, TX_USED, kick[1], call[1], 16), 0);
    for (unsigned i = 16; i < 24; i++) {
        uint8_t *b = mem + BUFS + (RING + i) * BUF_LEN;
        memset(b, 0, 12);
        memset(b + 12, 0xff, 6);
        for (unsigned k = 18; k < 72; k++)
            b[k] = (uint8_t)(i * 3 + k);
        put_desc(TX_DESC, i, MEM_GPA + BUFS + (RING + i) * BUF_LEN, 72, 0);
        avail_push(TX_AVAIL, &tx_avail, (uint16_t)i);
    }
    CHECK_EQ(write(kick[1], &one, 8), 8);
    for (int t = 0; t < 500 && used_idx(RX_USED) < 24; t++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    CHECK_EQ(used_idx(TX_USED), 24);
    CHECK_EQ(used_idx(RX_USED), 24);
    uint32_t id;
    memcpy(&id, mem + RX_USED + 4 + 8 * 16, 4);
    CHECK_EQ(id, 16); /* the element after the restart is the next buffer, not buffer 0 */
    CHECK(memcmp(mem + BUFS + 16 * BUF_LEN + 12, mem + BUFS + (RING + 16) * BUF_LEN + 12, 60) == 0);

    /* more frames queued and kicked, and the front-end is gone at once */
    for (unsigned i = 24; i < 40; i++) {
        put_desc(TX_DESC, i, MEM_GPA + BUFS + (RING + i) * BUF_LEN, 72, 0);
        avail_push(TX_AVAIL, &tx_avail, (uint16_t)i);
    }
    CHECK_EQ(write(kick[1], &one, 8), 8);
    close(fd);
    for (int i = 0; i < 2; i++) {
        close(kick[i]);
        close(call[i]);
    }
    /* the next front-end finds a working bridge and device */
    fd = connect_bridge();
    CHECK(fd >= 0);
    handshake(fd);
    CHECK(get_features(fd) != -1);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_vdpa_neg PATH-TO-vionic-vdpa\n");
        return 2;
    }
    char dir[] = "/tmp/vdpa_neg_XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    static char path[128];
    snprintf(path, sizeof path, "%s/s", dir);
    sock_path = path;
    memfd = memfd_create("guest", MFD_CLOEXEC);
    if (memfd < 0 || ftruncate(memfd, MEM_SIZE) ||
        (mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0)) == MAP_FAILED)
        return 2;
    pid_t pid = fork();
    if (pid == 0) {
        execl(argv[1], argv[1], "--socket", path, "--peer", "loopback", (char *)NULL);
        _exit(127);
    }
    refused_requests();
    disconnect_mid_traffic();
    kill(pid, SIGTERM);
    int status = 0;
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    unlink(path);
    rmdir(dir);
    return check_report();
}
