/* vionicctl: a devlink/ethtool-style tool for vionic.  Every invocation brings the device
 * up with the host shim's driver, runs one command, prints, and tears the device down.
 * The only backend today is the in-process cycle model (--sim): the Verilated RTL with
 * the host-mode firmware.  Exit status: 0 done, 1 the device or a check failed, 2 usage. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_json.h"
#include "ctl_traffic.h"
#include "vionic_regs.h"
#include "vn_log.h"
#include "vn_model.h"
#include "vn_features.h"
#include "vn_net.h"
#include "vn_pci.h"
#include "vn_transport.h"
#include "vn_vq.h"
#include "ctl_fw.h"
#include "ctl_pci.h"

#define PROG "vionicctl"
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define BIT64(n) (UINT64_C(1) << (n))
#define DEFAULT_RING_TRAFFIC 2000u
#define SIM_BANNER                                                                          \
    "backend: sim -- the in-process cycle model of vionic (Verilated RTL + host-mode "      \
    "firmware); no hardware is touched"
#define SIM_BANNER_CORE                                                                     \
    "backend: sim -- the in-process cycle model of vionic (Verilated RTL, firmware on its "  \
    "RV32 core, booted from flash); no hardware is touched"

enum cmd {
    CMD_NONE, CMD_INFO, CMD_STATS, CMD_RING_SHOW, CMD_RING_SET, CMD_QUEUE_RESET,
    CMD_FLASH, CMD_FW_INFO, CMD_FW_ACTIVATE, CMD_LIST
};

/* Options a command accepts, as bits. */
enum {
    OPT_RX = 1,
    OPT_TX = 2,
    OPT_TRAFFIC = 4,
    OPT_SIZE = 8,
    OPT_SLOT = 16,
};

struct opts {
    bool json, verbose, help, sim;
    const char *device;
    const char *firmware;   /* NULL/"host" or "core" (vn_tr_sim_opts) */
    const char *boot_image; /* core: the image in flash slot A at power-on; NULL: the build's */
    unsigned queues, ring_size, rx, tx, size, vq, slot;
    uint64_t traffic;
    unsigned given; /* OPT_* seen */
    const char *words[4];
    unsigned nwords;
    enum cmd cmd;
    uint8_t *image; /* flash: the file, checked before the device is touched */
    size_t image_len;
};

struct ctl {
    struct opts o;
    struct vn_tr *tr;
    struct vn_model *m;
    struct vn_net *n;
    struct ctl_traffic t;
    struct ctl_json j;
};

/* ---- messages and help ----------------------------------------------------------------- */

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, PROG ": ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try " PROG " --help)\n");
    return EXIT_USAGE;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, PROG ": ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return EXIT_FAIL;
}

static void help_main(void)
{
    printf("usage: " PROG " [--sim | --device BDF] [--firmware host|core] [--queues N]\n"
           "                 [--ring-size N] [--json] [-v] COMMAND [command options]\n"
           "\n"
           "Query and configure a vionic virtio-net device, devlink/ethtool style.  Every run\n"
           "brings the device up (all queue pairs unless --queues), runs one command, prints,\n"
           "and tears it down.\n"
           "\n"
           "Backend: --sim (the default, and today the only one) runs the in-process cycle model\n"
           "of vionic -- the Verilated RTL with the host-mode firmware -- with its MAC looped\n"
           "back.  --device BB:DD.F|DDDD:BB:DD.F drives a real PCI function instead (libpciaccess;\n"
           "VFIO for DMA and MSI-X: bind it to vfio-pci, see docs/pci-transport.md).  Without\n"
           "VFIO only info works (config space, no rings); --traffic and ring set need --sim.\n"
           "--firmware core runs the cross-built firmware on the model's RV32 core instead:\n"
           "the boot ROM boots it from flash slot A (--boot-image FILE, default the build's\n"
           "vionic-fw.img), so flash, fw info and fw activate meet the real boot path.  Each\n"
           "run starts a fresh model: flash contents do not survive to the next run.\n"
           "\n"
           "commands:\n"
           "  list                        virtio-net functions on the PCI bus: ID, BDF, driver,\n"
           "                              IOMMU group (--sim list: the model)\n"
           "  info                        IDs, features, MAC, MTU, link, speed, queues, firmware\n"
           "  stats [--traffic N]         driver and device counters\n"
           "  ring show                   ring sizes of every queue (ethtool -g)\n"
           "  ring set --rx N --tx N      resize rings under loopback traffic (ethtool -G)\n"
           "  queue reset VQ [--size N]   reset one virtqueue, show what came back, re-enable\n"
           "  flash IMAGE                 write a firmware image to the flash slot not in use\n"
           "  fw info                     running firmware, stored images A/B, next boot\n"
           "  fw activate [--slot A|B]    boot that slot next (default: the one just flashed)\n"
           "\n"
           "global options:\n"
           "  --firmware host|core  who runs the firmware (default host, see above)\n"
           "  --boot-image FILE     core: the image flash slot A holds at power-on\n"
           "  --queues N      queue pairs to bring up (default: all the device has)\n"
           "  --ring-size N   ring size at bring-up (default: the device maximum)\n"
           "  --json          one JSON object on stdout (info, stats, ring, queue)\n"
           "  -v, --verbose   driver messages down to info level\n"
           "  --help          this text; COMMAND --help for the command's\n"
           "\n"
           "exit status: 0 done, 1 the device or a check failed, 2 bad usage\n");
}

static void help_cmd(const char *cmd)
{
    if (strcmp(cmd, "info") == 0) {
        printf("usage: " PROG " [global options] info\n"
               "PCI IDs, features offered and negotiated (hex and names), MAC, MTU, link,\n"
               "queue pairs, ring sizes, MSI-X vectors and the firmware version.\n");
    } else if (strcmp(cmd, "stats") == 0) {
        printf("usage: " PROG " [global options] stats [--traffic N]\n"
               "Driver counters and the device's (vendor region VND_TX_PKTS, VND_RX_PKTS,\n"
               "VND_RX_DROPS), plus the model's DMA counters.  The device is fresh on every run:\n"
               "--traffic N loops N frames through every pair first (default 0).\n");
    } else if (strcmp(cmd, "ring") == 0) {
        printf("usage: " PROG " [global options] ring show\n"
               "       " PROG " [global options] ring set [--rx N] [--tx N] [--traffic N]\n"
               "show: size, maximum and MSI-X vector of every queue.\n"
               "set:  ethtool -G.  Pair by pair, TX then RX, each queue is reset (RING_RESET),\n"
               "      its buffers reclaimed, and re-enabled at the new size while the other\n"
               "      queues keep running.  N: a power of two up to the device maximum; at\n"
               "      least one of --rx and --tx.  --traffic N (default %u) frames loop\n"
               "      through the MAC on every pair during the resize; an RX queue is\n"
               "      quiesced (its senders held) before its reset.  Prints per queue the old\n"
               "      and new size and what was reclaimed, then the verdict: every frame sent\n"
               "      arrived exactly once or was reclaimed.  Exit 1 when not.\n",
               DEFAULT_RING_TRAFFIC);
    } else if (strcmp(cmd, "queue") == 0) {
        printf("usage: " PROG " [global options] queue reset VQ [--size N] [--traffic N]\n"
               "Reset virtqueue VQ (2*pair for RX, 2*pair+1 for TX), show the buffers handed\n"
               "back, and re-enable it at --size N (default: the size it had).  --traffic N\n"
               "(default 0): first queue up to a ring of frames on that queue (TX) or let them\n"
               "land in it unread (RX), so that the reset has something to hand back; the\n"
               "rest follow after the re-enable, and the verdict checks every frame.\n");
    } else if (strcmp(cmd, "flash") == 0) {
        printf("usage: " PROG " [global options] flash IMAGE\n"
               "Checks IMAGE (vionic-fwimage format) first: a bad file is refused, naming the\n"
               "problem, before the device is touched (exit 1).  Then writes it through the\n"
               "firmware mailbox into the flash slot that is not running, printing progress\n"
               "(erase, write, verify), and has the firmware verify it in flash.  The image\n"
               "boots only after 'fw activate'.\n");
    } else if (strcmp(cmd, "fw") == 0) {
        printf("usage: " PROG " [global options] fw info\n"
               "       " PROG " [global options] fw activate [--slot A|B]\n"
               "info:     the running firmware and boot status, both flash slots (valid,\n"
               "          version, build id, length), the slot that boots next.\n"
               "activate: make the slot boot next (default: the slot an update writes, i.e.\n"
               "          the one just flashed), then restart the core; in host mode (no\n"
               "          embedded core) the restart is not available and is skipped.\n");
    } else {
        help_main();
    }
}

/* ---- arguments --------------------------------------------------------------------------- */

static int parse_u64(const char *opt, const char *text, uint64_t max, uint64_t *out)
{
    char *end;

    if (!text)
        return usage_error("%s needs a value", opt);
    if (text[0] < '0' || text[0] > '9')
        return usage_error("%s needs a number, got '%s'", opt, text);
    errno = 0;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno || *end)
        return usage_error("%s needs a number, got '%s'", opt, text);
    if (v > max)
        return usage_error("%s %s: at most %" PRIu64, opt, text, max);
    *out = v;
    return 0;
}

static int parse_size(const char *opt, const char *text, unsigned *out)
{
    uint64_t v;
    int rc = parse_u64(opt, text, VN_VQ_MAX_SIZE, &v);

    if (rc)
        return rc;
    if (v == 0 || (v & (v - 1)))
        return usage_error("%s %s: a ring size is a power of two", opt, text);
    *out = (unsigned)v;
    return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
    uint64_t v;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
        } else if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "--sim") == 0) {
            o->sim = true;
        } else if (strcmp(a, "--firmware") == 0) {
            if (!val || (strcmp(val, "host") && strcmp(val, "core")))
                return usage_error("--firmware takes host or core%s%s%s", val ? ", got '" : "",
                                   val ? val : "", val ? "'" : "");
            o->firmware = val;
            i++;
        } else if (strcmp(a, "--boot-image") == 0) {
            if (!val)
                return usage_error("--boot-image needs a firmware image file");
            o->boot_image = val;
            i++;
        } else if (strcmp(a, "--device") == 0) {
            if (!val)
                return usage_error("--device needs a PCI address (BDF)");
            o->device = val;
            i++;
        } else if (strcmp(a, "--queues") == 0) {
            if ((rc = parse_u64(a, val, CTL_MAX_PAIRS, &v)))
                return rc;
            if (v == 0)
                return usage_error("--queues 0: at least one queue pair");
            o->queues = (unsigned)v;
            i++;
        } else if (strcmp(a, "--ring-size") == 0) {
            if ((rc = parse_size(a, val, &o->ring_size)))
                return rc;
            i++;
        } else if (strcmp(a, "--rx") == 0) {
            if ((rc = parse_size(a, val, &o->rx)))
                return rc;
            o->given |= OPT_RX;
            i++;
        } else if (strcmp(a, "--tx") == 0) {
            if ((rc = parse_size(a, val, &o->tx)))
                return rc;
            o->given |= OPT_TX;
            i++;
        } else if (strcmp(a, "--size") == 0) {
            if ((rc = parse_size(a, val, &o->size)))
                return rc;
            o->given |= OPT_SIZE;
            i++;
        } else if (strcmp(a, "--traffic") == 0) {
            if ((rc = parse_u64(a, val, CTL_MAX_FRAMES, &o->traffic)))
                return rc;
            o->given |= OPT_TRAFFIC;
            i++;
        } else if (strcmp(a, "--slot") == 0) {
            if (!val || (strcmp(val, "A") && strcmp(val, "B")))
                return usage_error("--slot needs A or B");
            o->slot = val[0] == 'A' ? VN_BOOT_SLOT_A : VN_BOOT_SLOT_B;
            o->given |= OPT_SLOT;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (o->nwords < sizeof o->words / sizeof o->words[0]) {
            o->words[o->nwords++] = a;
        } else {
            return usage_error("too many arguments ('%s')", a);
        }
    }
    return 0;
}

/* Which command the words name, and whether its options and arguments fit it. */
static int resolve(struct opts *o)
{
    static const struct {
        enum cmd cmd;
        const char *w0, *w1;
        unsigned nargs, allowed;
    } table[] = {
        {CMD_LIST, "list", NULL, 0, 0},
        {CMD_INFO, "info", NULL, 0, 0},
        {CMD_STATS, "stats", NULL, 0, OPT_TRAFFIC},
        {CMD_RING_SHOW, "ring", "show", 0, 0},
        {CMD_RING_SET, "ring", "set", 0, OPT_RX | OPT_TX | OPT_TRAFFIC},
        {CMD_QUEUE_RESET, "queue", "reset", 1, OPT_SIZE | OPT_TRAFFIC},
        {CMD_FLASH, "flash", NULL, 1, 0},
        {CMD_FW_INFO, "fw", "info", 0, 0},
        {CMD_FW_ACTIVATE, "fw", "activate", 0, OPT_SLOT},
    };
    static const char *const names[] = {"--rx", "--tx", "--traffic", "--size", "--slot"};

    if (o->nwords == 0)
        return usage_error("no command given");
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(o->words[0], table[i].w0) != 0)
            continue;
        unsigned skip = 1;
        if (table[i].w1) {
            if (o->nwords < 2)
                return usage_error("'%s' needs a subcommand", table[i].w0);
            if (strcmp(o->words[1], table[i].w1) != 0)
                continue;
            skip = 2;
        }
        if (table[i].cmd == CMD_FLASH && o->nwords - skip < 1)
            return usage_error("'flash' needs an IMAGE file");
        if (o->nwords - skip != table[i].nargs)
            return o->nwords - skip < table[i].nargs
                       ? usage_error("'%s %s' needs a virtqueue number", table[i].w0,
                                     table[i].w1 ? table[i].w1 : "")
                       : usage_error("unexpected argument '%s'", o->words[skip + table[i].nargs]);
        unsigned bad = o->given & ~table[i].allowed;
        for (unsigned b = 0; b < 5; b++)
            if (bad & (1u << b))
                return usage_error("option %s does not apply to '%s%s%s'", names[b], table[i].w0,
                                   table[i].w1 ? " " : "", table[i].w1 ? table[i].w1 : "");
        o->cmd = table[i].cmd;
        if (o->cmd == CMD_QUEUE_RESET) {
            uint64_t v;
            int rc = parse_u64("VQ", o->words[2], UINT16_MAX, &v);
            if (rc)
                return rc;
            o->vq = (unsigned)v;
        }
        if (o->cmd == CMD_RING_SET && !(o->given & (OPT_RX | OPT_TX)))
            return usage_error("'ring set' needs --rx N and/or --tx N");
        return 0;
    }
    if (strcmp(o->words[0], "ring") == 0 || strcmp(o->words[0], "queue") == 0 ||
        strcmp(o->words[0], "fw") == 0)
        return usage_error("unknown subcommand '%s %s'", o->words[0], o->words[1]);
    return usage_error("unknown command '%s'", o->words[0]);
}

/* ---- small helpers ----------------------------------------------------------------------- */

static void log_to_stderr(void *ctx, enum vn_log_level level, const char *msg)
{
    const struct opts *o = ctx;
    if (level <= VN_LOG_WARN || (o->verbose && level <= VN_LOG_INFO))
        fprintf(stderr, PROG ": driver: %s\n", msg);
}

static uint32_t vendor_reg(struct ctl *c, uint32_t off)
{
    uint32_t v = 0;
    if (vn_tr_bar_read(c->tr, 0, VN_VENDOR_BASE + off, 4, &v))
        fprintf(stderr, PROG ": vendor register 0x%x unreadable\n", off);
    return v;
}

static uint32_t cfg_reg(struct ctl *c, uint32_t off, unsigned size)
{
    uint32_t v = 0;
    if (vn_tr_cfg_read(c->tr, off, size, &v))
        fprintf(stderr, PROG ": config register 0x%x unreadable\n", off);
    return v;
}

static void queue_name(const struct ctl *c, unsigned vq, char *buf, size_t len)
{
    if (vq < 2 * vn_net_queue_pairs(c->n))
        snprintf(buf, len, "%s%u", vq & 1 ? "tx" : "rx", vq / 2);
    else
        snprintf(buf, len, "ctrl");
}

static uint16_t queue_vector(struct ctl *c, unsigned vq)
{
    struct vn_pci *p = vn_net_pci(c->n);
    uint16_t v = VN_MSIX_NO_VECTOR;
    if (vn_pci_set_queue_select(p, (uint16_t)vq) || vn_pci_get_queue_msix_vector(p, &v))
        fprintf(stderr, PROG ": queue %u: vector unreadable\n", vq);
    return v;
}

/* The control queue, if there is one: the index after every pair the device has. */
static int ctrl_vq(struct ctl *c)
{
    uint32_t max = 1;
    if (!(vn_net_driver_features(c->n) & BIT64(VN_F_CTRL_VQ)))
        return -1;
    if ((vn_net_driver_features(c->n) & BIT64(VN_F_MQ)) &&
        vn_pci_device_read(vn_net_pci(c->n), VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS,
                           VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS_SIZE, &max))
        return -1;
    return (int)(2 * max);
}


static void feature_list(uint64_t f, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = 0;
    for (unsigned bit = 0; bit < 64; bit++) {
        if (!(f & BIT64(bit)))
            continue;
        const char *name = vn_feature_name(bit);
        int w = name ? snprintf(buf + at, len - at, "%s%s", at ? " " : "", name)
                     : snprintf(buf + at, len - at, "%sbit%u", at ? " " : "", bit);
        if (w < 0 || (size_t)w >= len - at)
            return;
        at += (size_t)w;
    }
}

static void begin_json(struct ctl *c, const char *command)
{
    cj_begin(&c->j, stdout);
    cj_str(&c->j, "backend", c->m ? "sim" : "pci");
    cj_str(&c->j, "command", command);
}

static bool is_core(const struct opts *o)
{
    return o->firmware && strcmp(o->firmware, "core") == 0;
}

static void banner(const struct ctl *c)
{
    if (!c->o.json && c->o.device)
        printf("backend: pci -- %s, a real PCI function (%s)\n", vn_tr_pci_bdf(c->tr),
               vn_tr_pci_has_dma(c->tr) ? "VFIO: DMA and MSI-X" : "config and BARs only");
    else if (!c->o.json)
        printf("%s\n", is_core(&c->o) ? SIM_BANNER_CORE : SIM_BANNER);
}

/* ---- info -------------------------------------------------------------------------------- */

static int cmd_info(struct ctl *c)
{
    struct vn_net *n = c->n;
    uint32_t vid = cfg_reg(c, VN_CFG_VENDOR_ID, VN_CFG_VENDOR_ID_SIZE);
    uint32_t did = cfg_reg(c, VN_CFG_DEVICE_ID, VN_CFG_DEVICE_ID_SIZE);
    uint32_t revcls = cfg_reg(c, VN_CFG_REVISION_CLASS, VN_CFG_REVISION_CLASS_SIZE);
    uint32_t svid = cfg_reg(c, VN_CFG_SUBSYS_VENDOR_ID, VN_CFG_SUBSYS_VENDOR_ID_SIZE);
    uint32_t sid = cfg_reg(c, VN_CFG_SUBSYS_ID, VN_CFG_SUBSYS_ID_SIZE);
    uint32_t magic = vendor_reg(c, VN_VENDOR_VND_MAGIC);
    uint32_t fw = vendor_reg(c, VN_VENDOR_VND_FW_VERSION);
    uint32_t hw = vendor_reg(c, VN_VENDOR_VND_HWCFG);
    uint64_t dev = vn_net_device_features(n), drv = vn_net_driver_features(n);
    char dev_names[512], drv_names[512], mac_s[18], name[16];
    uint8_t mac[6];
    uint16_t nq = 0;
    uint32_t max_pairs = 1;
    unsigned pairs = vn_net_queue_pairs(n);
    struct vn_pci *p = vn_net_pci(n);
    int cvq = ctrl_vq(c);

    feature_list(dev, dev_names, sizeof dev_names);
    feature_list(drv, drv_names, sizeof drv_names);
    vn_net_mac(n, mac);
    snprintf(mac_s, sizeof mac_s, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
             mac[3], mac[4], mac[5]);
    if (vn_pci_get_num_queues(p, &nq) ||
        vn_pci_device_read(p, VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS,
                           VN_DEVICE_NET_MAX_VIRTQUEUE_PAIRS_SIZE, &max_pairs))
        return fail("device config unreadable");
    uint16_t link = vn_net_link_status(n);
    uint32_t speed;
    uint8_t duplex;
    if (vn_net_speed(n, &speed, &duplex))
        return fail("device config unreadable");
    char speed_s[48];
    if (speed == VN_NET_SPEED_UNKNOWN)
        snprintf(speed_s, sizeof speed_s, "unknown");
    else
        snprintf(speed_s, sizeof speed_s, "%u Mb/s %s duplex", speed,
                 duplex == VN_NET_DUPLEX_FULL ? "full" : duplex == 0 ? "half" : "unknown");
    unsigned hw_pairs = (hw >> VN_HWCFG_PAIRS_SHIFT) & VN_HWCFG_PAIRS_MASK;
    unsigned hw_vecs = (hw >> VN_HWCFG_VECTORS_SHIFT) & VN_HWCFG_VECTORS_MASK;
    unsigned hw_qlog = (hw >> VN_HWCFG_QSIZE_LOG2_SHIFT) & VN_HWCFG_QSIZE_LOG2_MASK;

    if (c->o.json) {
        struct ctl_json *j = &c->j;
        begin_json(c, "info");
        cj_hex(j, "vendor_id", vid);
        cj_hex(j, "device_id", did);
        cj_u64(j, "revision", revcls & 0xff);
        cj_hex(j, "class", revcls >> 8);
        cj_hex(j, "subsystem_vendor_id", svid);
        cj_hex(j, "subsystem_id", sid);
        cj_hex(j, "fw_version", fw);
        cj_bool(j, "fw_magic_ok", magic == VN_FW_ID_MAGIC);
        cj_obj(j, "hwcfg");
        cj_u64(j, "queue_pairs", hw_pairs);
        cj_u64(j, "msix_vectors", hw_vecs);
        cj_u64(j, "max_queue_size", hw_qlog < 16 ? 1u << hw_qlog : 0);
        cj_end(j);
        cj_hex(j, "features_offered", dev);
        cj_str(j, "features_offered_names", dev_names);
        cj_hex(j, "features_negotiated", drv);
        cj_str(j, "features_negotiated_names", drv_names);
        cj_str(j, "mac", mac_s);
        cj_u64(j, "mtu", vn_net_mtu(n));
        cj_bool(j, "link_up", link & VN_NET_S_LINK_UP);
        cj_str(j, "speed", speed_s);
        cj_u64(j, "queue_pairs", pairs);
        cj_u64(j, "max_queue_pairs", max_pairs);
        cj_u64(j, "num_queues", nq);
        cj_u64(j, "msix_entries", p->msix_entries);
        cj_arr(j, "rings");
        for (unsigned vq = 0; vq < 2 * pairs; vq++) {
            queue_name(c, vq, name, sizeof name);
            cj_obj(j, NULL);
            cj_u64(j, "vq", vq);
            cj_str(j, "name", name);
            cj_u64(j, "size", vn_net_ring_size(n, vq));
            cj_u64(j, "max", vn_net_ring_max(n, vq));
            cj_end(j);
        }
        cj_end(j);
        if (cvq >= 0)
            cj_u64(j, "ctrl_ring", vn_net_ring_size(n, (unsigned)cvq));
        cj_end(j);
        return 0;
    }
    printf("device:      %04x:%04x rev %02x class %06x subsystem %04x:%04x (virtio-net, modern)\n",
           vid, did, revcls & 0xff, revcls >> 8, svid, sid);
    printf("firmware:    version 0x%08x (magic %s)\n", fw,
           magic == VN_FW_ID_MAGIC ? "ok" : "WRONG");
    printf("hardware:    %u queue pairs, %u MSI-X vectors, rings up to %u\n", hw_pairs, hw_vecs,
           hw_qlog < 16 ? 1u << hw_qlog : 0);
    printf("offered:     0x%016" PRIx64 " %s\n", dev, dev_names);
    printf("negotiated:  0x%016" PRIx64 " %s\n", drv, drv_names);
    printf("mac:         %s\n", mac_s);
    printf("mtu:         %u\n", vn_net_mtu(n));
    printf("link:        %s%s\n", link & VN_NET_S_LINK_UP ? "up" : "down",
           (drv & BIT64(VN_F_STATUS)) ? "" : " (assumed: STATUS not negotiated)");
    printf("speed:       %s\n", speed_s);
    printf("pairs:       %u in use of %u; %u virtqueues; %u MSI-X entries\n", pairs, max_pairs, nq,
           p->msix_entries);
    printf("rings:      ");
    for (unsigned vq = 0; vq < 2 * pairs; vq++) {
        queue_name(c, vq, name, sizeof name);
        printf(" %s %u", name, vn_net_ring_size(n, vq));
    }
    if (cvq >= 0)
        printf(" ctrl %u", vn_net_ring_size(n, (unsigned)cvq));
    printf("\n");
    return 0;
}

/* ---- stats ------------------------------------------------------------------------------- */

static void print_verdict(struct ctl *c, const struct ctl_verdict *v, uint64_t total)
{
    if (c->o.json) {
        struct ctl_json *j = &c->j;
        cj_obj(j, "frames");
        cj_u64(j, "requested", total);
        cj_u64(j, "sent", v->sent);
        cj_u64(j, "arrived", v->arrived);
        cj_u64(j, "reclaimed", v->reclaimed);
        cj_u64(j, "arrived_and_reclaimed", v->both);
        cj_u64(j, "lost", v->lost);
        cj_u64(j, "duplicated", v->duplicated);
        cj_u64(j, "corrupt", v->corrupt);
        cj_end(j);
        cj_str(j, "verdict", v->ok ? "OK" : "FAIL");
        return;
    }
    printf("frames:  %" PRIu64 " of %" PRIu64 " sent: %" PRIu64 " arrived once, %" PRIu64
           " reclaimed unsent, %" PRIu64 " both arrived and reclaimed, %" PRIu64 " lost, %" PRIu64
           " duplicated, %" PRIu64 " corrupt or misrouted\n",
           v->sent, total, v->arrived, v->reclaimed, v->both, v->lost, v->duplicated, v->corrupt);
    printf("verdict: %s\n", v->ok ? "OK (every frame sent arrived exactly once or was reclaimed)"
                                  : "FAIL (frames lost, duplicated or damaged; see above)");
}

static int cmd_stats(struct ctl *c)
{
    struct ctl_verdict v = {.ok = true};
    int rc;

    if (c->o.traffic) {
        if ((rc = ctl_traffic_finish(&c->t)))
            return fail("traffic: %s", strerror(-rc));
        ctl_traffic_verdict(&c->t, &v);
    }
    struct vn_net_stats st;
    struct vn_model_stats ms = {0};
    vn_net_get_stats(c->n, &st);
    if (c->m)
        vn_model_get_stats(c->m, &ms);
    uint32_t txp = vendor_reg(c, VN_VENDOR_VND_TX_PKTS);
    uint32_t rxp = vendor_reg(c, VN_VENDOR_VND_RX_PKTS);
    uint32_t drops = vendor_reg(c, VN_VENDOR_VND_RX_DROPS);

    if (c->o.json) {
        struct ctl_json *j = &c->j;
        begin_json(c, "stats");
        cj_obj(j, "driver");
        cj_u64(j, "tx_frames", st.tx_frames);
        cj_u64(j, "tx_bytes", st.tx_bytes);
        cj_u64(j, "rx_frames", st.rx_frames);
        cj_u64(j, "rx_bytes", st.rx_bytes);
        cj_u64(j, "irqs", st.irqs);
        cj_u64(j, "queue_resets", st.queue_resets);
        cj_u64(j, "reclaimed", st.reclaimed);
        cj_u64(j, "reset_dropped", st.reset_dropped);
        cj_end(j);
        cj_obj(j, "device");
        cj_u64(j, "tx_pkts", txp);
        cj_u64(j, "rx_pkts", rxp);
        cj_u64(j, "rx_drops", drops);
        cj_end(j);
        cj_obj(j, "model");
        cj_u64(j, "cycles", ms.cycles);
        cj_u64(j, "dma_reads", ms.dma_reads);
        cj_u64(j, "dma_read_bytes", ms.dma_read_bytes);
        cj_u64(j, "dma_writes", ms.dma_writes);
        cj_u64(j, "dma_write_bytes", ms.dma_write_bytes);
        cj_u64(j, "dma_faults", ms.dma_faults);
        cj_u64(j, "mac_tx_frames", ms.mac_tx_frames);
        cj_u64(j, "mac_rx_frames", ms.mac_rx_frames);
        cj_end(j);
        if (c->o.traffic)
            print_verdict(c, &v, c->o.traffic);
        cj_end(j);
    } else {
        printf("driver:  tx %" PRIu64 " frames %" PRIu64 " bytes, rx %" PRIu64 " frames %" PRIu64
               " bytes, %" PRIu64 " interrupts\n",
               st.tx_frames, st.tx_bytes, st.rx_frames, st.rx_bytes, st.irqs);
        printf("         %" PRIu64 " queue resets, %" PRIu64 " buffers reclaimed, %" PRIu64
               " frames dropped by resets\n",
               st.queue_resets, st.reclaimed, st.reset_dropped);
        printf("device:  tx_pkts %u, rx_pkts %u, rx_drops %u\n", txp, rxp, drops);
        printf("model:   %" PRIu64 " cycles, %" PRIu64 " DMA reads (%" PRIu64 " bytes), %" PRIu64
               " DMA write beats (%" PRIu64 " bytes), %" PRIu64 " DMA faults, MAC tx %" PRIu64
               " rx %" PRIu64 "\n",
               ms.cycles, ms.dma_reads, ms.dma_read_bytes, ms.dma_writes, ms.dma_write_bytes,
               ms.dma_faults, ms.mac_tx_frames, ms.mac_rx_frames);
        if (c->o.traffic)
            print_verdict(c, &v, c->o.traffic);
    }
    return v.ok ? 0 : EXIT_FAIL;
}

/* ---- ring -------------------------------------------------------------------------------- */

static int cmd_ring_show(struct ctl *c)
{
    unsigned pairs = vn_net_queue_pairs(c->n);
    int cvq = ctrl_vq(c);
    char name[16];

    if (c->o.json) {
        begin_json(c, "ring show");
        cj_u64(&c->j, "queue_pairs", pairs);
        cj_arr(&c->j, "queues");
    } else {
        printf("%-4s %-6s %6s %6s %7s\n", "vq", "queue", "size", "max", "vector");
    }
    for (unsigned vq = 0; vq < 2 * pairs + (cvq >= 0); vq++) {
        unsigned q = vq < 2 * pairs ? vq : (unsigned)cvq;
        queue_name(c, q, name, sizeof name);
        unsigned size = vn_net_ring_size(c->n, q), max = vn_net_ring_max(c->n, q);
        uint16_t vec = queue_vector(c, q);
        if (c->o.json) {
            cj_obj(&c->j, NULL);
            cj_u64(&c->j, "vq", q);
            cj_str(&c->j, "name", name);
            cj_u64(&c->j, "size", size);
            if (max)
                cj_u64(&c->j, "max", max);
            cj_u64(&c->j, "vector", vec);
            cj_end(&c->j);
        } else {
            char maxs[12] = "-", vecs[12] = "none";
            if (max)
                snprintf(maxs, sizeof maxs, "%u", max);
            if (vec != VN_MSIX_NO_VECTOR)
                snprintf(vecs, sizeof vecs, "%u", vec);
            printf("%-4u %-6s %6u %6s %7s\n", q, name, size, maxs, vecs);
        }
    }
    if (c->o.json) {
        cj_end(&c->j);
        cj_end(&c->j);
    }
    return 0;
}

struct resize {
    unsigned vq, old, size;
    uint64_t cycles;
    int rc;
};

/* One queue: quiesce its pair's senders first for RX, reset with reclaim, re-enable. */
static int resize_one(struct ctl *c, struct resize *r)
{
    int rc;

    r->old = vn_net_ring_size(c->n, r->vq);
    if (!(r->vq & 1) && (rc = ctl_traffic_quiesce(&c->t, r->vq / 2)))
        return rc;
    uint64_t t0 = vn_model_cycles(c->m);
    rc = vn_net_queue_reset(c->n, r->vq, ctl_traffic_reclaim, &c->t);
    r->cycles = vn_model_cycles(c->m) - t0;
    if (!rc)
        rc = vn_net_queue_enable(c->n, r->vq, r->size);
    ctl_traffic_resume(&c->t, r->vq / 2);
    return rc;
}

/* The sizes against the device maximum of every queue they apply to (exit 2 if above). */
static int check_max(struct ctl *c, const char *opt, unsigned size, unsigned dir)
{
    for (unsigned vq = dir; vq < 2 * vn_net_queue_pairs(c->n); vq += 2) {
        unsigned max = vn_net_ring_max(c->n, vq);
        if (size > max)
            return usage_error("%s %u: above the device maximum %u", opt, size, max);
    }
    return 0;
}

static int cmd_ring_set(struct ctl *c)
{
    struct vn_net *n = c->n;
    unsigned pairs = vn_net_queue_pairs(n);
    unsigned rx = c->o.given & OPT_RX ? c->o.rx : 0, tx = c->o.given & OPT_TX ? c->o.tx : 0;
    struct resize plan[CTL_MAX_VQS];
    unsigned k = 0;
    int rc = 0;

    if ((rx && (rc = check_max(c, "--rx", rx, 0))) || (tx && (rc = check_max(c, "--tx", tx, 1))))
        return rc;
    if (!(vn_net_driver_features(n) & BIT64(VN_F_RING_RESET)))
        return fail("the device did not negotiate RING_RESET: rings cannot be resized");
    for (unsigned qp = 0; qp < pairs; qp++) {
        if (tx)
            plan[k++] = (struct resize){.vq = 2 * qp + 1, .size = tx};
        if (rx)
            plan[k++] = (struct resize){.vq = 2 * qp, .size = rx};
    }
    /* Resets spread evenly over the traffic, queue by queue, pair by pair. */
    uint64_t total = c->o.traffic, spacing = total / (k + 1), next = spacing;
    unsigned done = 0, failed_vq = 0;
    while (done < k && !rc) {
        if (c->t.settled >= next || c->t.settled >= total || ctl_traffic_stalled(&c->t)) {
            rc = plan[done].rc = resize_one(c, &plan[done]);
            failed_vq = plan[done].vq;
            done++;
            next += spacing;
        } else {
            rc = ctl_traffic_step(&c->t, -1);
        }
    }
    if (rc)
        fprintf(stderr, PROG ": resize of vq %u: %s\n", failed_vq, strerror(-rc));
    int trc = ctl_traffic_finish(&c->t);
    if (trc)
        fprintf(stderr, PROG ": traffic: %s\n", strerror(-trc));
    struct ctl_verdict v;
    ctl_traffic_verdict(&c->t, &v);
    v.ok = v.ok && !rc && !trc;
    uint32_t drops = vendor_reg(c, VN_VENDOR_VND_RX_DROPS);

    char name[16];
    if (c->o.json) {
        struct ctl_json *j = &c->j;
        begin_json(c, "ring set");
        cj_u64(j, "queue_pairs", pairs);
        cj_u64(j, "traffic", total);
        cj_arr(j, "queues");
        for (unsigned i = 0; i < done; i++) {
            const struct ctl_qreclaim *q = &c->t.q[plan[i].vq];
            queue_name(c, plan[i].vq, name, sizeof name);
            cj_obj(j, NULL);
            cj_u64(j, "vq", plan[i].vq);
            cj_str(j, "name", name);
            cj_u64(j, "old", plan[i].old);
            cj_u64(j, "new", vn_net_ring_size(n, plan[i].vq));
            cj_u64(j, "reclaimed_used", q->used);
            cj_u64(j, "reclaimed_unused", q->unused);
            cj_u64(j, "reset_cycles", plan[i].cycles);
            cj_bool(j, "ok", plan[i].rc == 0);
            cj_end(j);
        }
        cj_end(j);
        cj_u64(j, "rx_drops", drops);
        print_verdict(c, &v, total);
        cj_end(j);
    } else {
        printf("ring set:");
        if (rx)
            printf(" rx %u", rx);
        if (tx)
            printf(" tx %u", tx);
        printf(" on %u pairs, %" PRIu64 " frames of loopback traffic\n", pairs, total);
        printf("%-4s %-6s %6s    %-6s %-34s %8s\n", "vq", "queue", "old", "new",
               "reclaimed", "cycles");
        for (unsigned i = 0; i < done; i++) {
            const struct ctl_qreclaim *q = &c->t.q[plan[i].vq];
            char rec[64];
            queue_name(c, plan[i].vq, name, sizeof name);
            if (plan[i].vq & 1)
                snprintf(rec, sizeof rec, "%" PRIu64 " sent, %" PRIu64 " unsent", q->used,
                         q->unused);
            else
                snprintf(rec, sizeof rec, "%" PRIu64 " frames, %" PRIu64 " empty buffers",
                         q->used, q->unused);
            printf("%-4u %-6s %6u -> %-6u %-34s %8" PRIu64 "%s\n", plan[i].vq, name, plan[i].old,
                   vn_net_ring_size(n, plan[i].vq), rec, plan[i].cycles,
                   plan[i].rc ? "  FAILED" : "");
        }
        printf("device:  rx_drops %u\n", drops);
        print_verdict(c, &v, total);
    }
    return v.ok ? 0 : EXIT_FAIL;
}

/* ---- queue reset ------------------------------------------------------------------------- */

/* Without the traffic harness (pci): only count what comes back. */
static void count_reclaim(void *ctx, unsigned vq, const void *frame, size_t len, int used)
{
    struct ctl_traffic *t = ctx;
    (void)frame;
    (void)len;
    if (vq < CTL_MAX_VQS) {
        if (used)
            t->q[vq].used++;
        else
            t->q[vq].unused++;
    }
}

static int cmd_queue_reset(struct ctl *c)
{
    struct vn_net *n = c->n;
    unsigned pairs = vn_net_queue_pairs(n), vq = c->o.vq, p = vq / 2;
    int cvq = ctrl_vq(c);
    int rc;

    if (cvq >= 0 && vq == (unsigned)cvq)
        return usage_error("vq %u is the control queue; only data queues (0..%u) can be reset",
                           vq, 2 * pairs - 1);
    if (vq >= 2 * pairs)
        return usage_error("vq %u out of range: data queues are 0..%u with %u pairs", vq,
                           2 * pairs - 1, pairs);
    unsigned max = vn_net_ring_max(n, vq), old = vn_net_ring_size(n, vq);
    if ((c->o.given & OPT_SIZE) && c->o.size > max)
        return usage_error("--size %u: above the device maximum %u", c->o.size, max);
    if (!(vn_net_driver_features(n) & BIT64(VN_F_RING_RESET)))
        return fail("the device did not negotiate RING_RESET: queues cannot be reset");

    /* Something for the reset to hand back: frames queued on TX (given a moment, so some
     * go out), or frames landed in the RX ring and left unread. */
    uint64_t before = c->o.traffic < old ? c->o.traffic : old;
    if (before) {
        rc = ctl_traffic_burst(&c->t, p, p, (unsigned)before);
        if (rc < 0)
            return fail("queueing frames: %s", strerror(-rc));
        before = (unsigned)rc;
        if (vq & 1) {
            /* the first frame needs four DMA round trips (avail, ring, descriptor, data);
             * with EVENT_IDX the burst is one doorbell, so the device time is all here */
            vn_tr_delay(c->tr, 8000);
        } else {
            if ((rc = ctl_traffic_land(&c->t, p)))
                return fail("traffic: %s", strerror(-rc));
        }
    }
    uint64_t t0 = c->m ? vn_model_cycles(c->m) : 0;
    rc = vn_net_queue_reset(n, vq, c->m ? ctl_traffic_reclaim : count_reclaim, &c->t);
    uint64_t cycles = c->m ? vn_model_cycles(c->m) - t0 : 0;
    if (rc)
        return fail("reset of vq %u: %s", vq, strerror(-rc));
    unsigned size = c->o.given & OPT_SIZE ? c->o.size : 0;
    if ((rc = vn_net_queue_enable(n, vq, size)))
        return fail("re-enable of vq %u: %s", vq, strerror(-rc));
    if (c->m)
        ctl_traffic_resume(&c->t, p);
    uint16_t vec = queue_vector(c, vq);
    struct ctl_verdict v = {.ok = true};
    if (c->o.traffic) {
        if ((rc = ctl_traffic_finish(&c->t)))
            return fail("traffic: %s", strerror(-rc));
        ctl_traffic_verdict(&c->t, &v);
    }
    const struct ctl_qreclaim *q = &c->t.q[vq];
    char name[16];
    queue_name(c, vq, name, sizeof name);
    if (c->o.json) {
        struct ctl_json *j = &c->j;
        begin_json(c, "queue reset");
        cj_u64(j, "vq", vq);
        cj_str(j, "name", name);
        cj_u64(j, "old", old);
        cj_u64(j, "new", vn_net_ring_size(n, vq));
        cj_u64(j, "vector", vec);
        cj_u64(j, "frames_before", before);
        cj_u64(j, "reset_cycles", cycles);
        cj_u64(j, "reclaimed_used", q->used);
        cj_u64(j, "reclaimed_unused", q->unused);
        if (c->o.traffic)
            print_verdict(c, &v, c->o.traffic);
        cj_end(j);
    } else {
        printf("queue reset: vq %u (%s), %u entries, %" PRIu64 " frames %s before the reset\n",
               vq, name, old, before, vq & 1 ? "queued" : "landed unread");
        printf("reset:   acknowledged by the device in %" PRIu64 " cycles\n", cycles);
        if (vq & 1)
            printf("reclaimed: %" PRIu64 " frames sent before the reset, %" PRIu64
                   " never sent\n", q->used, q->unused);
        else
            printf("reclaimed: %" PRIu64 " received frames, %" PRIu64 " empty buffers\n",
                   q->used, q->unused);
        printf("enabled: %u entries, MSI-X vector %s%u\n", vn_net_ring_size(n, vq),
               vec == VN_MSIX_NO_VECTOR ? "none " : "", vec == VN_MSIX_NO_VECTOR ? 0 : vec);
        if (c->o.traffic)
            print_verdict(c, &v, c->o.traffic);
    }
    return v.ok ? 0 : EXIT_FAIL;
}

/* ---- main -------------------------------------------------------------------------------- */

static uint64_t traffic_of(const struct opts *o)
{
    if (o->given & OPT_TRAFFIC)
        return o->traffic;
    return o->cmd == CMD_RING_SET ? DEFAULT_RING_TRAFFIC : 0;
}

/* --device: the pci transport.  No traffic harness (no MAC loopback on real hardware);
 * without VFIO, info reads config space only and everything else explains the binding. */
static int run_pci(struct ctl *c, const struct vn_net_opts *no)
{
    struct vn_tr_pci_opts po = {.bdf = c->o.device};
    int rc;

    if ((rc = vn_tr_pci_open(&po, &c->tr)))
        return fail("cannot open PCI function %s: %s (see the message above)", c->o.device,
                    strerror(-rc));
    if (!vn_tr_pci_has_dma(c->tr) && c->o.cmd == CMD_INFO) {
        banner(c);
        rc = ctl_pci_info_nodma(c->tr, c->o.json);
        vn_tr_close(c->tr);
        return rc;
    }
    if ((rc = vn_net_open(c->tr, no, &c->n))) {
        vn_tr_close(c->tr);
        return fail("bring-up of %s failed: %s%s", c->o.device, strerror(-rc),
                    rc == -ENXIO ? " (no DMA: bind it to vfio-pci, see above)" : "");
    }
    banner(c);
    switch (c->o.cmd) {
    case CMD_INFO: rc = cmd_info(c); break;
    case CMD_STATS: rc = cmd_stats(c); break;
    case CMD_RING_SHOW: rc = cmd_ring_show(c); break;
    case CMD_QUEUE_RESET: rc = cmd_queue_reset(c); break;
    case CMD_FLASH: rc = ctl_fw_flash(c->tr, vn_net_pci(c->n), c->o.image, c->o.image_len, c->o.json); break;
    case CMD_FW_INFO: rc = ctl_fw_info(vn_net_pci(c->n), c->o.json); break;
    case CMD_FW_ACTIVATE:
        rc = ctl_fw_activate(c->tr, vn_net_pci(c->n), (c->o.given & OPT_SLOT) ? (int)c->o.slot : -1,
                             c->o.json);
        break;
    default: rc = EXIT_USAGE; break;
    }
    vn_net_close(c->n);
    vn_tr_close(c->tr);
    return rc;
}

static int run(struct ctl *c)
{
    struct vn_net_opts no = {
        .queue_pairs = c->o.queues ? c->o.queues : VN_NET_ALL_PAIRS,
        .ring_size = c->o.ring_size,
        .use_irq = 1,
    };
    int rc;

    if (c->o.cmd == CMD_LIST)
        return ctl_pci_list(c->o.sim, c->o.json);
    if (c->o.device)
        return run_pci(c, &no);
    struct vn_tr_sim_opts so = {.firmware = c->o.firmware, .image_path = c->o.boot_image};
    if ((rc = vn_tr_sim_open(&so, &c->tr)))
        return fail("cannot create the simulated device: %s", strerror(-rc));
    c->m = vn_tr_sim_model(c->tr);
    if ((rc = ctl_traffic_init(&c->t, c->tr, c->o.traffic))) {
        vn_tr_close(c->tr);
        return fail("traffic harness: %s", strerror(-rc));
    }
    if ((rc = vn_net_open(c->tr, &no, &c->n))) {
        ctl_traffic_fini(&c->t);
        vn_tr_close(c->tr);
        if (rc == -EINVAL && (c->o.queues || c->o.ring_size))
            return usage_error("the device cannot be brought up with %s (driver: see above)",
                               c->o.queues ? "that many --queues" : "that --ring-size");
        return fail("bring-up failed: %s", strerror(-rc));
    }
    ctl_traffic_attach(&c->t, c->n);
    banner(c);
    switch (c->o.cmd) {
    case CMD_INFO: rc = cmd_info(c); break;
    case CMD_STATS: rc = cmd_stats(c); break;
    case CMD_RING_SHOW: rc = cmd_ring_show(c); break;
    case CMD_RING_SET: rc = cmd_ring_set(c); break;
    case CMD_QUEUE_RESET: rc = cmd_queue_reset(c); break;
    case CMD_FLASH: rc = ctl_fw_flash(c->tr, vn_net_pci(c->n), c->o.image, c->o.image_len, c->o.json); break;
    case CMD_FW_INFO: rc = ctl_fw_info(vn_net_pci(c->n), c->o.json); break;
    case CMD_FW_ACTIVATE:
        rc = ctl_fw_activate(c->tr, vn_net_pci(c->n), (c->o.given & OPT_SLOT) ? (int)c->o.slot : -1,
                             c->o.json);
        break;
    default: rc = EXIT_USAGE; break;
    }
    struct vn_model_stats ms;
    vn_model_get_stats(c->m, &ms);
    if (ms.dma_faults && rc == 0)
        rc = fail("the device made %" PRIu64 " DMA accesses outside host memory it was given",
                  ms.dma_faults);
    vn_net_close(c->n);
    ctl_traffic_fini(&c->t);
    vn_tr_close(c->tr);
    return rc;
}

int main(int argc, char **argv)
{
    static struct ctl c;
    int rc;

    if ((rc = parse_args(argc, argv, &c.o)))
        return rc;
    if (c.o.help) {
        if (c.o.nwords)
            help_cmd(c.o.words[0]);
        else
            help_main();
        return 0;
    }
    if (c.o.boot_image && !is_core(&c.o))
        return usage_error("--boot-image needs --firmware core");
    if (c.o.device && (c.o.sim || c.o.firmware))
        return usage_error("--device %s: a real PCI function; --sim and --firmware select the "
                           "model instead", c.o.device);
    if ((rc = resolve(&c.o)))
        return rc;
    c.o.traffic = c.o.device ? c.o.traffic : traffic_of(&c.o);
    if (c.o.device && (c.o.traffic || c.o.cmd == CMD_RING_SET))
        return usage_error("%s needs --sim: its traffic loops through the model's MAC",
                           c.o.cmd == CMD_RING_SET ? "'ring set'" : "--traffic");
    if (c.o.cmd == CMD_FLASH && (rc = ctl_fw_load(c.o.words[1], &c.o.image, &c.o.image_len)))
        return rc; /* a bad file never reaches the device */
    vn_log_set(log_to_stderr, &c.o);
    return run(&c);
}
