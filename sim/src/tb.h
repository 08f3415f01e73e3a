/* The testbench: a vionic function on the sim transport, its MAC looped back through a
 * FIFO (with an optional byte-flip fault for negative tests and a pcap tap), and the
 * user-space virtio-net driver on top. */
#ifndef VN_TB_H
#define VN_TB_H

#include <stdint.h>

#include "pcap.h"
#include "vn_model.h"
#include "vn_net.h"
#include "vn_transport.h"

struct tb_opts {
    unsigned queues;      /* queue pairs the driver uses */
    unsigned ring_size;   /* 0: device maximum */
    unsigned rx_buf_len;  /* 0: the driver's default */
    int no_mrg;           /* decline MRG_RXBUF */
    uint64_t features;    /* features the driver may accept (0: all it knows) */
    int indirect;         /* chains in indirect tables, TX header in its own descriptor */
    int packed;           /* take RING_PACKED (else the driver declines it: split rings) */
    uint32_t dma_latency; /* cycles, 0: model default */
    const char *fst_path;
    const char *pcap_path;
    const char *firmware;  /* NULL/"host" or "core" (vn_tr_sim_opts) */
    int64_t corrupt_frame; /* flip a byte of the Nth looped frame (0-based); -1: never */
    int no_loopback;       /* MAC TX frames are counted and dropped (benchmarks) */
};

struct tb_frame {
    uint32_t len;
    uint8_t *data;
};

struct tb {
    struct tb_opts o;
    struct vn_tr *tr;
    struct vn_model *m;
    struct vn_net *net;
    struct vn_pcap *pcap;
    /* loopback FIFO: frames the device sent, waiting for room in the model's RX queue */
    struct tb_frame *fifo;
    unsigned fifo_cap, fifo_head, fifo_count;
    uint64_t mac_tx_frames, mac_tx_bytes, last_tx_cycle, looped;
    int err; /* first testbench-side failure (-errno) */
};

int tb_open(struct tb *tb, const struct tb_opts *o); /* prints why on failure */
void tb_close(struct tb *tb);
/* Move looped frames into the model's RX queue while it has room. */
void tb_pump(struct tb *tb);

#endif
