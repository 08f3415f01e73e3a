// evt_fifo: the firmware event queue.  Driver writes that firmware owns are kept in
// arrival order; the head is visible at once (EVT_INFO/DATA/QSEL) and leaves on EVT_POP.
`default_nettype none
module evt_fifo #(
  parameter int DEPTH = 16,  // entries (EVT_FIFO_DEPTH), a power of two
  parameter int W     = 69   // entry width
) (
  input  wire logic         clk,
  input  wire logic         rst_n,
  input  wire logic         push,      // ignored when full (the pusher checks full)
  input  wire logic [W-1:0] push_data,
  input  wire logic         pop,       // ignored when empty
  output logic [W-1:0]      head,
  output logic              empty,
  output logic              full
);
  localparam int AW = $clog2(DEPTH);
  if (DEPTH < 2 || (DEPTH & (DEPTH - 1)) != 0) begin : g_bad_depth
    $error("evt_fifo: DEPTH must be a power of two >= 2");
  end

  logic [W-1:0] mem [DEPTH];
  logic [AW-1:0] rd_ptr, wr_ptr;
  logic [AW:0]   count;

  assign head  = mem[rd_ptr];
  assign empty = count == 0;
  assign full  = count == (AW + 1)'(DEPTH);

  logic do_push, do_pop;
  assign do_push = push && !full;
  assign do_pop  = pop && !empty;

  always_ff @(posedge clk) begin
    if (do_push) mem[wr_ptr] <= push_data;
  end

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      rd_ptr <= '0;
      wr_ptr <= '0;
      count  <= '0;
    end else begin
      if (do_push) wr_ptr <= wr_ptr + 1'b1;
      if (do_pop)  rd_ptr <= rd_ptr + 1'b1;
      count <= count + (AW + 1)'(do_push) - (AW + 1)'(do_pop);
    end
  end
endmodule
`default_nettype wire
