// vq_engines: the virtqueue data path (split-ring TX and RX, per-queue context RAM,
// doorbells, reset/drain state machine, MAC streams).  Port list is the contract with
// vionic_top (docs/architecture.md).  This level routes commands and doorbells to the
// TX engine (odd queues, vq_tx) or the RX engine (even queues, vq_rx), shares the tagged
// read port between their five read clients (vq_rdmux) and the in-order write port
// between their three writers, and merges interrupts, queue errors and counters.
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
  input  wire logic         rx_mrg,          // DEV_CTRL.RX_MRG
  input  wire logic         ind_en,          // DEV_CTRL.INDIRECT
  input  wire logic         tx_csum,         // DEV_CTRL.TX_CSUM
  input  wire logic         rx_csum,         // DEV_CTRL.RX_CSUM
  input  wire logic         hdr_hash,        // DEV_CTRL.HDR_HASH: 20-byte net headers
  input  wire logic         ev_en,           // DEV_CTRL.EVENT_IDX
  input  wire logic         pk,              // DEV_CTRL.PACKED: packed rings
  input  wire logic         cw_valid,        // RXF_* / RSS_* writes (vq_rx_cls)
  input  wire logic [11:0]  cw_addr,
  input  wire logic [31:0]  cw_data,
  output logic [31:0]       rxf_ctrl_q,
  output logic [31:0]       rss_ctrl_q,
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
  input  wire logic [15:0]  ctx_base,        // QC_BASE: start index at QC_CMD_START
  input  wire logic [31:0]  ctx_coal,        // QC_COAL: at QC_CMD_START and QC_CMD_COAL
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
  output logic              cnt_rx_drop,
  output logic              cnt_rx_filt,
  output logic              cnt_rx_csum_bad
);
  localparam int NQ  = 2 * QP;
  localparam int CKW = 40;
  if (QP < 1 || QP > 64) begin : g_bad_qp
    $error("vq_engines: QP must be 1..64");
  end

  // ---- commands, doorbells, read-back: queue 2p+1 is TX pair p, 2p is RX pair p ------
  logic        cmd_ok, db_ok;
  assign cmd_ok = ctx_cmd_valid && ctx_q < 16'(NQ);
  assign db_ok  = db_valid && db_queue < 16'(NQ);

  logic [15:0] tx_iq_p, rx_iq_p;
  logic [2:0][15:0] iq_q, iq_cnt;
  assign iq_q[0] = 16'(2 * int'(tx_iq_p) + 1);
  assign iq_q[1] = 16'(2 * int'(rx_iq_p));
  assign iq_q[2] = ctx_rd_q;

  logic [2:0]  tx_rd_state, rx_rd_state;
  logic [31:0] tx_rd_idx, rx_rd_idx;
  assign ctx_rd_state    = ctx_rd_q >= 16'(NQ) ? '0 : ctx_rd_q[0] ? tx_rd_state : rx_rd_state;
  assign ctx_rd_indices  = ctx_rd_q >= 16'(NQ) ? '0 : ctx_rd_q[0] ? tx_rd_idx : rx_rd_idx;
  assign ctx_rd_inflight = iq_cnt[2];

  // ---- reads: TX ring, TX walker, TX buffers, RX ring, RX walker -------------------
  logic [4:0]            c_valid, c_ready, cpl_valid;
  logic [4:0][63:0]      c_addr;
  logic [4:0][12:0]      c_len;
  logic [4:0][15:0]      c_q;
  logic [4:0][CKW-1:0]   c_cookie;
  logic [CKW-1:0]        cpl_cookie;
  logic [6:0]            cpl_beat;
  logic [511:0]          cpl_data;
  logic                  cpl_last, rd_idle;
  vq_rdmux #(.NC(5), .NQ(NQ), .CKW(CKW), .NTAG(256)) u_rd (
    .clk, .rst_n, .c_valid, .c_ready, .c_addr, .c_len, .c_q, .c_cookie,
    .rd_req_valid, .rd_req_ready, .rd_req_addr, .rd_req_len, .rd_req_tag,
    .rd_cpl_valid, .rd_cpl_data, .rd_cpl_tag, .rd_cpl_last,
    .cpl_valid, .cpl_cookie, .cpl_beat, .cpl_data, .cpl_last,
    .iq_q, .iq_cnt, .idle(rd_idle));

  // ---- writes: TX used, RX data, RX used (each holds its request until taken) -------
  logic [2:0]        w_valid, w_ready;
  logic [2:0][63:0]  w_addr;
  logic [511:0]      w_data0, w_data1, w_data2;   // apart: a packed array is copied whole
  logic [2:0][6:0]   w_len;
  logic [1:0]        wrr, wg;
  logic              wgv;
  always_comb begin
    wgv = 1'b0;
    wg  = '0;
    for (int i = 0; i < 3; i++) begin
      logic [2:0] c;
      c = 3'(wrr) + 3'(i);
      if (c >= 3'd3) c = c - 3'd3;
      if (!wgv && w_valid[c[1:0]]) begin
        wgv = 1'b1;
        wg  = c[1:0];
      end
    end
  end
  assign wr_valid = wgv;
  assign wr_addr  = w_addr[wg];
  assign wr_data  = wg == 2'd0 ? w_data0 : wg == 2'd1 ? w_data1 : w_data2;
  assign wr_len   = w_len[wg];
  always_comb begin
    w_ready = '0;
    w_ready[wg] = wgv && wr_ready;
  end
  always_ff @(posedge clk) begin
    if (!rst_n) wrr <= '0;
    else if (wgv && wr_ready) wrr <= (wg == 2'd2) ? 2'd0 : wg + 2'd1;
  end

  // ---- interrupts and queue errors: TX and RX take turns -------------------------------
  logic tx_msi_valid, tx_msi_ready, rx_msi_valid, rx_msi_ready;
  logic [15:0] tx_msi_vector, rx_msi_vector;
  logic msi_turn;
  logic msi_tx;
  assign msi_tx       = tx_msi_valid && (!rx_msi_valid || !msi_turn);
  assign msi_valid    = tx_msi_valid || rx_msi_valid;
  assign msi_vector   = msi_tx ? tx_msi_vector : rx_msi_vector;
  assign tx_msi_ready = msi_tx && msi_ready;
  assign rx_msi_ready = !msi_tx && msi_ready;

  logic tx_qerr_valid, rx_qerr_valid, tx_qerr_ready, rx_qerr_ready;
  logic [15:0] tx_qerr_p, rx_qerr_p, tx_qerr_reason, rx_qerr_reason;
  assign qerr_valid    = tx_qerr_valid || rx_qerr_valid;
  assign qerr_queue    = tx_qerr_valid ? 16'(2 * int'(tx_qerr_p) + 1) : 16'(2 * int'(rx_qerr_p));
  assign qerr_reason   = tx_qerr_valid ? tx_qerr_reason : rx_qerr_reason;
  assign tx_qerr_ready = tx_qerr_valid;
  assign rx_qerr_ready = !tx_qerr_valid;

  always_ff @(posedge clk) begin
    if (!rst_n) msi_turn <= 1'b0;
    else if (msi_valid && msi_ready) msi_turn <= msi_tx;
  end

  // ---- engines ---------------------------------------------------------------------
  logic tx_idle, rx_idle;
  vq_tx #(.QP(QP), .CKW(CKW)) u_tx (
    .clk, .rst_n, .datapath_en, .ev_en, .pk, .ind_en, .tx_csum, .hdr_hash, .dev_reset,
    .cmd_valid(cmd_ok && ctx_q[0]), .cmd(ctx_cmd), .cmd_p(ctx_q >> 1), .cmd_size(ctx_size),
    .cmd_vector(ctx_vector), .cmd_desc(ctx_desc), .cmd_driver(ctx_driver),
    .cmd_device(ctx_device), .cmd_base(ctx_base), .cmd_coal(ctx_coal),
    .db_valid(db_ok && db_queue[0]), .db_p(db_queue >> 1),
    .iq_p(tx_iq_p), .iq_cnt(iq_cnt[0]),
    .rd_p(ctx_rd_q >> 1), .rd_state(tx_rd_state), .rd_indices(tx_rd_idx),
    .rq_valid(c_valid[2:0]), .rq_ready(c_ready[2:0]), .rq_addr(c_addr[2:0]),
    .rq_len(c_len[2:0]), .rq_q(c_q[2:0]), .rq_cookie(c_cookie[2:0]),
    .cpl_valid(cpl_valid[2:0]), .cpl_cookie, .cpl_beat, .cpl_data, .cpl_last,
    .wr_valid(w_valid[0]), .wr_ready(w_ready[0]), .wr_addr(w_addr[0]),
    .wr_data(w_data0), .wr_len(w_len[0]),
    .msi_valid(tx_msi_valid), .msi_ready(tx_msi_ready), .msi_vector(tx_msi_vector),
    .m_axis_tx_tvalid, .m_axis_tx_tready, .m_axis_tx_tdata, .m_axis_tx_tkeep,
    .m_axis_tx_tlast,
    .qerr_valid(tx_qerr_valid), .qerr_ready(tx_qerr_ready), .qerr_p(tx_qerr_p),
    .qerr_reason(tx_qerr_reason), .idle(tx_idle), .cnt_pkt(cnt_tx_pkt),
    .cnt_bytes(cnt_tx_bytes));

  vq_rx #(.QP(QP), .CKW(CKW)) u_rx (
    .clk, .rst_n, .datapath_en, .ev_en, .pk, .rx_mrg, .ind_en, .rx_queue_pairs, .dev_reset,
    .hdr_hash, .rx_csum, .cw_valid, .cw_addr, .cw_data, .rxf_ctrl_q, .rss_ctrl_q,
    .cnt_filt(cnt_rx_filt), .cnt_csum_bad(cnt_rx_csum_bad),
    .cmd_valid(cmd_ok && !ctx_q[0]), .cmd(ctx_cmd), .cmd_p(ctx_q >> 1), .cmd_size(ctx_size),
    .cmd_vector(ctx_vector), .cmd_desc(ctx_desc), .cmd_driver(ctx_driver),
    .cmd_device(ctx_device), .cmd_base(ctx_base), .cmd_coal(ctx_coal),
    .db_valid(db_ok && !db_queue[0]), .db_p(db_queue >> 1),
    .iq_p(rx_iq_p), .iq_cnt(iq_cnt[1]),
    .rd_p(ctx_rd_q >> 1), .rd_state(rx_rd_state), .rd_indices(rx_rd_idx),
    .rq_valid(c_valid[4:3]), .rq_ready(c_ready[4:3]), .rq_addr(c_addr[4:3]),
    .rq_len(c_len[4:3]), .rq_q(c_q[4:3]), .rq_cookie(c_cookie[4:3]),
    .cpl_valid(cpl_valid[4:3]), .cpl_cookie, .cpl_beat, .cpl_data, .cpl_last,
    .wr_valid(w_valid[2:1]), .wr_ready(w_ready[2:1]), .wr_addr(w_addr[2:1]),
    .wr_data_d(w_data1), .wr_data_u(w_data2), .wr_len(w_len[2:1]),
    .msi_valid(rx_msi_valid), .msi_ready(rx_msi_ready), .msi_vector(rx_msi_vector),
    .s_axis_rx_tvalid, .s_axis_rx_tready, .s_axis_rx_tdata, .s_axis_rx_tkeep,
    .s_axis_rx_tlast,
    .qerr_valid(rx_qerr_valid), .qerr_ready(rx_qerr_ready), .qerr_p(rx_qerr_p),
    .qerr_reason(rx_qerr_reason), .idle(rx_idle), .cnt_pkt(cnt_rx_pkt),
    .cnt_bytes(cnt_rx_bytes), .cnt_drop(cnt_rx_drop));

  assign dev_idle = tx_idle && rx_idle && rd_idle;
endmodule
`default_nettype wire
