// fdma: the firmware's DMA mailbox (control queue).  One transfer of up to FDMA_MAX
// bytes at a time between host memory and the 16-word data buffer.  busy stays up until
// a read has all its data or a write has been accepted by the (in-order) write port, so
// a firmware MSI_SEND issued after busy drops is ordered after the write.
`default_nettype none
module fdma
  import vionic_regs_pkg::*;
(
  input  wire logic         clk,
  input  wire logic         rst_n,
  input  wire logic         cmd_valid,     // FDMA_CMD write
  input  wire logic [31:0]  cmd,
  input  wire logic [63:0]  addr,
  input  wire logic [31:0]  len,
  input  wire logic         data_wr,       // firmware writes FDMA_DATAn
  input  wire logic [3:0]   data_idx,
  input  wire logic [31:0]  data_wdata,
  output logic              busy,
  output logic [511:0]      data,
  output logic              rd_valid,
  input  wire logic         rd_ready,
  output logic [63:0]       rd_addr,
  output logic [12:0]       rd_len,
  input  wire logic         cpl_valid,
  input  wire logic [511:0] cpl_data,
  input  wire logic         cpl_last,
  output logic              wr_valid,
  input  wire logic         wr_ready,
  output logic [63:0]       wr_addr,
  output logic [511:0]      wr_data,
  output logic [6:0]        wr_len
);
  if (FDMA_MAX != 64) begin : g_bad_max
    $error("fdma: the data buffer is one 64-byte beat");
  end

  typedef enum logic [1:0] { S_IDLE, S_RD_REQ, S_RD_WAIT, S_WR } state_e;
  state_e      state;
  logic [63:0] addr_reg;
  logic [6:0]  len_reg;
  logic        first_beat;

  logic len_ok;
  assign len_ok = len != 0 && len <= FDMA_MAX;

  assign busy     = state != S_IDLE;
  assign rd_valid = state == S_RD_REQ;
  assign rd_addr  = addr_reg;
  assign rd_len   = 13'(len_reg);
  assign wr_valid = state == S_WR;
  assign wr_addr  = addr_reg;
  assign wr_data  = data;
  assign wr_len   = len_reg;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state      <= S_IDLE;
      addr_reg   <= '0;
      len_reg    <= '0;
      first_beat <= 1'b0;
      data       <= '0;
    end else begin
      if (data_wr) data[32*data_idx +: 32] <= data_wdata;
      case (state)
        S_IDLE:
          if (cmd_valid && len_ok && (cmd == FDMA_CMD_READ || cmd == FDMA_CMD_WRITE)) begin
            addr_reg <= addr;
            len_reg  <= 7'(len);
            state    <= cmd == FDMA_CMD_READ ? S_RD_REQ : S_WR;
          end
        S_RD_REQ:
          if (rd_ready) begin
            state      <= S_RD_WAIT;
            first_beat <= 1'b1;
          end
        S_RD_WAIT:
          if (cpl_valid) begin
            // a transfer fits one beat; anything after the first beat is not ours to keep
            if (first_beat) data <= cpl_data;
            first_beat <= 1'b0;
            if (cpl_last) state <= S_IDLE;
          end
        S_WR:
          if (wr_ready) state <= S_IDLE;
        default: state <= S_IDLE;
      endcase
    end
  end
endmodule
`default_nettype wire
