/* Minimal pcap (libpcap 2.4, Ethernet) writer; timestamps are modeled time. */
#ifndef VN_PCAP_H
#define VN_PCAP_H

#include <stdint.h>
#include <stdio.h>

struct vn_pcap;
int vn_pcap_open(const char *path, struct vn_pcap **out);
int vn_pcap_write(struct vn_pcap *p, uint64_t time_ns, const uint8_t *frame, uint32_t len);
int vn_pcap_close(struct vn_pcap *p); /* 0, or -errno if any write failed */

#endif
