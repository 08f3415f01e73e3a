// vq_rx_cls: what happens to a received frame, decided once it is whole.  vq_rx_in hands
// over the frame's first beat, the ones' complement sum of all of it and its length; four
// cycles later (one frame a cycle) come the receive filter's verdict, the queue pair,
// the RSS hash and its report type, and whether the TCP/UDP checksum verified.
//
//   A  registered input
//   B  parse (Ethernet, one 802.1Q tag, IPv4/IPv6, TCP/UDP), filter, checksum, hash input
//   C,D Toeplitz (vn_toeplitz, 2 cycles)
//   D  indirection table (or the legacy XOR steering), out
//
// Only the first 80 bytes are parsed (the first beat and 16 bytes of the second): an IPv4
// header with options long enough to push the ports past them hashes as plain IPv4 and
// is not checksum-checked.  The checksum is
// the frame's sum minus the bytes before the L4 header (and the padding after the IP
// datagram, which only a frame of one beat can have; any other trailing bytes leave the
// checksum unchecked).
//
// Firmware writes the RXF_* and RSS_* CSRs through cw_*.  RSS writes go to a staging copy
// that a write of RSS_CTRL makes active at once, so no frame sees half a configuration.
`default_nettype none
module vq_rx_cls
  import vionic_regs_pkg::*;
#(
  parameter int NP = 4,
  parameter int TW = 8      // the caller's per-frame tag, carried along
) (
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic                 cw_valid,
  input  wire logic [11:0]          cw_addr,
  input  wire logic [31:0]          cw_data,
  output logic [31:0]               rxf_ctrl_q,
  output logic [31:0]               rss_ctrl_q,
  input  wire logic [7:0]           rx_queue_pairs,
  input  wire logic                 in_valid,
  input  wire logic [511:0]         in_b0,     // the frame's first 64 bytes
  input  wire logic [127:0]         in_b1,     // and the 16 after them (garbage past its end)
  input  wire logic [31:0]          in_sum,    // 16-bit words of it all (byte 0 low), summed
  input  wire logic [12:0]          in_len,
  input  wire logic [TW-1:0]        in_tag,
  output logic                      out_valid,
  output logic [TW-1:0]             out_tag,
  output logic                      out_filt,  // refused by the receive filter
  output logic [((NP > 1) ? $clog2(NP) : 1)-1:0] out_p,
  output logic [31:0]               out_hash,
  output logic [3:0]                out_rep,   // HASH_REPORT_*
  output logic                      out_csum_ok,
  output logic                      out_csum_bad
);
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int NM = RXF_MAC_ENTRIES;
  localparam int NT = RSS_TABLE_LEN;
  localparam int TIW = $clog2(NT);

  // ---- configuration ---------------------------------------------------------------
  logic [6:0]        rxf;
  logic [47:0]       own;
  logic [NM-1:0]     mv;
  logic [NM-1:0][47:0] mt;
  logic [4:0]        midx;
  logic [31:0]       mlo;
  logic [127:0][31:0] vlan;
  logic [6:0]        vidx;
  // RSS: staged (s_*) and active
  logic [31:0]       a_ctrl;        // RSS_CTRL is not staged: its write commits
  logic [15:0]       s_unc, a_unc;
  logic [TIW-1:0]    s_mask, a_mask;
  logic [NT-1:0][PW-1:0] s_tbl, a_tbl;
  logic [TIW-1:0]    tidx;
  logic [9:0][31:0]  s_key, a_key;
  assign rxf_ctrl_q = 32'(rxf);
  assign rss_ctrl_q = a_ctrl;

  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [PW-1:0] qpair(input logic [31:0] v);
    return (v[15:0] < 16'(NP)) ? PW'(v[15:0]) : '0;
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      rxf    <= 7'(RXF_PROMISC);
      own    <= '0;
      mv     <= '0;
      midx   <= '0;
      vidx   <= '0;
      vlan   <= '0;
      a_ctrl <= '0;
      s_unc  <= '0;
      a_unc  <= '0;
      s_mask <= '0;
      a_mask <= '0;
      s_tbl  <= '0;
      a_tbl  <= '0;
      tidx   <= '0;
      s_key  <= '0;
      a_key  <= '0;
    end else if (cw_valid) begin
      case (cw_addr)
        12'(FW_RXF_CTRL):     rxf <= cw_data[6:0];
        12'(FW_RXF_OWN_LO):   own[31:0] <= cw_data;
        12'(FW_RXF_OWN_HI):   own[47:32] <= cw_data[15:0];
        12'(FW_RXF_MAC_IDX):  midx <= cw_data[4:0];
        12'(FW_RXF_MAC_LO):   mlo <= cw_data;
        12'(FW_RXF_MAC_HI): begin
          mt[midx] <= {cw_data[15:0], mlo};
          mv[midx] <= cw_data[31];
        end
        12'(FW_RXF_VLAN_IDX):  vidx <= cw_data[6:0];
        12'(FW_RXF_VLAN_DATA): vlan[vidx] <= cw_data;
        12'(FW_RSS_UNCLASS):   s_unc <= cw_data[15:0];
        12'(FW_RSS_MASK):      s_mask <= TIW'(cw_data);
        12'(FW_RSS_TBL_IDX):   tidx <= TIW'(cw_data);
        12'(FW_RSS_TBL_DATA):  s_tbl[tidx] <= qpair(cw_data);
        12'(FW_RSS_CTRL): begin
          a_ctrl <= cw_data;
          a_unc  <= s_unc;
          a_mask <= s_mask;
          a_tbl  <= s_tbl;
          a_key  <= s_key;
        end
        default: begin
          for (int i = 0; i < 10; i++)
            if (cw_addr == 12'(FW_RSS_KEY0 + 4 * i)) s_key[i] <= cw_data;
        end
      endcase
    end
  end

  // ---- A: input register -----------------------------------------------------------
  logic          a_v;
  logic [639:0]  a_b;
  logic [31:0]   a_sum;
  logic [12:0]   a_len;
  logic [TW-1:0] a_tag;
  always_ff @(posedge clk) begin
    if (!rst_n) a_v <= 1'b0;
    else a_v <= in_valid;
    if (in_valid) begin
      a_b   <= {in_b1, in_b0};
      a_sum <= in_sum;
      a_len <= in_len;
      a_tag <= in_tag;
    end
  end

  // ---- B: parse --------------------------------------------------------------------
  // bytes past the 80 kept read as 0 (the callers check the offsets they rely on)
  function automatic logic [7:0] by(input logic [639:0] d, input int i);
    return (i >= 0 && i < 80) ? d[8*(i % 80) +: 8] : 8'd0;
  endfunction
  function automatic logic [15:0] be16(input logic [639:0] d, input int i);
    return {by(d, i), by(d, i + 1)};
  endfunction
  function automatic logic [31:0] fold(input logic [31:0] s);
    logic [31:0] t;
    t = {16'd0, s[15:0]} + {16'd0, s[31:16]};
    t = {16'd0, t[15:0]} + {16'd0, t[31:16]};
    return t;
  endfunction

  logic        vtag, v4, v6, tcp, udp, ports, l4ok, bcast, mcast, fpass, mhit, vok;
  logic [11:0] vid;
  logic [6:0]  o;            // L3 offset
  logic [7:0]  proto, vih;   // IP version/IHL byte
  logic [6:0]  l4s;          // L4 offset (< 64 when usable)
  logic [16:0] l3e;          // end of the IP datagram
  logic [47:0] dmac;
  logic [287:0] hd;
  logic [31:0] pseudo, masked, tot, fsum;
  logic        csum_chk;
  logic [7:0]  lx;           // legacy steering: XOR of bytes 26..37 of an IPv4 frame
  always_comb begin
    dmac   = a_b[47:0];
    vtag = be16(a_b, 12) == 16'h8100;
    vid    = 12'(be16(a_b, 14));
    o      = vtag ? 7'd18 : 7'd14;
    vih    = by(a_b, int'(o));
    v4 = 1'b0; v6 = 1'b0; tcp = 1'b0; udp = 1'b0; ports = 1'b0;
    proto = '0; l4s = '0; l3e = '0;
    hd = '0;
    pseudo = '0;
    // (worked out only for a frame that is there: the cycle model evaluates this every cycle)
    if (a_v && be16(a_b, int'(o) - 2) == 16'h0800 && vih[7:4] == 4'd4 &&
        vih[3:0] >= 4'd5 && 13'(o) + 13'd20 <= a_len) begin
      v4    = 1'b1;
      proto = by(a_b, int'(o) + 9);
      l4s   = o + 7'({vih[3:0], 2'b00});
      l3e   = 17'(o) + 17'(be16(a_b, int'(o) + 2));
      // a fragment has no (or not the whole) L4 header
      if ((be16(a_b, int'(o) + 6) & 16'h3fff) == '0) begin
        tcp = proto == 8'd6;
        udp = proto == 8'd17;
      end
      for (int i = 0; i < 8; i++) hd[8*i +: 8] = by(a_b, int'(o) + 12 + i);
      pseudo = {16'd0, be16(a_b, int'(o) + 12)} + {16'd0, be16(a_b, int'(o) + 14)} +
               {16'd0, be16(a_b, int'(o) + 16)} + {16'd0, be16(a_b, int'(o) + 18)} +
               32'(proto) + 32'(17'(l3e - 17'(l4s)));
    end else if (a_v && be16(a_b, int'(o) - 2) == 16'h86dd && vih[7:4] == 4'd6 &&
                 13'(o) + 13'd40 <= a_len) begin
      v6    = 1'b1;
      proto = by(a_b, int'(o) + 6);
      l4s   = o + 7'd40;
      l3e   = 17'(o) + 17'd40 + 17'(be16(a_b, int'(o) + 4));
      tcp   = proto == 8'd6;
      udp   = proto == 8'd17;
      for (int i = 0; i < 32; i++) hd[8*i +: 8] = by(a_b, int'(o) + 8 + i);
      for (int i = 0; i < 16; i++) pseudo = pseudo + {16'd0, be16(a_b, int'(o) + 8 + 2 * i)};
      pseudo = pseudo + 32'(proto) + 32'(17'(l3e - 17'(l4s)));
    end
    ports = (tcp || udp) && l4s + 7'd4 <= 7'd80 && 17'(l4s) + 17'd4 <= 17'(a_len) &&
            l3e <= 17'(a_len);
    for (int i = 0; i < 4; i++) hd[8*(v6 ? 32 + i : 8 + i) +: 8] = by(a_b, int'(l4s) + i);

    // L4 checksum: the frame's sum less what is not the segment, plus the pseudo header
    l4ok = ports && 17'(l4s) + (tcp ? 17'd20 : 17'd8) <= l3e &&
           (l3e == 17'(a_len) || a_len <= 13'd64);
    // a UDP checksum of 0 is "none" (IPv4) or invalid (IPv6): never DATA_VALID
    csum_chk = l4ok && !(udp && (l4s + 7'd8 > 7'd80 || be16(a_b, int'(l4s) + 6) == '0));
    masked = '0;
    if (l4ok)
    for (int i = 0; i < 40; i++) begin
      if (7'(2 * i) < l4s || (17'(2 * i) >= l3e && 13'(2 * i) < a_len))
        masked = masked + {16'd0, by(a_b, 2 * i), 8'd0};
      if (7'(2 * i + 1) < l4s || (17'(2 * i + 1) >= l3e && 13'(2 * i + 1) < a_len))
        masked = masked + {24'd0, by(a_b, 2 * i + 1)};
    end
    fsum = fold(a_sum);
    tot  = fold({16'd0, fsum[7:0], fsum[15:8]} + (fold(masked) ^ 32'hffff) + fold(pseudo));

    // receive filter (the order QEMU's receive_filter uses)
    bcast = dmac == '1;
    mcast = dmac[0];
    mhit  = 1'b0;
    if (a_v)
      for (int i = 0; i < NM; i++) if (mv[i] && mt[i] == dmac) mhit = 1'b1;
    vok   = (rxf & 7'(RXF_VLAN)) == '0 || !vtag || vlan[vid[11:5]][vid[4:0]];
    if ((rxf & 7'(RXF_PROMISC)) != '0)      fpass = 1'b1;
    else if (!vok)                  fpass = 1'b0;
    else if (bcast)                 fpass = (rxf & 7'(RXF_NOBCAST)) == '0;
    else if (mcast)                 fpass = (rxf & 7'(RXF_NOMULTI)) == '0 &&
                                            ((rxf & 7'(RXF_ALLMULTI)) != '0 || mhit);
    else                            fpass = (rxf & 7'(RXF_NOUNI)) == '0 &&
                                            ((rxf & 7'(RXF_ALLUNI)) != '0 || dmac == own || mhit);

    lx = '0;
    if (be16(a_b, 12) == 16'h0800 && a_len >= 13'd38)
      for (int i = 26; i < 38; i++) lx = lx ^ by(a_b, i);
  end

  // hash type: the most specific enabled one the frame has (virtio 5.1.6.4.3.1)
  logic [3:0] rep;
  logic [5:0] hlen;
  always_comb begin
    rep  = 4'(HASH_REPORT_NONE);
    hlen = '0;
    if (v4) begin
      if (ports && tcp && a_ctrl[1])      begin rep = 4'(HASH_REPORT_TCPV4); hlen = 6'd12; end
      else if (ports && udp && a_ctrl[2]) begin rep = 4'(HASH_REPORT_UDPV4); hlen = 6'd12; end
      else if (a_ctrl[0])                 begin rep = 4'(HASH_REPORT_IPV4);  hlen = 6'd8;  end
    end else if (v6) begin
      if (ports && tcp && a_ctrl[4])      begin rep = 4'(HASH_REPORT_TCPV6); hlen = 6'd36; end
      else if (ports && udp && a_ctrl[5]) begin rep = 4'(HASH_REPORT_UDPV6); hlen = 6'd36; end
      else if (a_ctrl[3])                 begin rep = 4'(HASH_REPORT_IPV6);  hlen = 6'd32; end
    end
  end

  logic          b_v, b_filt, b_cok, b_cbad;
  logic [3:0]    b_rep;
  logic [7:0]    b_lx;
  logic [TW-1:0] b_tag;
  logic [287:0]  b_hd;
  logic [5:0]    b_hlen;
  always_ff @(posedge clk) begin
    if (!rst_n) b_v <= 1'b0;
    else b_v <= a_v;
    if (a_v) begin
      b_filt <= !fpass;
      b_cok  <= csum_chk && tot[15:0] == 16'hffff;
      b_cbad <= csum_chk && tot[15:0] != 16'hffff;
      b_rep  <= rep;
      b_lx   <= lx;
      b_tag  <= a_tag;
      b_hd   <= hd;
      b_hlen <= hlen;
    end
  end

  // ---- C, D: hash ------------------------------------------------------------------
  logic        h_v;
  logic [31:0] h;
  vn_toeplitz #(.IN_BYTES(36), .KEY_BYTES(40)) u_hash (
    .clk, .rst_n, .in_valid(b_v), .in_data(b_hd), .in_len(b_hlen), .key(a_key),
    .out_valid(h_v), .out_hash(h));

  logic [1:0]         c_v;
  logic [1:0]         c_filt, c_cok, c_cbad;
  logic [1:0][3:0]    c_rep;
  logic [1:0][7:0]    c_lx;
  logic [1:0][TW-1:0] c_tag;
  always_ff @(posedge clk) begin
    if (!rst_n) c_v <= '0;
    else c_v <= {c_v[0], b_v};
    c_filt <= {c_filt[0], b_filt};
    c_cok  <= {c_cok[0], b_cok};
    c_cbad <= {c_cbad[0], b_cbad};
    c_rep  <= {c_rep[0], b_rep};
    c_lx   <= {c_lx[0], b_lx};
    c_tag  <= {c_tag[0], b_tag};
  end

  logic [7:0] pairs;
  always_comb begin
    pairs = rx_queue_pairs;
    if (pairs == '0) pairs = 8'd1;
    if (int'(pairs) > NP) pairs = 8'(NP);
    if ((a_ctrl & 32'(RSS_EN)) == '0)       out_p = PW'(c_lx[1] % pairs);
    else if (c_rep[1] == 4'(HASH_REPORT_NONE)) out_p = qpair({16'd0, a_unc});
    else                               out_p = a_tbl[TIW'(h) & a_mask];
  end
  assign out_valid    = c_v[1];
  assign out_tag      = c_tag[1];
  assign out_filt     = c_filt[1];
  assign out_hash     = c_rep[1] == 4'(HASH_REPORT_NONE) ? '0 : h;
  assign out_rep      = c_rep[1];
  assign out_csum_ok  = c_cok[1];
  assign out_csum_bad = c_cbad[1];
  /* verilator lint_off UNUSEDSIGNAL */
  logic unused;
  assign unused = h_v ^ ^tot[31:16] ^ ^fsum[31:16];
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
`default_nettype wire
