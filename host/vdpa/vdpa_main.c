/* vionic-vdpa: a vhost-user back-end whose device is the vionic cycle model with its
 * firmware, so unmodified drivers (DPDK virtio_user, QEMU's vhost-user netdev and the
 * guest behind it) run on the simulated hardware.  One thread: the socket, the kick
 * eventfds and the model take turns; when the device has been quiet for a whole chunk
 * the loop blocks in ppoll() and the model's clock stands still (idle costs no CPU). */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"
#include "qmp.h"
#include "vdpa_bridge.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_model.h"

/* Model cycles per turn of the loop: long enough to cover the device's used-index
 * publish timer (128 cycles), short enough that a kick waits little. */
#define CHUNK_CYCLES 2048u
#define IOVA_BASE UINT64_C(0x7000000000000000) /* the bridge's own DMA memory: far from any guest's */
#define PEER_QUEUE 512u
#define MAX_FRAME 16384u

struct opts {
    const char *socket, *pcap;
    bool client, once, verbose, stats, info;
    enum vn_peer_mode peer_mode;
    uint32_t peer_ip;
    uint8_t peer_mac[6];
    uint32_t dma_latency;
    unsigned queues;
    const char *qmp, *qmp_netdev;
};

/* Frames from the peer wait here until the model's MAC RX has room. */
struct wire {
    vn_model *m;
    struct vn_peer *peer;
    uint8_t *buf[PEER_QUEUE];
    uint32_t len[PEER_QUEUE];
    unsigned head, count;
    uint64_t dropped;
};

static volatile sig_atomic_t want_stats, want_exit, want_link_toggle;

static sigset_t wait_mask; /* the mask the main loop waits with: ours unblocked */

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        want_stats = 1;
    else if (sig == SIGUSR2)
        want_link_toggle = 1;
    else
        want_exit = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vionic-vdpa --socket PATH [options]\n"
            "A vhost-user back-end whose device is the simulated vionic NIC.\n"
            "  --socket PATH        vhost-user unix socket\n"
            "  --client             connect to PATH (the front-end is the server);\n"
            "                       default: create PATH and accept connections\n"
            "  --once               exit when the first connection ends\n"
            "  --queues N           queue pairs offered to the front-end (default: all the device has)\n"
            "  --peer MODE          wire peer on the MAC: loopback (default) or responder\n"
            "  --peer-ip A.B.C.D    responder's address (default 10.0.0.1)\n"
            "  --peer-mac MAC       responder's MAC (default 02:00:00:00:00:01)\n"
            "  --pcap FILE          write every frame on the wire to FILE\n"
            "  --qmp PATH           QEMU's QMP socket: the device's link changes (config\n"
            "                       interrupts) are forwarded with set_link\n"
            "  --qmp-netdev NAME    the vhost-user netdev's id in QEMU (default n0)\n"
            "  --dma-latency N      model DMA round trip in cycles (default 250 = 1 us)\n"
            "  --verbose            log each vhost-user message decoded\n"
            "  --stats              per-queue packet counts on exit and on SIGUSR1\n"
            "SIGUSR2 unplugs / replugs the cable: the model's MAC link goes down / up.\n"
            "  --info               print the device's MAC, queue pairs and features, and exit\n"
            "                       (give QEMU the same mac=: it owns its virtio-net's config)\n"
            "  --help\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    static const struct option lo[] = {
        {"socket", 1, 0, 's'}, {"client", 0, 0, 'c'}, {"once", 0, 0, 'o'},
        {"peer", 1, 0, 'p'},   {"peer-ip", 1, 0, 'i'}, {"peer-mac", 1, 0, 'm'},
        {"pcap", 1, 0, 'w'},   {"dma-latency", 1, 0, 'l'}, {"verbose", 0, 0, 'v'},
        {"stats", 0, 0, 'S'},  {"help", 0, 0, 'h'},   {"queues", 1, 0, 'q'},
        {"info", 0, 0, 'I'},
        {"qmp", 1, 0, 'Q'},    {"qmp-netdev", 1, 0, 'N'},
        {0, 0, 0, 0}};
    int c;

    *o = (struct opts){.peer_mode = VN_PEER_LOOPBACK, .peer_ip = 0x0a000001,
                       .peer_mac = {0x02, 0, 0, 0, 0, 0x01}};
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 's': o->socket = optarg; break;
        case 'c': o->client = true; break;
        case 'o': o->once = true; break;
        case 'I': o->info = true; break;
        case 'Q': o->qmp = optarg; break;
        case 'N': o->qmp_netdev = optarg; break;
        case 'w': o->pcap = optarg; break;
        case 'v': o->verbose = true; break;
        case 'S': o->stats = true; break;
        case 'p':
            if (!strcmp(optarg, "loopback"))
                o->peer_mode = VN_PEER_LOOPBACK;
            else if (!strcmp(optarg, "responder"))
                o->peer_mode = VN_PEER_RESPONDER;
            else {
                fprintf(stderr, "vionic-vdpa: --peer is loopback or responder, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'i':
            if (vn_peer_parse_ip(optarg, &o->peer_ip)) {
                fprintf(stderr, "vionic-vdpa: --peer-ip needs A.B.C.D, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'm':
            if (vn_peer_parse_mac(optarg, o->peer_mac)) {
                fprintf(stderr, "vionic-vdpa: --peer-mac needs aa:bb:cc:dd:ee:ff, got '%s'\n", optarg);
                return 2;
            }
            break;
        case 'q': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (*optarg == '\0' || *end || v == 0 || v > VDPA_MAX_QUEUES / 2) {
                fprintf(stderr, "vionic-vdpa: --queues needs 1..%u pairs, got '%s'\n",
                        VDPA_MAX_QUEUES / 2, optarg);
                return 2;
            }
            o->queues = (unsigned)v;
            break;
        }
        case 'l': {
            char *end;
            unsigned long v = strtoul(optarg, &end, 0);
            if (*optarg == '\0' || *end || v == 0 || v > 100000) {
                fprintf(stderr, "vionic-vdpa: --dma-latency needs 1..100000 cycles, got '%s'\n", optarg);
                return 2;
            }
            o->dma_latency = (uint32_t)v;
            break;
        }
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "vionic-vdpa: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    if (!o->socket && !o->info) {
        fprintf(stderr, "vionic-vdpa: --socket PATH is required (see --help)\n");
        return 2;
    }
    return 0;
}

static void log_to_stderr(void *ctx, enum vn_log_level level, const char *msg)
{
    bool verbose = *(bool *)ctx;
    if (level <= VN_LOG_WARN || (verbose && level <= VN_LOG_INFO))
        fprintf(stderr, "vionic-vdpa: %s\n", msg);
}

/* ---- the wire ----------------------------------------------------------------------- */

static void peer_emit(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct wire *w = ctx;
    if (w->count == PEER_QUEUE || len > MAX_FRAME) {
        w->dropped++;
        return;
    }
    unsigned i = (w->head + w->count) % PEER_QUEUE;
    memcpy(w->buf[i], frame, len);
    w->len[i] = len;
    w->count++;
}

static void mac_tx(void *ctx, const uint8_t *frame, uint32_t len)
{
    struct wire *w = ctx;
    vn_peer_set_time(w->peer, vn_model_cycles(w->m) * (1000000000ull / VN_MODEL_CLOCK_HZ));
    vn_peer_input(w->peer, frame, len);
}

static void wire_push(struct wire *w)
{
    while (w->count) {
        int rc = vn_model_mac_rx(w->m, w->buf[w->head], w->len[w->head]);
        if (rc == -ENOSPC)
            return;
        if (rc)
            w->dropped++;
        w->head = (w->head + 1) % PEER_QUEUE;
        w->count--;
    }
}

/* ---- the loop ------------------------------------------------------------------------- */

static uint64_t activity(vn_model *m)
{
    struct vn_model_stats st;
    vn_model_get_stats(m, &st);
    return st.dma_reads + st.dma_writes + st.mac_tx_frames + st.mac_rx_frames;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct runstats {
    double t0, busy_s;
    uint64_t cycles;
};

static void print_totals(struct bridge *b, const struct wire *w, const struct runstats *rs,
                         vn_model *m)
{
    struct vn_peer_stats ps;
    struct vn_model_stats ms;
    vn_peer_get_stats(w->peer, &ps);
    vn_model_get_stats(m, &ms);
    double wall = now_s() - rs->t0;
    bridge_print_stats(b, stdout);
    printf("vdpa-stats: wire device->peer %llu frames %llu bytes, peer->device %llu frames, "
           "arp %llu/%llu icmp %llu/%llu, dropped %llu (peer) %llu (queue)\n",
           (unsigned long long)ps.rx_frames, (unsigned long long)ps.rx_bytes,
           (unsigned long long)ps.tx_frames, (unsigned long long)ps.arp_replies,
           (unsigned long long)ps.arp_requests, (unsigned long long)ps.icmp_replies,
           (unsigned long long)ps.icmp_requests, (unsigned long long)ps.dropped,
           (unsigned long long)w->dropped);
    /* the device's own counts: a frame lost on receive shows here, not in the rings */
    uint32_t vnd[4] = {0};
    static const uint32_t vnd_off[4] = {VN_VENDOR_VND_TX_PKTS, VN_VENDOR_VND_RX_PKTS,
                                        VN_VENDOR_VND_RX_DROPS, VN_VENDOR_VND_RX_FILTERED};
    for (unsigned i = 0; i < 4; i++)
        if (vn_tr_bar_read(b->tr, 0, VN_VENDOR_BASE + vnd_off[i], 4, &vnd[i]))
            vnd[i] = UINT32_MAX;
    uint8_t status = 0;
    int st_rc = vdpa_dev_status(b->dev, &status);
    printf("vdpa-stats: device tx %u rx %u rx-dropped %u rx-filtered %u status ", vnd[0], vnd[1], vnd[2],
           vnd[3]);
    printf(st_rc ? "unreadable\n" : "0x%02x\n", status);
    printf("vdpa-stats: model dma reads %llu writes %llu, mac tx %llu rx %llu, rx waiting %u\n",
           (unsigned long long)ms.dma_reads, (unsigned long long)ms.dma_writes,
           (unsigned long long)ms.mac_tx_frames, (unsigned long long)ms.mac_rx_frames,
           vn_model_mac_rx_pending(m));
    printf("vdpa-stats: model %llu cycles (%.1f us simulated), %.2f s wall, busy %.2f s, "
           "%.0f cycles per busy second, dma faults %llu, messages %llu, errors %llu\n",
           (unsigned long long)ms.cycles, (double)ms.cycles / (VN_MODEL_CLOCK_HZ / 1e6), wall,
           rs->busy_s, rs->busy_s > 0 ? (double)ms.cycles / rs->busy_s : 0.0,
           (unsigned long long)ms.dma_faults, (unsigned long long)b->msgs,
           (unsigned long long)b->errors);
    fflush(stdout);
}

struct linkfwd {
    const struct opts *o;
    struct qmp_link qmp;
};

static void forward_link(void *ctx, bool up)
{
    struct linkfwd *lf = ctx;
    if (!lf->o->qmp) {
        fprintf(stderr, "vionic-vdpa: device link %s (no --qmp: the front-end is not told)\n",
                up ? "up" : "down");
        return;
    }
    if (lf->o->verbose)
        fprintf(stderr, "vionic-vdpa: device link %s: telling QEMU\n", up ? "up" : "down");
    qmp_link_request(&lf->qmp, up);
}

static int serve(const struct opts *o, struct bridge *b, struct wire *w, vn_model *m,
                 struct linkfwd *lf)
{
    int lfd = -1;
    bool busy = false;
    struct runstats rs = {.t0 = now_s()};
    struct vu_msg *msg = malloc(sizeof *msg);

    if (!msg)
        return 1;
    if (!o->client && (lfd = vu_listen(o->socket)) < 0) {
        fprintf(stderr, "vionic-vdpa: cannot listen on %s: %s\n", o->socket, strerror(-lfd));
        free(msg);
        return 1;
    }
    if (o->verbose)
        fprintf(stderr, "vionic-vdpa: %s %s\n", o->client ? "connecting to" : "listening on", o->socket);
    int served = 0;
    int link_up = 1;
    while (!want_exit) {
        if (want_stats) {
            want_stats = 0;
            bridge_account(b);
            print_totals(b, w, &rs, m);
        }
        if (want_link_toggle) {
            want_link_toggle = 0;
            link_up = !link_up;
            vn_model_set_link(m, link_up);
            busy = true;
            /* A device without a live driver sends no config interrupt: the front-end
             * hears the cable from the bridge directly. */
            if (!vdpa_dev_is_up(b->dev) && b->on_link && b->link != link_up) {
                b->on_link(b->link_ctx, link_up);
                b->link = link_up;
            }
            if (o->verbose)
                fprintf(stderr, "vionic-vdpa: MAC link %s (SIGUSR2)\n", link_up ? "up" : "down");
        }
        if (b->sock < 0) {
            if (served && o->once)
                break;
            if (!o->client) {
                struct pollfd lp = {.fd = lfd, .events = POLLIN};
                if (ppoll(&lp, 1, NULL, &wait_mask) < 0)
                    continue; /* a signal: look at the flags */
            }
            int fd = o->client ? vu_connect(o->socket, 10000) : vu_accept(lfd);
            if (fd < 0) {
                if (fd == -EINTR)
                    continue;
                fprintf(stderr, "vionic-vdpa: %s %s: %s\n", o->client ? "connect to" : "accept on",
                        o->socket, strerror(-fd));
                break;
            }
            bridge_attach(b, fd);
            served++;
            if (o->verbose)
                fprintf(stderr, "vionic-vdpa: front-end connected\n");
        }
        struct pollfd pf[2 + VDPA_MAX_QUEUES];
        unsigned ring_of[2 + VDPA_MAX_QUEUES];
        unsigned n = 0;
        pf[n++] = (struct pollfd){.fd = b->sock, .events = POLLIN};
        /* the QMP socket (or -1: poll ignores it) */
        pf[n++] = (struct pollfd){.fd = qmp_link_fd(&lf->qmp), .events = POLLIN};
        for (unsigned q = 0; q < b->nq; q++)
            if (b->vr[q].kick_fd >= 0 && vdpa_dev_queue_live(b->dev, q)) {
                ring_of[n] = q;
                pf[n++] = (struct pollfd){.fd = b->vr[q].kick_fd, .events = POLLIN};
            }
        struct timespec timeout = {busy || w->count ? 0 : 1, 0};
        int pr = ppoll(pf, n, &timeout, &wait_mask);
        if (pr < 0 && errno != EINTR) {
            perror("vionic-vdpa: poll");
            break;
        }
        if (pr > 0 && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
            const char *why = NULL;
            int rc = vu_recv(b->sock, msg, &why);
            if (rc == 0)
                rc = bridge_handle(b, msg);
            else if (rc == -ENOSYS) {
                char nb[32];
                fprintf(stderr, "vionic-vdpa: unknown vhost-user request %s: refused\n",
                        vu_req_name(msg->hdr.request, nb, sizeof nb));
                b->errors++;
                if ((msg->hdr.flags & VU_FLAG_NEED_REPLY) && (b->pf_acked >> VU_PF_REPLY_ACK) & 1u)
                    rc = vu_reply_ack(b->sock, msg->hdr.request, 1);
                else
                    rc = 0;
            } else if (rc != -ECONNRESET) {
                fprintf(stderr, "vionic-vdpa: bad vhost-user message (%s): closing the connection\n",
                        why ? why : strerror(-rc));
                b->errors++;
            }
            if (rc) {
                if (o->verbose || rc != -ECONNRESET)
                    fprintf(stderr, "vionic-vdpa: front-end gone (%s); device reset\n",
                            rc == -ECONNRESET ? "disconnected" : strerror(-rc));
                bridge_detach(b);
                continue;
            }
        }
        if (pr > 0 && pf[1].fd >= 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)))
            qmp_link_io(&lf->qmp);
        for (unsigned i = 2; pr > 0 && i < n; i++) {
            if (!(pf[i].revents & POLLIN))
                continue;
            uint64_t cnt;
            if (read(pf[i].fd, &cnt, sizeof cnt) == (ssize_t)sizeof cnt)
                if (vdpa_dev_kick(b->dev, ring_of[i]))
                    b->errors++;
        }
        if (!vdpa_dev_is_up(b->dev)) {
            busy = false;
            continue;
        }
        double t = now_s();
        uint64_t before = activity(m);
        wire_push(w);
        vn_model_step(m, CHUNK_CYCLES);
        wire_push(w);
        bridge_signal(b, vdpa_dev_take_irqs(b->dev));
        busy = activity(m) != before || vn_model_mac_rx_pending(m) || w->count;
        if (busy)
            bridge_account(b);
        rs.busy_s += now_s() - t;
    }
    if (b->sock >= 0)
        bridge_detach(b);
    if (lfd >= 0) {
        close(lfd);
        unlink(o->socket);
    }
    if (o->stats)
        print_totals(b, w, &rs, m);
    free(msg);
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    vn_log_set(log_to_stderr, &o.verbose);

    /* The signals stay blocked everywhere but in the main loop's waits (ppoll): the
     * model's worker threads never take them, and one that comes between a look at the
     * flags and the wait is not lost. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigset_t ours;
    sigemptyset(&ours);
    sigaddset(&ours, SIGUSR1);
    sigaddset(&ours, SIGUSR2);
    sigaddset(&ours, SIGINT);
    sigaddset(&ours, SIGTERM);
    sigprocmask(SIG_BLOCK, &ours, &wait_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct vn_tr *tr;
    struct vn_tr_sim_opts so = {.dma_latency = o.dma_latency, .iova_base = IOVA_BASE};
    if ((rc = vn_tr_sim_open(&so, &tr))) {
        fprintf(stderr, "vionic-vdpa: cannot start the model: %s\n", strerror(-rc));
        return 1;
    }
    struct vdpa_dev *dev;
    if ((rc = vdpa_dev_open(tr, &dev))) {
        fprintf(stderr, "vionic-vdpa: the device did not come up: %s\n", strerror(-rc));
        vn_tr_close(tr);
        return 1;
    }
    if (o.info) {
        uint8_t a[6];
        vdpa_dev_mac(dev, a);
        printf("mac %02x:%02x:%02x:%02x:%02x:%02x\npairs %u\nfeatures 0x%016llx\n", a[0], a[1],
               a[2], a[3], a[4], a[5], vdpa_dev_max_pairs(dev),
               (unsigned long long)vdpa_dev_device_features(dev));
        vdpa_dev_close(dev);
        vn_tr_close(tr);
        return 0;
    }
    vn_model *m = vn_tr_sim_model(tr);
    static struct wire w;
    w.m = m;
    for (unsigned i = 0; i < PEER_QUEUE; i++)
        if (!(w.buf[i] = malloc(MAX_FRAME)))
            return 1;
    struct vn_peer_cfg pc = {o.peer_mode, {0}, o.peer_ip, o.pcap};
    memcpy(pc.mac, o.peer_mac, 6);
    if (!(w.peer = vn_peer_new(&pc, peer_emit, &w))) {
        fprintf(stderr, "vionic-vdpa: wire peer: %s\n", strerror(errno));
        return 1;
    }
    struct vn_model_mac mac = {&w, mac_tx};
    vn_model_set_mac(m, &mac);

    static struct bridge b;
    bridge_init(&b, tr, dev, o.verbose);
    static struct linkfwd lf;
    lf.o = &o;
    qmp_link_init(&lf.qmp, o.qmp, o.qmp_netdev ? o.qmp_netdev : "n0");
    b.on_link = forward_link;
    b.link_ctx = &lf;
    if (o.queues) {
        if (o.queues > vdpa_dev_max_pairs(dev)) {
            fprintf(stderr, "vionic-vdpa: --queues %u: the device has %u queue pairs\n", o.queues,
                    vdpa_dev_max_pairs(dev));
            return 2;
        }
        b.nq = 2 * o.queues;
    }
    if (o.verbose) {
        uint8_t a[6];
        vdpa_dev_mac(dev, a);
        fprintf(stderr, "vionic-vdpa: device %02x:%02x:%02x:%02x:%02x:%02x, %u queue pairs, "
                "features 0x%016llx (front-end sees 0x%016llx)\n", a[0], a[1], a[2], a[3], a[4],
                a[5], vdpa_dev_max_pairs(dev), (unsigned long long)vdpa_dev_device_features(dev),
                (unsigned long long)b.offered);
    }
    rc = serve(&o, &b, &w, m, &lf);
    qmp_link_close(&lf.qmp);
    vdpa_dev_close(dev);
    if (vn_peer_close(w.peer))
        fprintf(stderr, "vionic-vdpa: the pcap file is incomplete\n");
    vn_tr_close(tr);
    for (unsigned i = 0; i < PEER_QUEUE; i++)
        free(w.buf[i]);
    return rc;
}
