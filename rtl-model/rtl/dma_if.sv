// dma_if: the device's side of the host DMA port.  Reads: the engines (tags 0..255) and
// the FDMA mailbox (tag 256) share the request port; completions go back by tag.
// Writes: one in-order port shared by the engines, FDMA and MSI-X, with nothing buffered
// here, so a message is never overtaken by a write accepted before it.  With
// COMMAND.MASTER clear nothing reaches the host: writes are accepted and dropped, reads
// are accepted and completed here with zeros (so no requester waits forever); both are
// counted.
`default_nettype none
module dma_if (
  input  wire logic         clk,
  input  wire logic         rst_n,
  input  wire logic         master_en,
  // engine reads
  input  wire logic         e_rd_valid,
  output logic              e_rd_ready,
  input  wire logic [63:0]  e_rd_addr,
  input  wire logic [12:0]  e_rd_len,
  input  wire logic [7:0]   e_rd_tag,
  output logic              e_cpl_valid,
  output logic [7:0]        e_cpl_tag,
  output logic              e_cpl_last,
  // FDMA reads
  input  wire logic         f_rd_valid,
  output logic              f_rd_ready,
  input  wire logic [63:0]  f_rd_addr,
  input  wire logic [12:0]  f_rd_len,
  output logic              f_cpl_valid,
  output logic              f_cpl_last,
  output logic [511:0]      cpl_data,     // shared by both completion outputs
  // host read port
  output logic              dma_rd_valid,
  input  wire logic         dma_rd_ready,
  output logic [63:0]       dma_rd_addr,
  output logic [12:0]       dma_rd_len,
  output logic [8:0]        dma_rd_tag,
  input  wire logic         dma_cpl_valid,
  input  wire logic [511:0] dma_cpl_data,
  input  wire logic [8:0]   dma_cpl_tag,
  input  wire logic         dma_cpl_last,
  // writes: MSI-X first, then FDMA, then the engines
  input  wire logic         m_wr_valid,
  output logic              m_wr_ready,
  input  wire logic [63:0]  m_wr_addr,
  input  wire logic [31:0]  m_wr_data,
  input  wire logic         f_wr_valid,
  output logic              f_wr_ready,
  input  wire logic [63:0]  f_wr_addr,
  input  wire logic [511:0] f_wr_data,
  input  wire logic [6:0]   f_wr_len,
  input  wire logic         e_wr_valid,
  output logic              e_wr_ready,
  input  wire logic [63:0]  e_wr_addr,
  input  wire logic [511:0] e_wr_data,
  input  wire logic [6:0]   e_wr_len,
  // host write port
  output logic              dma_wr_valid,
  input  wire logic         dma_wr_ready,
  output logic [63:0]       dma_wr_addr,
  output logic [511:0]      dma_wr_data,
  output logic [6:0]        dma_wr_len,
  // counter pulses
  output logic              cnt_rd,
  output logic              cnt_wr,
  output logic              cnt_drop,
  output logic              idle          // no locally completed read in progress
);
  localparam logic [8:0] FDMA_TAG = 9'h100;

  // ---- reads --------------------------------------------------------------------------
  logic        any_rd, grant_f;
  logic [12:0] rd_len;
  assign any_rd  = f_rd_valid || e_rd_valid;
  assign grant_f = f_rd_valid;  // rare, and the firmware waits for it
  assign rd_len  = grant_f ? f_rd_len : e_rd_len;

  // local completer for reads issued without bus mastering
  logic       loc_active;
  logic [8:0] loc_tag;
  logic [6:0] loc_beats;   // beats still to deliver (a read is at most 64 beats)
  logic       loc_take;

  assign loc_take     = !master_en && any_rd && !loc_active;
  assign dma_rd_valid = master_en && any_rd;
  assign dma_rd_addr  = grant_f ? f_rd_addr : e_rd_addr;
  assign dma_rd_len   = rd_len;
  assign dma_rd_tag   = grant_f ? FDMA_TAG : {1'b0, e_rd_tag};
  assign f_rd_ready   = grant_f && (master_en ? dma_rd_ready : !loc_active);
  assign e_rd_ready   = !grant_f && (master_en ? dma_rd_ready : !loc_active);

  // the host port has no back-pressure: local beats fill the cycles it leaves free
  logic       loc_beat;
  logic       cv, clast;
  logic [8:0] ctag;
  assign loc_beat = loc_active && !dma_cpl_valid;
  assign cv       = dma_cpl_valid || loc_beat;
  assign ctag     = dma_cpl_valid ? dma_cpl_tag : loc_tag;
  assign clast    = dma_cpl_valid ? dma_cpl_last : loc_beats == 7'd1;
  assign cpl_data = dma_cpl_valid ? dma_cpl_data : '0;

  assign e_cpl_valid = cv && !ctag[8];
  assign e_cpl_tag   = ctag[7:0];
  assign e_cpl_last  = clast;
  assign f_cpl_valid = cv && ctag[8];
  assign f_cpl_last  = clast;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      loc_active <= 1'b0;
      loc_tag    <= '0;
      loc_beats  <= '0;
    end else if (loc_take) begin
      loc_active <= 1'b1;
      loc_tag    <= dma_rd_tag;
      loc_beats  <= 7'((rd_len == 0 ? 13'd1 : rd_len + 13'd63) >> 6);
    end else if (loc_beat) begin
      loc_beats <= loc_beats - 7'd1;
      if (loc_beats == 7'd1) loc_active <= 1'b0;
    end
  end

  // ---- writes -------------------------------------------------------------------------
  logic any_wr, wr_take;
  assign any_wr  = m_wr_valid || f_wr_valid || e_wr_valid;
  assign wr_take = any_wr && (master_en ? dma_wr_ready : 1'b1);

  assign dma_wr_valid = master_en && any_wr;
  assign dma_wr_addr  = m_wr_valid ? m_wr_addr : f_wr_valid ? f_wr_addr : e_wr_addr;
  assign dma_wr_data  = m_wr_valid ? 512'(m_wr_data) : f_wr_valid ? f_wr_data : e_wr_data;
  assign dma_wr_len   = m_wr_valid ? 7'd4 : f_wr_valid ? f_wr_len : e_wr_len;
  assign m_wr_ready   = wr_take;
  assign f_wr_ready   = wr_take && !m_wr_valid;
  assign e_wr_ready   = wr_take && !m_wr_valid && !f_wr_valid;

  assign cnt_rd   = master_en && any_rd && dma_rd_ready;
  assign cnt_wr   = master_en && any_wr && dma_wr_ready;
  assign cnt_drop = loc_take || (!master_en && any_wr);
  assign idle     = !loc_active;
endmodule
`default_nettype wire
