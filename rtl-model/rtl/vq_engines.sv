// vq_engines: the virtqueue data path (split-ring TX and RX, per-queue context RAM,
// doorbells, reset/drain state machine, MAC streams).  Port list is the contract with
// vionic_top (docs/architecture.md); the body is filled in by the engine work.
`default_nettype none
module vq_engines
  import vionic_regs_pkg::*;
#(
  parameter int QP = 4            // queue pairs: data queues 0 .. 2*QP-1 (even RX, odd TX)
) (
  input  wire logic         clk,
  input  wire logic         rst_n,
  // device-wide control (fw_csr)
  input  wire logic         datapath_en,     // DEV_CTRL.DATAPATH_EN
  input  wire logic [7:0]   rx_queue_pairs,  // RX_QUEUE_PAIRS, 1..QP
  input  wire logic         dev_reset,       // one-cycle pulse: reset every queue
  output logic              dev_idle,        // no queue active, nothing in flight
  // doorbells (bar_regs): one-cycle pulse per notify write, q < 2*QP
  input  wire logic         db_valid,
  input  wire logic [15:0]  db_queue,
  // context programming (fw_csr): a QC_CMD write presents the QC_* fields with a pulse
  input  wire logic         ctx_cmd_valid,
  input  wire logic [1:0]   ctx_cmd,         // QC_CMD_START or QC_CMD_RESET
  input  wire logic [15:0]  ctx_q,
  input  wire logic [15:0]  ctx_size,
  input  wire logic [15:0]  ctx_vector,
  input  wire logic [63:0]  ctx_desc,
  input  wire logic [63:0]  ctx_driver,
  input  wire logic [63:0]  ctx_device,
  // context read-back for QC_STATE / QC_INDICES of queue ctx_rd_q (combinational ok)
  input  wire logic [15:0]  ctx_rd_q,
  output logic [2:0]        ctx_rd_state,
  output logic [15:0]       ctx_rd_inflight,
  output logic [31:0]       ctx_rd_indices,  // [15:0] last_avail_idx, [31:16] used_idx
  // queue errors -> firmware event (one-cycle pulse)
  output logic              qerr_valid,
  output logic [15:0]       qerr_queue,
  output logic [15:0]       qerr_reason,
  // DMA read (tags 0..255 are ours)
  output logic              rd_req_valid,
  input  wire logic         rd_req_ready,
  output logic [63:0]       rd_req_addr,
  output logic [12:0]       rd_req_len,
  output logic [7:0]        rd_req_tag,
  input  wire logic         rd_cpl_valid,    // already filtered to our tags
  input  wire logic [511:0] rd_cpl_data,
  input  wire logic [7:0]   rd_cpl_tag,
  input  wire logic         rd_cpl_last,
  // DMA write (posted, in order)
  output logic              wr_valid,
  input  wire logic         wr_ready,
  output logic [63:0]       wr_addr,
  output logic [511:0]      wr_data,
  output logic [6:0]        wr_len,
  // interrupt request: asserted only after the writes it announces were accepted
  output logic              msi_valid,
  input  wire logic         msi_ready,
  output logic [15:0]       msi_vector,
  // MAC transmit
  output logic              m_axis_tx_tvalid,
  input  wire logic         m_axis_tx_tready,
  output logic [511:0]      m_axis_tx_tdata,
  output logic [63:0]       m_axis_tx_tkeep,
  output logic              m_axis_tx_tlast,
  // MAC receive
  input  wire logic         s_axis_rx_tvalid,
  output logic              s_axis_rx_tready,
  input  wire logic [511:0] s_axis_rx_tdata,
  input  wire logic [63:0]  s_axis_rx_tkeep,
  input  wire logic         s_axis_rx_tlast,
  // counters (one-cycle pulses; fw_csr accumulates)
  output logic              cnt_tx_pkt,
  output logic [15:0]       cnt_tx_bytes,
  output logic              cnt_rx_pkt,
  output logic [15:0]       cnt_rx_bytes,
  output logic              cnt_rx_drop
);
  // placeholder until the engines land: a device that does nothing
  assign dev_idle = 1'b1;
  assign ctx_rd_state = '0;
  assign ctx_rd_inflight = '0;
  assign ctx_rd_indices = '0;
  assign qerr_valid = 1'b0;
  assign qerr_queue = '0;
  assign qerr_reason = '0;
  assign rd_req_valid = 1'b0;
  assign rd_req_addr = '0;
  assign rd_req_len = '0;
  assign rd_req_tag = '0;
  assign wr_valid = 1'b0;
  assign wr_addr = '0;
  assign wr_data = '0;
  assign wr_len = '0;
  assign msi_valid = 1'b0;
  assign msi_vector = '0;
  assign m_axis_tx_tvalid = 1'b0;
  assign m_axis_tx_tdata = '0;
  assign m_axis_tx_tkeep = '0;
  assign m_axis_tx_tlast = 1'b0;
  assign s_axis_rx_tready = 1'b1;
  assign cnt_tx_pkt = 1'b0;
  assign cnt_tx_bytes = '0;
  assign cnt_rx_pkt = 1'b0;
  assign cnt_rx_bytes = '0;
  assign cnt_rx_drop = 1'b0;
endmodule
`default_nettype wire
