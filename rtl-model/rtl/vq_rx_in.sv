// vq_rx_in: the MAC side of receive.  Frames go to a circular frame buffer of NL lines,
// each line-aligned and shifted by the size of the virtio-net header it will get (12
// bytes, 20 with HDR_HASH), so that the writer later sees header and frame as one byte
// stream; it reads any 64 bytes of it through the rotating read port, and lays the
// header's contents over the first bytes (vq_rx_out).  While the data path is off frames
// are sunk at line rate and counted.  Once a frame is whole, vq_rx_cls decides from its
// first beat and its sum what becomes of it (filter, queue pair, hash, checksum); four
// cycles later it is pushed to the writer's queue with that verdict - a frame the filter
// refused or whose queue is not RUNNING too: the writer drops it in order, which is what
// frees its lines.
`default_nettype none
module vq_rx_in
  import vionic_regs_pkg::*;
#(
  parameter int NP   = 4,
  parameter int NL   = 512,    // buffer lines, power of two
  parameter int MAXF = 2048    // longest frame delivered
) (
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic                 datapath_en,
  input  wire logic [7:0]           rx_queue_pairs,
  input  wire logic [NP-1:0][7:0]   gen,
  input  wire logic                 hdr_hash,     // 20-byte headers (HASH_REPORT)
  input  wire logic                 rx_csum,      // DATA_VALID for verified checksums
  input  wire logic                 cw_valid,     // RXF_* / RSS_* CSR writes
  input  wire logic [11:0]          cw_addr,
  input  wire logic [31:0]          cw_data,
  output logic [31:0]               rxf_ctrl_q,
  output logic [31:0]               rss_ctrl_q,
  input  wire logic                 s_axis_rx_tvalid,
  output logic                      s_axis_rx_tready,
  input  wire logic [511:0]         s_axis_rx_tdata,
  input  wire logic [63:0]          s_axis_rx_tkeep,
  input  wire logic                 s_axis_rx_tlast,
  // frames written
  output logic                      f_push,
  input  wire logic                 f_full,       // no room for the frames in vq_rx_cls
  output logic [15:0]               f_p,
  output logic [38:0]               f_meta,       // {filt, h20, data_valid, report, hash}
  output logic [7:0]                f_gen,
  output logic [11:0]               f_len,
  output logic [$clog2(NL)-1:0]     f_start,
  input  wire logic [$clog2(NL):0]  bh,           // lines freed by the writer
  input  wire logic                 rd_en,        // rd_data is used this cycle
  input  wire logic [$clog2(NL)+5:0] rd_off,      // byte offset in the buffer
  output logic [511:0]              rd_data,
  output logic                      drop,
  output logic                      cnt_filt,
  output logic                      cnt_csum_bad
);
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int LW = $clog2(NL);
  localparam int KMAX = (MAXF + 63) / 64;        // beats of the longest frame
  if (NL < 2 * (KMAX + 2) || (NL & (NL - 1)) != 0) begin : g_bad
    $error("vq_rx_in: NL must be a power of two holding two of the longest frames");
  end
  if (MAXF > 4095) begin : g_bad_len
    $error("vq_rx_in: MAXF must fit in 12 bits");
  end

  logic [511:0] bank0 [NL/2];
  logic [511:0] bank1 [NL/2];
  logic [LW:0]  bt;                 // lines of complete frames (free-running)

  logic          inf, idrop, ih20;
  logic [511:0]  b0;                // the frame's first beat
  logic [127:0]  b1;                // the first 16 bytes of its second
  logic [31:0]   sum;               // big-endian 16-bit words of the beats so far
  logic [6:0]    k;                 // beats seen, saturating at KMAX+1
  logic [12:0]   flen;              // bytes, saturating

  // ---- steering ---------------------------------------------------------------------
  // (worked out only for a beat that is there: the cycle model evaluates this every cycle)
  logic [6:0] nb;
  always_comb begin
    nb = 7'd64;
    if (s_axis_rx_tvalid && s_axis_rx_tlast) begin
      nb = 7'd0;
      for (int i = 0; i < 64; i++) if (s_axis_rx_tkeep[i]) nb = 7'(i + 1);
    end
  end
  logic          c_drop, c_write, c_space, c_h20;
  logic [6:0]    c_k;
  logic [12:0]   c_len;
  assign c_h20  = inf ? ih20 : hdr_hash;
  assign c_drop = inf ? idrop : !datapath_en;
  assign c_k    = inf ? k : '0;
  assign c_len  = (inf ? flen : '0) + 13'(nb);
  assign c_write = !c_drop && int'(c_k) < KMAX;
  assign c_space = (bt - bh) + (LW+1)'(c_k) + (LW+1)'(2) <= (LW+1)'(NL);
  logic c_over;
  assign c_over = int'(c_k) >= KMAX || int'(c_len) > MAXF;

  assign s_axis_rx_tready = !c_write ||
                            (c_space && (!s_axis_rx_tlast || c_over || !f_full));

  logic take;
  assign take = s_axis_rx_tvalid && s_axis_rx_tready;

  // beat k lands at bytes SH+64k.. of the frame's lines (SH: 12 or 20): bytes SH..63 of
  // line la and bytes 0..SH-1 of line la+1
  logic [LW-1:0] la, lb;
  assign la = bt[LW-1:0] + LW'(c_k);
  assign lb = la + 1'b1;

  // the two lines a beat touches, as they become (the cycle model evaluates this every
  // cycle: only for a beat that is there)
  logic [511:0] la_d, lb_d;
  always_comb begin
    la_d = '0;
    lb_d = '0;
    if (s_axis_rx_tvalid) begin
      la_d = la[0] ? bank1[la[LW-1:1]] : bank0[la[LW-1:1]];
      lb_d = lb[0] ? bank1[lb[LW-1:1]] : bank0[lb[LW-1:1]];
      if (c_h20) begin
        la_d = {s_axis_rx_tdata[351:0], la_d[159:0]};
        lb_d = {lb_d[511:160], s_axis_rx_tdata[511:352]};
      end else begin
        la_d = {s_axis_rx_tdata[415:0], la_d[95:0]};
        lb_d = {lb_d[511:96], s_axis_rx_tdata[511:416]};
      end
    end
  end

  // the sum the checksum check starts from: every byte the MAC kept, in 16-bit words taken
  // little-endian (byte 0 low) - the byte-swapped ones' complement sum of the big-endian
  // words, which vq_rx_cls swaps back; 32 plain adds instead of 64 placed ones
  logic [31:0]  bsum;
  logic [511:0] kept;
  always_comb begin
    bsum = '0;
    kept = s_axis_rx_tdata;
    if (s_axis_rx_tvalid) begin
      if (s_axis_rx_tlast)
        for (int i = 0; i < 64; i++)
          if (!s_axis_rx_tkeep[i]) kept[8*i +: 8] = 8'd0;
      for (int i = 0; i < 32; i++) bsum = bsum + {16'd0, kept[16*i +: 16]};
    end
  end

  logic last_ok;
  assign last_ok = take && s_axis_rx_tlast && !c_drop && !c_over;

  // ---- the verdict ------------------------------------------------------------------
  localparam int TW = 1 + 12 + LW;
  logic [TW-1:0] o_tag;
  logic          o_valid, o_filt, o_cok, o_cbad;
  logic [PW-1:0] o_p;
  logic [31:0]   o_hash;
  logic [3:0]    o_rep;
  vq_rx_cls #(.NP(NP), .TW(TW)) u_cls (
    .clk, .rst_n, .cw_valid, .cw_addr, .cw_data, .rxf_ctrl_q, .rss_ctrl_q, .rx_queue_pairs,
    .in_valid(last_ok), .in_b0(c_k == '0 ? s_axis_rx_tdata : b0),
    .in_b1(c_k == 7'd1 ? s_axis_rx_tdata[127:0] : b1), .in_sum((c_k == '0 ? 32'd0 : sum) + bsum),
    .in_len(c_len), .in_tag({c_h20, 12'(c_len), bt[LW-1:0]}),
    .out_valid(o_valid), .out_tag(o_tag), .out_filt(o_filt), .out_p(o_p), .out_hash(o_hash),
    .out_rep(o_rep), .out_csum_ok(o_cok), .out_csum_bad(o_cbad));
  logic o_h20;
  assign {o_h20, f_len, f_start} = o_tag;
  assign f_push  = o_valid;
  assign f_p     = 16'(o_p);
  assign f_gen   = gen[o_p];
  assign f_meta  = {o_filt, o_h20, o_cok && rx_csum, o_h20 ? o_rep : 4'd0,
                    o_h20 ? o_hash : 32'd0};

  // ---- read port: 64 bytes from any offset, when asked (a 1024-bit rotate is dear) -----
  logic [LW-1:0] ra, rb;
  assign ra = rd_off[LW+5:6];
  assign rb = ra + 1'b1;
  always_comb begin
    rd_data = '0;
    if (rd_en)
      rd_data = 512'({rb[0] ? bank1[rb[LW-1:1]] : bank0[rb[LW-1:1]],
                      ra[0] ? bank1[ra[LW-1:1]] : bank0[ra[LW-1:1]]} >> {rd_off[5:0], 3'd0});
  end

  always_ff @(posedge clk) begin
    drop         <= 1'b0;
    cnt_filt     <= o_valid && o_filt;
    cnt_csum_bad <= o_valid && !o_filt && o_cbad && rx_csum;
    if (!rst_n) begin
      inf   <= 1'b0;
      idrop <= 1'b0;
      bt    <= '0;
      k     <= '0;
      flen  <= '0;
    end else if (take) begin
      if (c_write) begin
        if (la[0]) bank1[la[LW-1:1]] <= la_d;
        else       bank0[la[LW-1:1]] <= la_d;
        if (lb[0]) bank1[lb[LW-1:1]] <= lb_d;
        else       bank0[lb[LW-1:1]] <= lb_d;
      end
      if (s_axis_rx_tlast) begin
        inf <= 1'b0;
        if (c_drop || c_over) drop <= 1'b1;
        else bt <= bt + (LW+1)'((c_len + (c_h20 ? 13'd20 : 13'd12) + 13'd63) >> 6);
      end else begin
        inf   <= 1'b1;
        idrop <= c_drop;
        ih20  <= c_h20;
        if (c_k == '0) begin
          b0  <= s_axis_rx_tdata;
          sum <= bsum;
        end else begin
          sum <= sum + bsum;
        end
        if (c_k == 7'd1) b1 <= s_axis_rx_tdata[127:0];
        k     <= (int'(c_k) > KMAX) ? c_k : c_k + 1'b1;
        flen  <= (c_len > 13'h1000) ? 13'h1000 : c_len;
      end
    end
  end
endmodule
`default_nettype wire
