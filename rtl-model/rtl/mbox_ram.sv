// mbox_ram: the 256-byte mailbox data window, one RAM with two ports: the driver's
// (VND_MBOX_DATA, byte enables) and the firmware's (FW_MBOX_DATA0.., whole words).  Both
// read combinationally; when both write one word in the same cycle the firmware wins.
// Not reset: the mailbox protocol says when its contents mean something.
`default_nettype none
module mbox_ram (
  input  wire logic        clk,
  input  wire logic        a_we,
  input  wire logic [5:0]  a_idx,
  input  wire logic [3:0]  a_be,
  input  wire logic [31:0] a_wdata,
  output logic      [31:0] a_rdata,
  input  wire logic        b_we,
  input  wire logic [5:0]  b_idx,
  input  wire logic [31:0] b_wdata,
  output logic      [31:0] b_rdata
);
  logic [31:0] mem [64];

  assign a_rdata = mem[a_idx];
  assign b_rdata = mem[b_idx];

  always_ff @(posedge clk) begin
    if (a_we && !(b_we && b_idx == a_idx)) begin
      for (int i = 0; i < 4; i++)
        if (a_be[i]) mem[a_idx][8*i +: 8] <= a_wdata[8*i +: 8];
    end
    if (b_we) mem[b_idx] <= b_wdata;
  end
endmodule
`default_nettype wire
