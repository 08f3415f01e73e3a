// vn_toeplitz: the Toeplitz hash of virtio-net RSS and hash report, one input a cycle.
// Bit p of the input (counted from the first bit on the wire: the MSB of byte 0) XORs
// in bits p..p+31 of the key.  sim/src/toeplitz.c is the reference the testbench
// (rtl-model/tests/toeplitz) checks it against.  vq_rx_cls uses it in the RX path.
//
// Byte order: byte i of in_data and of key is bits [8i+7:8i], byte 0 the first on the
// wire, so a little-endian load of the bytes as they arrive fills the vectors.
//
// Every input bit needs its own 32-bit key window and a key may change with each input,
// so the hash is a 288 x 32 AND-XOR.  It is cut in two stages, each no deeper than three
// 6-input LUTs, to close at 250 MHz: stage 1 reduces each byte's eight windows to one
// share, stage 2 XORs the shares.
`default_nettype none
module vn_toeplitz #(
  parameter int unsigned IN_BYTES  = 36,  // widest hash input: IPv6 addresses and ports
  parameter int unsigned KEY_BYTES = 40   // key bytes; at least IN_BYTES + 4 (virtio: 40)
) (
  input  wire logic                           clk,
  input  wire logic                           rst_n,
  input  wire logic                           in_valid,
  input  wire logic [IN_BYTES*8-1:0]          in_data,
  input  wire logic [$clog2(IN_BYTES+1)-1:0]  in_len,   // bytes hashed; above IN_BYTES: all
  input  wire logic [KEY_BYTES*8-1:0]         key,
  output logic                                out_valid,
  output logic      [31:0]                    out_hash  // meaningful only with out_valid
);
  // in_valid to out_valid, in cycles: one per register stage below.  It describes the
  // pipeline, it does not configure it.
  localparam int unsigned LATENCY = 2;
  localparam int unsigned IN_BITS = IN_BYTES * 8;
  localparam int unsigned KEY_BITS = KEY_BYTES * 8;

  if (KEY_BYTES < IN_BYTES + 4) begin : g_bad_key
    $error("vn_toeplitz: the key must cover the last input bit's window (IN_BYTES + 4)");
  end

  // The key as one bit string, first bit at the top, so that bit p's window is a plain
  // 32-bit part-select.
  logic [KEY_BITS-1:0] kseq;
  for (genvar k = 0; k < KEY_BYTES; k++) begin : g_kseq
    assign kseq[KEY_BITS-8-8*k +: 8] = key[8*k +: 8];
  end
  // the last window ends one bit or more before the key does
  wire logic [KEY_BITS-IN_BITS-32:0] unused_key_tail = kseq[KEY_BITS-IN_BITS-32:0];

  logic [LATENCY-1:0] valid_pipe;
  always_ff @(posedge clk) begin
    if (!rst_n) valid_pipe <= '0;
    else valid_pipe <= {valid_pipe[LATENCY-2:0], in_valid};
  end
  assign out_valid = valid_pipe[LATENCY-1];

  // stage 1: each byte's share.  Bytes past in_len contribute nothing, so callers need
  // not clear them.  (Worked out only for an input that is there: the cycle model
  // evaluates combinational logic every cycle.)
  logic [31:0] share_d [IN_BYTES];
  logic [31:0] share [IN_BYTES];
  always_comb begin
    for (int i = 0; i < IN_BYTES; i++) begin
      share_d[i] = 32'd0;
      if (in_valid)
        for (int b = 0; b < 8; b++) begin
          if (in_data[8*i + 7 - b] && 32'(i) < 32'(in_len))
            share_d[i] = share_d[i] ^ kseq[KEY_BITS-1-8*i-b -: 32];
        end
    end
  end
  always_ff @(posedge clk) begin
    if (in_valid) share <= share_d;
  end

  // stage 2: the shares' XOR
  logic [31:0] hash_d;
  always_comb begin
    hash_d = 32'd0;
    for (int i = 0; i < IN_BYTES; i++) hash_d = hash_d ^ share[i];
  end
  always_ff @(posedge clk) begin
    if (valid_pipe[0]) out_hash <= hash_d;
  end
endmodule
`default_nettype wire
