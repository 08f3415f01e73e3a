/* vionic-sim: run a named scenario on the simulated vionic device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "replay.h"
#include "scenario.h"
#include "vn_model.h"

static const char *prog = "vionic-sim";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s [options]\n"
            "Runs a scenario on the cycle model of the vionic virtio-net device (RTL + firmware)\n"
            "driven by the host shim's user-space driver. Exit status 0 = pass, 1 = fail, 2 = usage.\n\n"
            "  --scenario NAME   scenario to run (default demo; --list shows them)\n"
            "  --seed N          seed of the randomised parts (default 1); printed in the summary\n"
            "  --queues N        queue pairs the driver uses (default: all the device has)\n"
            "  --packets N       frames to send (default 2000)\n"
            "  --ring-size N     ring size of each data queue (default: device maximum)\n"
            "  --frame-len N     send frames of N bytes only (60..1514; default mixed)\n"
            "  --rx-buf N        bytes per receive buffer incl. the 12-byte header (13..65562;\n"
            "                    default 1526); smaller ones make frames span buffers\n"
            "  --no-mrg          the driver declines MRG_RXBUF (frames must fit one buffer)\n"
            "  --packed          the driver takes RING_PACKED: packed rings (default split)\n"
            "  --indirect        the driver puts every chain in an indirect table (TX header\n"
            "                    and frame in two descriptors)\n"
            "  --dma-latency N   modeled host round trip in cycles (default 250 = 1 us)\n"
            "  --firmware host|core  who runs the firmware: compiled into this process (host,\n"
            "                    default) or the cross-built image on the device's RV32 core\n"
            "  --trace FILE.fst  write a waveform (slow)\n"
            "  --pcap FILE.pcap  write every frame the device transmits\n"
            "  --json            print the result as one JSON object\n"
            "  --replay FILE     replay a real driver's register trace (../shared/traces format)\n"
            "  --resets N        queue-reset-random: how many reset operations (default 1000)\n"
            "  --corrupt-frame N test hook: flip a byte of the Nth looped-back frame (must fail)\n"
            "  --image FILE      flash-boot, flash-powercut: the firmware image to flash\n"
            "                    (default: the build's vionic-fw-next.img, version 0.2)\n"
            "  --list            list the scenarios\n"
            "  --help            this text\n",
            prog);
}

static void print_json(const struct scen_opts *o, const struct scen_result *r)
{
    struct vn_json j;
    double us = (double)r->cycles * 1e6 / VN_MODEL_CLOCK_HZ;
    vn_json_begin(&j, stdout);
    vn_json_str(&j, "scenario", o->name);
    vn_json_bool(&j, "pass", r->pass);
    vn_json_str(&j, "firmware", o->firmware ? o->firmware : "host");
    vn_json_u64(&j, "seed", o->seed);
    vn_json_u64(&j, "queues", r->queues);
    vn_json_hex(&j, "device_features", r->device_features);
    vn_json_hex(&j, "driver_features", r->driver_features);
    vn_json_u64(&j, "packets", o->packets);
    vn_json_u64(&j, "tx_frames", r->tx_frames);
    vn_json_u64(&j, "rx_frames", r->rx_frames);
    vn_json_u64(&j, "rx_ok", r->rx_ok);
    vn_json_u64(&j, "rx_bad", r->rx_bad);
    vn_json_u64(&j, "missing", r->missing);
    vn_json_u64(&j, "bytes", r->bytes);
    vn_json_u64(&j, "rx_drops", r->rx_drops);
    vn_json_u64(&j, "irqs", r->irqs);
    vn_json_u64(&j, "dma_reads", r->dma_reads);
    vn_json_u64(&j, "dma_writes", r->dma_writes);
    vn_json_u64(&j, "dma_faults", r->dma_faults);
    if (r->resets || r->dev_resets) {
        vn_json_u64(&j, "queue_resets", r->resets);
        vn_json_u64(&j, "device_resets", r->dev_resets);
        vn_json_u64(&j, "reclaimed", r->reclaimed);
        vn_json_dbl(&j, "reset_cycles_mean", r->reset_cycles_mean);
        vn_json_u64(&j, "reset_cycles_max", r->reset_cycles_max);
    }
    if (r->fw.used) {
        char v[16];
        vn_json_obj(&j, "fw_update");
        snprintf(v, sizeof v, "%u.%u", r->fw.version_before >> 16, r->fw.version_before & 0xffff);
        vn_json_str(&j, "version_before", v);
        snprintf(v, sizeof v, "%u.%u", r->fw.version_after >> 16, r->fw.version_after & 0xffff);
        vn_json_str(&j, "version_after", v);
        vn_json_hex(&j, "boot_status_after", r->fw.boot_status_after);
        vn_json_u64(&j, "image_bytes", r->fw.image_bytes);
        vn_json_u64(&j, "flash_cycles", r->fw.flash_cycles);
        vn_json_dbl(&j, "flash_wall_s", r->fw.flash_wall_s);
        vn_json_u64(&j, "boot_cycles", r->fw.boot_cycles);
        vn_json_dbl(&j, "boot_wall_s", r->fw.boot_wall_s);
        if (r->fw.cuts) {
            vn_json_u64(&j, "cuts", r->fw.cuts);
            vn_json_u64(&j, "cuts_survived", r->fw.cuts_ok);
        }
        vn_json_close(&j, '}');
    }
    vn_json_u64(&j, "traffic_cycles", r->cycles);
    vn_json_u64(&j, "total_cycles", r->total_cycles);
    vn_json_dbl(&j, "modeled_mpps", us > 0 ? (double)r->rx_ok / us : 0);
    vn_json_dbl(&j, "modeled_gbps", us > 0 ? (double)r->bytes * 8 / us / 1e3 : 0);
    vn_json_dbl(&j, "wall_s", r->wall_s);
    vn_json_dbl(&j, "sim_cycles_per_s", r->wall_s > 0 ? (double)r->total_cycles / r->wall_s : 0);
    if (r->error[0])
        vn_json_str(&j, "error", r->error);
    vn_json_end(&j);
}

static void print_human(const struct scen_opts *o, const struct scen_result *r)
{
    double us = (double)r->cycles * 1e6 / VN_MODEL_CLOCK_HZ;
    printf("vionic-sim: scenario %s, seed %llu, %u queue pair%s%s\n", o->name,
           (unsigned long long)o->seed, r->queues, r->queues == 1 ? "" : "s",
           o->firmware && !strcmp(o->firmware, "core") ? ", firmware on the RV32 core" : "");
    printf("  features   device 0x%llx, negotiated 0x%llx\n", (unsigned long long)r->device_features,
           (unsigned long long)r->driver_features);
    if (r->tx_frames || r->rx_frames) {
        printf("  frames     %llu sent, %llu received intact, %llu bad, %llu missing, %llu dropped\n",
               (unsigned long long)r->tx_frames, (unsigned long long)r->rx_ok,
               (unsigned long long)r->rx_bad, (unsigned long long)r->missing,
               (unsigned long long)r->rx_drops);
        printf("  modeled    %llu cycles = %.1f us at 250 MHz: %.3f Mpps, %.2f Gb/s (TX+RX loop)\n",
               (unsigned long long)r->cycles, us, us > 0 ? (double)r->rx_ok / us : 0,
               us > 0 ? (double)r->bytes * 8 / us / 1e3 : 0);
        if (r->resets || r->dev_resets)
            printf("  resets     %llu queue resets (driver-seen latency mean %.0f, worst %llu "
                   "cycles), %llu device resets, %llu frames reclaimed\n",
                   (unsigned long long)r->resets, r->reset_cycles_mean,
                   (unsigned long long)r->reset_cycles_max, (unsigned long long)r->dev_resets,
                   (unsigned long long)r->reclaimed);
        printf("  host       %llu interrupts, %llu DMA reads, %llu DMA writes, %llu faults\n",
               (unsigned long long)r->irqs, (unsigned long long)r->dma_reads,
               (unsigned long long)r->dma_writes, (unsigned long long)r->dma_faults);
    }
    if (r->fw.used) {
        printf("  firmware   %u.%u -> %u.%u (boot status 0x%x); image %llu bytes\n",
               r->fw.version_before >> 16, r->fw.version_before & 0xffff,
               r->fw.version_after >> 16, r->fw.version_after & 0xffff, r->fw.boot_status_after,
               (unsigned long long)r->fw.image_bytes);
        printf("  update     flash %llu cycles (%.2f s wall), boot %llu cycles (%.2f s wall)\n",
               (unsigned long long)r->fw.flash_cycles, r->fw.flash_wall_s,
               (unsigned long long)r->fw.boot_cycles, r->fw.boot_wall_s);
        if (r->fw.cuts)
            printf("  cuts       %u power cuts, the device booted a whole image after %u\n",
                   r->fw.cuts, r->fw.cuts_ok);
    }
    printf("  simulator  %llu cycles in %.2f s wall = %.2f M cycles/s\n",
           (unsigned long long)r->total_cycles, r->wall_s,
           r->wall_s > 0 ? (double)r->total_cycles / r->wall_s / 1e6 : 0);
    if (r->pass)
        printf("PASS\n");
    else
        printf("FAIL: %s\n", r->error[0] ? r->error : "see above");
}

static int run_replay(const char *path, const struct scen_opts *o, int json)
{
    struct vn_replay_opts ro = {.dma_latency = o->dma_latency, .fst_path = o->fst_path,
                                .firmware = o->firmware, .progress = o->verbose};
    struct vn_replay_result r;
    double t0 = vn_wall_seconds();
    int rc = vn_replay_run(path, &ro, &r);
    double wall = vn_wall_seconds() - t0;
    if (json) {
        struct vn_json j;
        vn_json_begin(&j, stdout);
        vn_json_str(&j, "replay", path);
        vn_json_bool(&j, "pass", r.pass);
        vn_json_u64(&j, "accesses", r.ops);
        vn_json_u64(&j, "violations", r.violations);
        vn_json_u64(&j, "differences", r.differences);
        vn_json_u64(&j, "skipped", r.skipped);
        vn_json_u64(&j, "poll_reads", r.polls);
        vn_json_u64(&j, "queue_resets", r.queue_resets);
        vn_json_u64(&j, "dma_accesses", r.dma_accesses);
        vn_json_u64(&j, "msi_writes", r.msi_writes);
        vn_json_u64(&j, "cycles", r.cycles);
        vn_json_dbl(&j, "wall_s", wall);
        if (r.error[0])
            vn_json_str(&j, "error", r.error);
        vn_json_end(&j);
    } else {
        printf("vionic-sim: replay of %s\n", path);
        printf("  %llu accesses, %llu extra poll reads, %llu queue resets completed, %llu cycles\n",
               (unsigned long long)r.ops, (unsigned long long)r.polls,
               (unsigned long long)r.queue_resets, (unsigned long long)r.cycles);
        printf("  %llu values differ from the reference device (allowed), %llu platform accesses "
               "skipped\n  %llu device DMA accesses, %llu MSI-X messages\n",
               (unsigned long long)r.differences, (unsigned long long)r.skipped,
               (unsigned long long)r.dma_accesses, (unsigned long long)r.msi_writes);
        if (r.pass)
            printf("PASS\n");
        else
            printf("FAIL: %s\n", r.error[0] ? r.error : "protocol violation");
    }
    if (rc && !r.pass && !json)
        fprintf(stderr, "%s: %s\n", prog, r.error);
    return r.pass ? 0 : 1;
}

int main(int argc, char **argv)
{
    struct scen_opts o = {.name = "demo", .seed = 1, .packets = 2000, .corrupt_frame = -1};
    int json = 0;
    const char *replay = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
#define NUM(opt, lo, hi, dst)                                                                 \
    if (!strcmp(a, opt)) {                                                                    \
        if (vn_cli_u64(prog, opt, v, lo, hi, &n))                                             \
            return 2;                                                                         \
        dst = n;                                                                              \
        i++;                                                                                  \
        continue;                                                                             \
    }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!strcmp(a, "--list")) {
            for (const struct scenario *s = vn_scenarios; s->name; s++)
                printf("%-12s %s\n", s->name, s->summary);
            return 0;
        }
        if (!strcmp(a, "--json")) {
            json = 1;
            continue;
        }
        if (!strcmp(a, "--indirect")) {
            o.indirect = 1;
            continue;
        }
        if (!strcmp(a, "--packed")) {
            o.packed = 1;
            continue;
        }
        if (!strcmp(a, "--no-mrg")) {
            o.no_mrg = 1;
            continue;
        }
        if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            o.verbose = 1;
            continue;
        }
        NUM("--seed", 0, UINT64_MAX, o.seed)
        NUM("--queues", 1, 64, o.queues)
        NUM("--packets", 1, 100000000, o.packets)
        NUM("--ring-size", 1, 32768, o.ring_size)
        NUM("--frame-len", 60, 1514, o.frame_len)
        NUM("--rx-buf", 13, 65562, o.rx_buf_len)
        NUM("--dma-latency", 1, 100000, o.dma_latency)
        NUM("--corrupt-frame", 0, UINT64_MAX >> 1, o.corrupt_frame)
        NUM("--resets", 1, 10000000, o.resets)
#undef NUM
        if (!strcmp(a, "--scenario") || !strcmp(a, "--trace") || !strcmp(a, "--pcap") ||
            !strcmp(a, "--replay") || !strcmp(a, "--firmware") || !strcmp(a, "--image")) {
            if (!v) {
                fprintf(stderr, "%s: %s needs a value (see --help)\n", prog, a);
                return 2;
            }
            if (!strcmp(a, "--scenario"))
                o.name = v;
            else if (!strcmp(a, "--replay"))
                replay = v;
            else if (!strcmp(a, "--trace"))
                o.fst_path = v;
            else if (!strcmp(a, "--image"))
                o.image_path = v;
            else if (!strcmp(a, "--firmware")) {
                if (strcmp(v, "host") && strcmp(v, "core")) {
                    fprintf(stderr, "%s: --firmware takes host or core, got '%s'\n", prog, v);
                    return 2;
                }
                o.firmware = v;
            }
            else
                o.pcap_path = v;
            i++;
            continue;
        }
        fprintf(stderr, "%s: unknown option '%s' (see --help)\n", prog, a);
        return 2;
    }
    if (replay)
        return run_replay(replay, &o, json);
    const struct scenario *s = vn_scenario_find(o.name);
    if (!s) {
        fprintf(stderr, "%s: no scenario '%s'; --list shows them\n", prog, o.name);
        return 2;
    }
    struct scen_result r;
    memset(&r, 0, sizeof(r));
    double t0 = vn_wall_seconds();
    s->run(&o, &r);
    r.wall_s = vn_wall_seconds() - t0;
    if (json)
        print_json(&o, &r);
    else
        print_human(&o, &r);
    return r.pass ? 0 : 1;
}
