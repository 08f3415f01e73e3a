/* Wires sim/src/peer.h's responder to the model's MAC: TX frames go to the peer, its
 * replies come back as MAC receive frames. */
#include <errno.h>
#include <stdio.h>

#include "peer.h"
#include "rdev_sim.h"
#include "vn_model.h"

static struct vn_peer *peer;
static struct vn_model *model;

static void to_peer(void *ctx, const uint8_t *frame, uint32_t len)
{
    (void)ctx;
    vn_peer_input(peer, frame, len);
}

static void to_device(void *ctx, const uint8_t *frame, uint32_t len)
{
    (void)ctx;
    if (vn_model_mac_rx(model, frame, len))
        fprintf(stderr, "rdev-sim: model RX queue full, peer frame dropped\n");
}

int rdev_sim_open(uint32_t ip, const uint8_t mac[6], struct vn_tr **out)
{
    struct vn_peer_cfg cfg = {.mode = VN_PEER_RESPONDER, .ip = ip};
    int rc = vn_tr_sim_open(NULL, out);

    if (rc)
        return rc;
    for (int i = 0; i < 6; i++)
        cfg.mac[i] = mac[i];
    peer = vn_peer_new(&cfg, to_device, NULL);
    if (!peer) {
        rc = -errno;
        vn_tr_close(*out);
        *out = NULL;
        return rc;
    }
    model = vn_tr_sim_model(*out);
    struct vn_model_mac m = {NULL, to_peer}; /* the model keeps a copy */
    vn_model_set_mac(model, &m);
    return 0;
}

void rdev_sim_close(struct vn_tr *tr)
{
    if (model)
        vn_model_set_mac(model, NULL);
    vn_tr_close(tr);
    vn_peer_free(peer);
    peer = NULL;
    model = NULL;
}
