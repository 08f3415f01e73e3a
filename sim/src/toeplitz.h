/* The Toeplitz hash of virtio-net RSS and hash report (virtio 1.2, "Hash calculation
 * for incoming packets"): the reference rtl-model/rtl/vn_toeplitz.sv is checked against.
 * Not yet used by the RX path. */
#ifndef VN_TOEPLITZ_H
#define VN_TOEPLITZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* virtio caps the key at 40 bytes; 36 input bytes (IPv6 addresses and ports) then use
 * every key bit but the last. */
#define VN_TOEPLITZ_KEY_MAX 40
#define VN_TOEPLITZ_IN_MAX 36

/* Bit i of `in` (MSB of in[0] first) XORs in key bits i..i+31.  Key bits past key_len
 * count as zero, so a key shorter than in_len + 4 bytes still gives a defined hash. */
uint32_t vn_toeplitz(const uint8_t *key, size_t key_len, const uint8_t *in, size_t in_len);

/* The hash input of the IPv4 (with_ports false) and TCPv4/UDPv4 (true) hash types:
 * addresses and ports are numbers here (0xc0a86401 is 192.168.100.1) and come out in
 * network order.  Returns the bytes written, 8 or 12. */
size_t vn_rss_input_ipv4(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                         bool with_ports, uint8_t out[12]);

/* The same for IPv6 and TCPv6/UDPv6 (and their _EX types, which only pick other
 * addresses); addresses as on the wire.  Returns 32 or 36. */
size_t vn_rss_input_ipv6(const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
                         uint16_t dport, bool with_ports, uint8_t out[36]);

#ifdef __cplusplus
}
#endif

#endif
