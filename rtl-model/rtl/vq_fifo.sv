// vq_fifo: show-ahead FIFO (the head is readable without popping), a RAM with one write
// and one read port.  DEPTH is a power of two.
`default_nettype none
module vq_fifo #(
  parameter int W     = 8,    // entry width
  parameter int DEPTH = 16    // entries, power of two >= 2
) (
  input  wire logic         clk,
  input  wire logic         rst_n,
  input  wire logic         push,
  input  wire logic [W-1:0] din,
  input  wire logic         pop,
  output logic [W-1:0]      dout,
  output logic              empty,
  output logic              full,
  output logic [$clog2(DEPTH):0] count
);
  localparam int AW = $clog2(DEPTH);
  if (DEPTH < 2 || (1 << AW) != DEPTH) begin : g_bad_depth
    $error("vq_fifo: DEPTH must be a power of two >= 2");
  end

  logic [W-1:0] mem [DEPTH];
  logic [AW:0]  wp, rp;

  assign dout  = mem[rp[AW-1:0]];
  assign count = wp - rp;
  assign empty = wp == rp;
  assign full  = count == (AW+1)'(DEPTH);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      wp <= '0;
      rp <= '0;
    end else begin
      if (push && !full) begin
        mem[wp[AW-1:0]] <= din;
        wp <= wp + 1'b1;
      end
      if (pop && !empty) rp <= rp + 1'b1;
    end
  end
endmodule
`default_nettype wire
