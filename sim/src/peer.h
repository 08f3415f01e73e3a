/* The wire peer on the device's MAC side: what sits at the other end of the cable.
 * Loopback hands every frame straight back; the responder is a tiny host that answers ARP
 * and ICMP echo for one address, so a real driver's `ping` gets answers. */
#ifndef VN_PEER_H
#define VN_PEER_H

#include <stdint.h>

enum vn_peer_mode { VN_PEER_LOOPBACK, VN_PEER_RESPONDER };

struct vn_peer_cfg {
    enum vn_peer_mode mode;
    uint8_t mac[6];        /* responder's MAC (unicast, non-zero) */
    uint32_t ip;           /* responder's IPv4, host byte order (non-zero) */
    const char *pcap_path; /* NULL: none; else every frame both ways is written */
};

/* rx_* count frames from the device, tx_* frames toward it. *_requests count every
 * well-formed request seen, whatever address it asks for; one that is not for us is also
 * counted in dropped. In responder mode rx_frames == arp_replies + icmp_replies + dropped. */
struct vn_peer_stats {
    uint64_t rx_frames, rx_bytes, tx_frames, tx_bytes, arp_requests, arp_replies,
        icmp_requests, icmp_replies, dropped /* not for us / malformed */;
    uint64_t csum_errors;  /* IPv4 header or ICMP checksum wrong (also in dropped) */
    uint64_t pcap_records; /* records written to the pcap, both directions */
};

/* emit: called for each frame the peer sends toward the device (synchronously, from
 * inside vn_peer_input). The frame is only valid during the call. The callback may call
 * vn_peer_input again (a device that answers at once): the peer is re-entrant. */
typedef void (*vn_peer_emit_fn)(void *ctx, const uint8_t *frame, uint32_t len);

struct vn_peer;
struct vn_peer *vn_peer_new(const struct vn_peer_cfg *cfg, vn_peer_emit_fn emit,
                            void *ctx); /* NULL + errno */
void vn_peer_free(struct vn_peer *p);
/* Like vn_peer_free, but reports whether the pcap was written completely: 0 or -errno. */
int vn_peer_close(struct vn_peer *p);

/* A frame the device transmitted. Any length is safe; the peer never reads past len. */
void vn_peer_input(struct vn_peer *p, const uint8_t *frame, uint32_t len);
void vn_peer_get_stats(const struct vn_peer *p, struct vn_peer_stats *st);

/* Timestamp for the following pcap records (modelled time). Without it, or when time does
 * not advance, records are spaced 1 us apart so the capture stays ordered. */
void vn_peer_set_time(struct vn_peer *p, uint64_t time_ns);

int vn_peer_parse_ip(const char *s, uint32_t *ip);      /* dotted quad, -EINVAL otherwise */
int vn_peer_parse_mac(const char *s, uint8_t mac[6]);   /* aa:bb:cc:dd:ee:ff (or '-'), -EINVAL */

#endif
