// vq_rx_in: the MAC side of receive.  The first beat of a frame picks its queue pair
// (XOR of bytes 26..37 of an IPv4 frame, modulo the active pairs).  Frames for a queue
// that is not RUNNING, or while the data path is off, are sunk at line rate and counted.
// The others go to a circular frame buffer of NL lines, each frame line-aligned and
// already preceded by its 12-byte virtio-net header (a fixed 12-byte shift, so the
// writer later sees header and frame as one byte stream).  The writer reads any 64
// bytes of it through the rotating read port.
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
  input  wire logic [NP-1:0][2:0]   st,
  input  wire logic [NP-1:0][7:0]   gen,
  input  wire logic                 s_axis_rx_tvalid,
  output logic                      s_axis_rx_tready,
  input  wire logic [511:0]         s_axis_rx_tdata,
  input  wire logic [63:0]          s_axis_rx_tkeep,
  input  wire logic                 s_axis_rx_tlast,
  // frames written
  output logic                      f_push,
  input  wire logic                 f_full,
  output logic [15:0]               f_p,
  output logic [7:0]                f_gen,
  output logic [11:0]               f_len,
  output logic [$clog2(NL)-1:0]     f_start,
  input  wire logic [$clog2(NL):0]  bh,           // lines freed by the writer
  input  wire logic                 rd_en,        // rd_data is used this cycle
  input  wire logic [$clog2(NL)+5:0] rd_off,      // byte offset in the buffer
  output logic [511:0]              rd_data,
  output logic                      drop
);
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int LW = $clog2(NL);
  localparam int KMAX = (MAXF + 63) / 64;        // beats of the longest frame
  localparam logic [95:0] HDR = 96'd1 << 80;     // num_buffers = 1 at bytes 10..11
  if (NL < 2 * (KMAX + 2) || (NL & (NL - 1)) != 0) begin : g_bad
    $error("vq_rx_in: NL must be a power of two holding two of the longest frames");
  end
  if (MAXF > 4095) begin : g_bad_len
    $error("vq_rx_in: MAXF must fit in 12 bits");
  end

  logic [511:0] bank0 [NL/2];
  logic [511:0] bank1 [NL/2];
  logic [LW:0]  bt;                 // lines of complete frames (free-running)

  logic          inf, idrop;
  logic [PW-1:0] ip;
  logic [7:0]    ig;
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
  logic [7:0] h, pairs;
  logic [PW-1:0] sp;
  always_comb begin
    h  = '0;
    sp = '0;
    pairs = rx_queue_pairs;
    if (pairs == '0) pairs = 8'd1;
    if (int'(pairs) > NP) pairs = 8'(NP);
    if (s_axis_rx_tvalid && !inf) begin
      if (s_axis_rx_tdata[8*12 +: 8] == 8'h08 && s_axis_rx_tdata[8*13 +: 8] == 8'h00 &&
          (!s_axis_rx_tlast || nb >= 7'd38))
        for (int i = 26; i < 38; i++) h = h ^ s_axis_rx_tdata[8*i +: 8];
      sp = PW'(h % pairs);
    end
  end

  logic          c_drop, c_write, c_space;
  logic [PW-1:0] c_p;
  logic [7:0]    c_g;
  logic [6:0]    c_k;
  logic [12:0]   c_len;
  assign c_p    = inf ? ip : sp;
  assign c_g    = inf ? ig : gen[sp];
  assign c_drop = inf ? idrop : (!datapath_en || st[sp] != 3'(QSTATE_RUNNING));
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

  // beat k lands at bytes 12+64k.. of the frame's lines: bytes 12..63 of line la (all of
  // it, header first, for beat 0) and bytes 0..11 of line la+1
  logic [LW-1:0] la, lb;
  assign la = bt[LW-1:0] + LW'(c_k);
  assign lb = la + 1'b1;

  logic last_ok;
  assign last_ok = take && s_axis_rx_tlast && !c_drop && !c_over;
  assign f_push  = last_ok;
  assign f_p     = 16'(c_p);
  assign f_gen   = c_g;
  assign f_len   = 12'(c_len);
  assign f_start = bt[LW-1:0];

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
    drop <= 1'b0;
    if (!rst_n) begin
      inf   <= 1'b0;
      idrop <= 1'b0;
      bt    <= '0;
      k     <= '0;
      flen  <= '0;
    end else if (take) begin
      if (c_write) begin
        if (c_k == '0) begin
          if (la[0]) bank1[la[LW-1:1]] <= {s_axis_rx_tdata[415:0], HDR};
          else       bank0[la[LW-1:1]] <= {s_axis_rx_tdata[415:0], HDR};
        end else begin
          if (la[0]) bank1[la[LW-1:1]] <= {s_axis_rx_tdata[415:0], bank1[la[LW-1:1]][95:0]};
          else       bank0[la[LW-1:1]] <= {s_axis_rx_tdata[415:0], bank0[la[LW-1:1]][95:0]};
        end
        if (lb[0]) bank1[lb[LW-1:1]] <= {bank1[lb[LW-1:1]][511:96], s_axis_rx_tdata[511:416]};
        else       bank0[lb[LW-1:1]] <= {bank0[lb[LW-1:1]][511:96], s_axis_rx_tdata[511:416]};
      end
      if (s_axis_rx_tlast) begin
        inf <= 1'b0;
        if (c_drop || c_over) drop <= 1'b1;
        else bt <= bt + (LW+1)'((c_len + 13'd12 + 13'd63) >> 6);
      end else begin
        inf   <= 1'b1;
        idrop <= c_drop;
        ip    <= c_p;
        ig    <= c_g;
        k     <= (int'(c_k) > KMAX) ? c_k : c_k + 1'b1;
        flen  <= (c_len > 13'h1000) ? 13'h1000 : c_len;
      end
    end
  end
endmodule
`default_nettype wire
