/* vu_proto tests: a front-end written here from the protocol's byte layout talks to
 * vu_recv over a socketpair; replies are read back as raw bytes. */
#define _GNU_SOURCE /* socketpair/SCM_RIGHTS, eventfd, memfd_create, mkdtemp */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"
#include "vu_proto.h"

static struct vu_msg msg; /* 4 KiB payload: keep it off the stack */

/* ---- the front-end side ------------------------------------------------------------- */

static int send_raw(int sock, const void *buf, size_t len, const int *fds, unsigned nfds)
{
    union {
        char buf[CMSG_SPACE(16 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {.iov_base = (void *)(uintptr_t)buf, .iov_len = len};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

    if (nfds) {
        memset(&ctl, 0, sizeof ctl);
        mh.msg_control = ctl.buf;
        mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
    }
    return sendmsg(sock, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -1;
}

/* One request: header + payload in a single sendmsg, as QEMU and DPDK do. */
static int send_req(int sock, uint32_t req, uint32_t flags, const void *payload, uint32_t len,
                    const int *fds, unsigned nfds)
{
    static uint8_t buf[12 + 8192];
    struct vu_hdr h = {.request = req, .flags = flags, .size = len};

    memcpy(buf, &h, sizeof h);
    if (len)
        memcpy(buf + sizeof h, payload, len);
    return send_raw(sock, buf, sizeof h + len, fds, nfds);
}

static void pair(int sv[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        perror("socketpair");
        exit(2);
    }
}

static int new_eventfd(void)
{
    int fd = eventfd(0, EFD_CLOEXEC);
    if (fd < 0) {
        perror("eventfd");
        exit(2);
    }
    return fd;
}

/* The fd numbers the kernel will hand out next (lowest free first), so a test can see
 * afterwards whether fds vu_recv received were closed again. */
static void next_fds(int *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        out[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
    for (unsigned i = 0; i < n; i++)
        close(out[i]);
}

static bool fd_closed(int fd)
{
    return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

/* ---- tests -------------------------------------------------------------------------- */

struct good {
    uint32_t req, size;
    unsigned nfds;
};

static const struct good goods[] = {
    {VU_GET_FEATURES, 0, 0},          {VU_GET_FEATURES, 8, 0},
    {VU_GET_PROTOCOL_FEATURES, 0, 0}, {VU_GET_QUEUE_NUM, 0, 0},
    {VU_GET_MAX_MEM_SLOTS, 0, 0},     {VU_GET_STATUS, 0, 0},
    {VU_SET_OWNER, 0, 0},             {VU_RESET_OWNER, 0, 0},
    {VU_RESET_DEVICE, 0, 0},          {VU_SET_FEATURES, 8, 0},
    {VU_SET_PROTOCOL_FEATURES, 8, 0}, {VU_SET_STATUS, 8, 0},
    {VU_SEND_RARP, 8, 0},             {VU_NET_SET_MTU, 8, 0},
    {VU_SET_VRING_NUM, 8, 0},         {VU_SET_VRING_BASE, 8, 0},
    {VU_GET_VRING_BASE, 8, 0},        {VU_SET_VRING_ENABLE, 8, 0},
    {VU_SET_VRING_ENDIAN, 8, 0},      {VU_SET_VRING_ADDR, 40, 0},
    {VU_SET_VRING_KICK, 8, 1},        {VU_SET_VRING_CALL, 8, 1},
    {VU_SET_VRING_ERR, 8, 1},         {VU_SET_VRING_KICK, 8, 0}, /* NOFD */
    {VU_SET_VRING_CALL, 8, 0},        {VU_SET_MEM_TABLE, 8 + 32, 1},
    {VU_SET_MEM_TABLE, 8 + 64, 2},    {VU_SET_MEM_TABLE, 8 + 256, 8},
    {VU_ADD_MEM_REG, 40, 1},          {VU_REM_MEM_REG, 40, 0},
    {VU_SET_LOG_BASE, 16, 1},         {VU_SET_LOG_BASE, 16, 0},
    {VU_SET_LOG_FD, 0, 1},            {VU_SET_LOG_FD, 8, 1},
    {VU_SET_SLAVE_REQ_FD, 0, 1},      {VU_GET_INFLIGHT_FD, 24, 0},
    {VU_SET_INFLIGHT_FD, 24, 1},      {VU_IOTLB_MSG, 32, 0},
    {VU_GET_CONFIG, 12 + 256, 0},     {VU_SET_CONFIG, 12 + 6, 0},
};

static void fill_payload(uint8_t *p, const struct good *g)
{
    for (uint32_t i = 0; i < g->size; i++)
        p[i] = (uint8_t)(0x11 + i * 7 + g->req);
    switch (g->req) {
    case VU_SET_VRING_KICK:
    case VU_SET_VRING_CALL:
    case VU_SET_VRING_ERR: {
        uint64_t v = 3 | (g->nfds ? 0 : VU_VRING_NOFD);
        memcpy(p, &v, 8);
        break;
    }
    case VU_SET_MEM_TABLE: {
        uint32_t n = (g->size - 8) / 32;
        memcpy(p, &n, 4);
        break;
    }
    case VU_GET_CONFIG:
    case VU_SET_CONFIG: {
        uint32_t off = 0, sz = g->size - 12;
        memcpy(p, &off, 4);
        memcpy(p + 4, &sz, 4);
        break;
    }
    }
}

static void test_good_requests(void)
{
    int sv[2];
    uint8_t pl[512];

    pair(sv);
    for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
        const struct good *g = &goods[i];
        int fds[VU_MAX_FDS], expect[VU_MAX_FDS];
        const char *why = "unset";

        for (unsigned k = 0; k < g->nfds; k++)
            fds[k] = new_eventfd();
        fill_payload(pl, g);
        CHECK_EQ(send_req(sv[0], g->req, VU_VERSION | (i % 2 ? VU_FLAG_NEED_REPLY : 0), pl,
                          g->size, fds, g->nfds),
                 0);
        for (unsigned k = 0; k < g->nfds; k++)
            close(fds[k]); /* the receiver's copies must stand on their own */
        next_fds(expect, g->nfds);
        int rc = vu_recv(sv[1], &msg, &why);
        if (rc)
            fprintf(stderr, "request %u size %u: %d (%s)\n", g->req, g->size, rc, why);
        CHECK_EQ(rc, 0);
        CHECK_EQ(msg.hdr.request, g->req);
        CHECK_EQ(msg.hdr.size, g->size);
        CHECK_EQ(msg.hdr.flags & VU_FLAG_NEED_REPLY, i % 2 ? VU_FLAG_NEED_REPLY : 0);
        CHECK(memcmp(msg.p.raw, pl, g->size) == 0);
        CHECK_EQ(msg.nfds, g->nfds);
        for (unsigned k = 0; k < msg.nfds; k++) {
            CHECK_EQ(msg.fds[k], expect[k]);
            CHECK(fcntl(msg.fds[k], F_GETFD) & FD_CLOEXEC);
        }
        vu_msg_close_fds(&msg);
        for (unsigned k = 0; k < g->nfds; k++)
            CHECK(fd_closed(expect[k]));
        CHECK_EQ(msg.nfds, 0);
    }
    close(sv[0]);
    close(sv[1]);
}

/* The fds that arrive refer to the sender's objects. */
static void test_fds_usable(void)
{
    int sv[2];
    int ev = new_eventfd();
    int mfd = memfd_create("vu_proto_test", MFD_CLOEXEC);
    uint64_t v = 5;
    struct vu_memory mem = {.nregions = 1};

    pair(sv);
    CHECK_EQ(send_req(sv[0], VU_SET_VRING_CALL, VU_VERSION, &v, 8, &ev, 1), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), 0);
    CHECK_EQ(msg.p.u64 & VU_VRING_IDX_MASK, 5);
    CHECK(msg.fds[0] != ev);
    uint64_t one = 1, got = 0;
    CHECK_EQ(write(msg.fds[0], &one, 8), 8); /* the back-end signals the call fd */
    CHECK_EQ(read(ev, &got, 8), 8);          /* ... and the front-end's eventfd sees it */
    CHECK_EQ(got, 1);
    vu_msg_close_fds(&msg);

    CHECK_EQ(ftruncate(mfd, 4096), 0);
    mem.regions[0] = (struct vu_region){.guest_phys_addr = 0, .memory_size = 4096,
                                        .userspace_addr = 0x7f0000000000, .mmap_offset = 0};
    CHECK_EQ(send_req(sv[0], VU_SET_MEM_TABLE, VU_VERSION, &mem, 8 + 32, &mfd, 1), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), 0);
    CHECK_EQ(msg.p.mem.regions[0].userspace_addr, 0x7f0000000000ull);
    CHECK_EQ(pwrite(msg.fds[0], "vionic", 6, 100), 6);
    char buf[8] = {0};
    CHECK_EQ(pread(mfd, buf, 6, 100), 6);
    CHECK(memcmp(buf, "vionic", 6) == 0);
    vu_msg_close_fds(&msg);
    close(ev);
    close(mfd);
    close(sv[0]);
    close(sv[1]);
}

/* A header split over two writes, with the fds on the second part, still decodes. */
static void test_split_header(void)
{
    int sv[2];
    uint8_t buf[20];
    struct vu_hdr h = {.request = VU_SET_VRING_KICK, .flags = VU_VERSION, .size = 8};
    uint64_t v = 2;
    int ev = new_eventfd();

    pair(sv);
    memcpy(buf, &h, 12);
    memcpy(buf + 12, &v, 8);
    CHECK_EQ(send_raw(sv[0], buf, 5, NULL, 0), 0);
    CHECK_EQ(send_raw(sv[0], buf + 5, 15, &ev, 1), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), 0);
    CHECK_EQ(msg.hdr.request, VU_SET_VRING_KICK);
    CHECK_EQ(msg.p.u64, 2);
    CHECK_EQ(msg.nfds, 1);
    vu_msg_close_fds(&msg);
    close(ev);
    close(sv[0]);
    close(sv[1]);
}

static void test_truncated(void)
{
    int sv[2];
    struct vu_hdr h = {.request = VU_SET_VRING_ADDR, .flags = VU_VERSION, .size = 40};
    uint8_t buf[12 + 20] = {0};
    const char *why = NULL;

    pair(sv);
    CHECK_EQ(send_raw(sv[0], &h, 6, NULL, 0), 0);
    close(sv[0]);
    CHECK_EQ(vu_recv(sv[1], &msg, &why), -EPROTO);
    CHECK(why && strstr(why, "header"));
    close(sv[1]);

    pair(sv);
    memcpy(buf, &h, 12);
    CHECK_EQ(send_raw(sv[0], buf, sizeof buf, NULL, 0), 0);
    close(sv[0]);
    CHECK_EQ(vu_recv(sv[1], &msg, &why), -EPROTO);
    CHECK(why && strstr(why, "payload"));
    close(sv[1]);

    /* EOF on a message boundary is the peer going away */
    pair(sv);
    uint64_t feat = 1;
    CHECK_EQ(send_req(sv[0], VU_SET_FEATURES, VU_VERSION, &feat, 8, NULL, 0), 0);
    close(sv[0]);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, &why), -ECONNRESET);
    close(sv[1]);
}

/* Bad messages whose payload fits are consumed, so the stream stays in sync. */
static void test_bad_then_next(void)
{
    int sv[2];
    uint8_t pl[64] = {0};
    const char *why = NULL;
    uint64_t v = 0x1234;

    pair(sv);
    /* version 0 and version 2 */
    CHECK_EQ(send_req(sv[0], VU_SET_FEATURES, 0, &v, 8, NULL, 0), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, &why), -EPROTO);
    CHECK(why && strstr(why, "version"));
    close(sv[0]);
    close(sv[1]);
    pair(sv);
    CHECK_EQ(send_req(sv[0], VU_SET_FEATURES, 2 | VU_FLAG_NEED_REPLY, &v, 8, NULL, 0), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), -EPROTO);
    close(sv[0]);
    close(sv[1]);

    pair(sv);
    CHECK_EQ(send_req(sv[0], VU_SET_VRING_ADDR, VU_VERSION, pl, 32, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], VU_SET_VRING_ADDR, VU_VERSION, pl, 48, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], VU_SET_FEATURES, VU_VERSION, pl, 4, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], VU_SET_VRING_NUM, VU_VERSION, pl, 16, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], VU_GET_QUEUE_NUM, VU_VERSION, pl, 4, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], VU_GET_VRING_BASE, VU_VERSION, pl, 0, NULL, 0), 0);
    uint32_t cfg[3] = {0, 300, 0}; /* claims 300 bytes of config in a 12-byte payload */
    CHECK_EQ(send_req(sv[0], VU_GET_CONFIG, VU_VERSION, cfg, 12, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], VU_SET_CONFIG, VU_VERSION, cfg, 8, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], 77, VU_VERSION, pl, 16, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], 0, VU_VERSION, NULL, 0, NULL, 0), 0);
    CHECK_EQ(send_req(sv[0], VU_SET_FEATURES, VU_VERSION, &v, 8, NULL, 0), 0);
    for (int i = 0; i < 8; i++) {
        CHECK_EQ(vu_recv(sv[1], &msg, &why), -EPROTO);
        CHECK(why != NULL);
    }
    CHECK_EQ(vu_recv(sv[1], &msg, &why), -ENOSYS);
    CHECK(why && strstr(why, "unknown"));
    CHECK_EQ(msg.hdr.request, 77);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), -ENOSYS); /* request 0 is not a request */
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), 0);
    CHECK_EQ(msg.hdr.request, VU_SET_FEATURES);
    CHECK_EQ(msg.p.u64, 0x1234);

    /* an unknown request too big to skip cannot be resynchronised */
    CHECK_EQ(send_req(sv[0], 77, VU_VERSION, NULL, 0, NULL, 0), 0);
    struct vu_hdr big = {.request = 77, .flags = VU_VERSION, .size = VU_MAX_PAYLOAD + 1};
    CHECK_EQ(send_raw(sv[0], &big, sizeof big, NULL, 0), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), -ENOSYS);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), -EPROTO);
    close(sv[0]);
    close(sv[1]);
}

/* fd rules: every failing message leaves none of its fds open. */
static void test_fd_rules(void)
{
    struct {
        uint32_t req, nregions, size;
        uint64_t u64;
        unsigned nfds;
        int want;
    } cases[] = {
        {VU_SET_MEM_TABLE, 0, 8, 0, 1, -EPROTO},
        {VU_SET_MEM_TABLE, 9, 8 + 32 * 9, 0, 8, -EPROTO},
        {VU_SET_MEM_TABLE, 2, 8 + 64, 0, 1, -EPROTO},
        {VU_SET_MEM_TABLE, 2, 8 + 64, 0, 3, -EPROTO},
        {VU_SET_MEM_TABLE, 2, 8 + 96, 0, 2, -EPROTO},  /* size disagrees with nregions */
        {VU_SET_MEM_TABLE, 8, 8 + 256, 0, 9, -EPROTO}, /* more fds than fit */
        {VU_SET_VRING_KICK, 0, 8, 1 | VU_VRING_NOFD, 1, -EPROTO},
        {VU_SET_VRING_KICK, 0, 8, 1, 0, -EPROTO},
        {VU_SET_VRING_CALL, 0, 8, 1, 2, -EPROTO},
        {VU_SET_VRING_NUM, 0, 8, 1, 1, -EPROTO},
        {VU_ADD_MEM_REG, 0, 40, 0, 0, -EPROTO},
        {VU_ADD_MEM_REG, 0, 40, 0, 2, -EPROTO},
        {VU_SET_SLAVE_REQ_FD, 0, 0, 0, 0, -EPROTO},
        {VU_SET_LOG_FD, 0, 0, 0, 2, -EPROTO},
        {VU_REM_MEM_REG, 0, 40, 0, 1, 0}, /* old QEMU's fd: accepted and closed */
        {77, 0, 16, 0, 2, -ENOSYS},
    };
    static uint8_t pl[8 + 32 * 9];
    int sv[2];

    pair(sv);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int fds[16], expect[16];
        memset(pl, 0, sizeof pl);
        memcpy(pl, &cases[i].nregions, 4);
        if (cases[i].req != VU_SET_MEM_TABLE)
            memcpy(pl, &cases[i].u64, 8);
        for (unsigned k = 0; k < cases[i].nfds; k++)
            fds[k] = new_eventfd();
        CHECK_EQ(send_req(sv[0], cases[i].req, VU_VERSION, pl, cases[i].size, fds,
                          cases[i].nfds),
                 0);
        for (unsigned k = 0; k < cases[i].nfds; k++)
            close(fds[k]);
        next_fds(expect, cases[i].nfds);
        int rc = vu_recv(sv[1], &msg, NULL);
        if (rc != cases[i].want)
            fprintf(stderr, "fd case %zu\n", i);
        CHECK_EQ(rc, cases[i].want);
        CHECK_EQ(msg.nfds, 0);
        for (unsigned k = 0; k < cases[i].nfds; k++)
            CHECK(fd_closed(expect[k]));
    }
    /* and the connection is still usable */
    uint64_t v = 7;
    CHECK_EQ(send_req(sv[0], VU_SET_STATUS, VU_VERSION, &v, 8, NULL, 0), 0);
    CHECK_EQ(vu_recv(sv[1], &msg, NULL), 0);
    CHECK_EQ(msg.p.u64, 7);
    close(sv[0]);
    close(sv[1]);
}

static void test_replies(void)
{
    int sv[2];
    uint8_t buf[64];
    struct vu_hdr h;
    uint64_t v;
    uint8_t cfg[20];

    pair(sv);
    CHECK_EQ(vu_reply_u64(sv[1], VU_GET_FEATURES, 0x140000000ull), 0);
    CHECK_EQ(read(sv[0], buf, 20), 20);
    memcpy(&h, buf, 12);
    memcpy(&v, buf + 12, 8);
    CHECK_EQ(h.request, VU_GET_FEATURES);
    CHECK_EQ(h.flags, VU_VERSION | VU_FLAG_REPLY);
    CHECK_EQ(h.size, 8);
    CHECK_EQ(v, 0x140000000ull);

    CHECK_EQ(vu_reply_ack(sv[1], VU_SET_MEM_TABLE, 0), 0);
    CHECK_EQ(vu_reply_ack(sv[1], VU_SET_VRING_ADDR, -EINVAL), 0);
    CHECK_EQ(read(sv[0], buf, 40), 40);
    memcpy(&h, buf, 12);
    memcpy(&v, buf + 12, 8);
    CHECK_EQ(h.request, VU_SET_MEM_TABLE);
    CHECK_EQ(h.flags, VU_VERSION | VU_FLAG_REPLY);
    CHECK_EQ(h.size, 8);
    CHECK_EQ(v, 0);
    memcpy(&h, buf + 20, 12);
    memcpy(&v, buf + 32, 8);
    CHECK_EQ(h.request, VU_SET_VRING_ADDR);
    CHECK(v != 0);

    for (unsigned i = 0; i < sizeof cfg; i++)
        cfg[i] = (uint8_t)i;
    CHECK_EQ(vu_send_reply(sv[1], VU_GET_CONFIG, cfg, sizeof cfg), 0);
    CHECK_EQ(vu_send_reply(sv[1], VU_RESET_DEVICE, NULL, 0), 0);
    CHECK_EQ(read(sv[0], buf, 12 + 20 + 12), 44);
    memcpy(&h, buf, 12);
    CHECK_EQ(h.size, 20);
    CHECK(memcmp(buf + 12, cfg, sizeof cfg) == 0);
    memcpy(&h, buf + 32, 12);
    CHECK_EQ(h.request, VU_RESET_DEVICE);
    CHECK_EQ(h.size, 0);
    CHECK_EQ(vu_send_reply(sv[1], VU_GET_CONFIG, cfg, VU_MAX_PAYLOAD + 1), -EINVAL);

    /* a vanished front-end is an error, not SIGPIPE */
    close(sv[0]);
    CHECK_EQ(vu_reply_u64(sv[1], VU_GET_FEATURES, 1), -EPIPE);
    close(sv[1]);
}

static void test_socket_setup(void)
{
    char dir[] = "/tmp/vu_proto_XXXXXX";
    char path[PATH_MAX], longpath[200];

    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        check_fail++;
        return;
    }
    snprintf(path, sizeof path, "%s/vhost.sock", dir);
    CHECK_EQ(vu_connect(path, 0), -ENOENT);

    int lfd = vu_listen(path);
    CHECK(lfd >= 0);
    CHECK_EQ(vu_listen(path), -EADDRINUSE); /* served: not stale */
    /* the liveness probe is a connection that closed at once: the server sees EOF */
    int probe = vu_accept(lfd);
    CHECK(probe >= 0);
    CHECK_EQ(vu_recv(probe, &msg, NULL), -ECONNRESET);
    close(probe);
    int cfd = vu_connect(path, 1000);
    CHECK(cfd >= 0);
    int sfd = vu_accept(lfd);
    CHECK(sfd >= 0);
    uint64_t v = 0xabcdef;
    CHECK_EQ(send_req(cfd, VU_SET_FEATURES, VU_VERSION, &v, 8, NULL, 0), 0);
    CHECK_EQ(vu_recv(sfd, &msg, NULL), 0);
    CHECK_EQ(msg.p.u64, 0xabcdef);
    CHECK_EQ(vu_reply_u64(sfd, VU_GET_FEATURES, 42), 0);
    uint8_t buf[20];
    CHECK_EQ(read(cfd, buf, 20), 20);
    memcpy(&v, buf + 12, 8);
    CHECK_EQ(v, 42);
    close(cfd);
    CHECK_EQ(vu_recv(sfd, &msg, NULL), -ECONNRESET);
    close(sfd);
    close(lfd);

    /* the socket file left behind is stale now and gets replaced */
    lfd = vu_listen(path);
    CHECK(lfd >= 0);
    close(lfd);
    unlink(path);

    /* a regular file in the way is not removed */
    int f = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    CHECK(f >= 0);
    close(f);
    CHECK_EQ(vu_listen(path), -EEXIST);
    CHECK_EQ(access(path, F_OK), 0);
    unlink(path);

    memset(longpath, 'a', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = 0;
    CHECK_EQ(vu_listen(longpath), -ENAMETOOLONG);
    CHECK_EQ(vu_connect(longpath, 0), -ENAMETOOLONG);
    CHECK_EQ(vu_listen(""), -EINVAL);
    CHECK_EQ(rmdir(dir), 0);
}

static void test_names(void)
{
    char buf[32];

    CHECK(strcmp(vu_req_name(VU_SET_VRING_ADDR, buf, sizeof buf), "SET_VRING_ADDR") == 0);
    CHECK(strcmp(vu_req_name(VU_GET_STATUS, buf, sizeof buf), "GET_STATUS") == 0);
    CHECK(strcmp(vu_req_name(77, buf, sizeof buf), "UNKNOWN(77)") == 0);
    CHECK(strcmp(vu_req_name(26, buf, sizeof buf), "UNKNOWN(26)") == 0);
    CHECK(strcmp(vu_req_name(0xffffffffu, NULL, 0), "UNKNOWN") == 0);
}

int main(void)
{
    test_names();
    test_good_requests();
    test_fds_usable();
    test_split_header();
    test_truncated();
    test_bad_then_next();
    test_fd_rules();
    test_replies();
    test_socket_setup();
    return check_report();
}
