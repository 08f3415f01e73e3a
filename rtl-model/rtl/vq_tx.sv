// vq_tx: the transmit engine (odd virtqueues 2p+1).  Doorbell -> avail idx -> batches of
// ring entries (vq_ring) -> a head scheduler that feeds the chain walker (vq_chain) a
// queue at a time -> buffer reads and the frame buffer (vq_txbuf) -> m_axis_tx -> used
// elements, used idx, MSI-X (vq_used).  Per-queue state lives in vq_qstate.
`default_nettype none
module vq_tx
  import vionic_regs_pkg::*;
#(
  parameter int QP    = 4,
  parameter int CKW   = 40,
  parameter int HL    = 2,     // ring lines per queue
  parameter int NCH   = 128,   // chains being walked (a desc read lasts the latency)
  parameter int NF    = 128,   // frames in the frame buffer
  parameter int NL    = 512,   // frame buffer lines (64 B)
  parameter int MAXRD = 512
) (
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic                 datapath_en,
  input  wire logic                 ev_en,
  input  wire logic                 pk,
  input  wire logic                 ind_en,
  input  wire logic                 tx_csum,
  input  wire logic                 hdr_hash,
  input  wire logic                 dev_reset,
  input  wire logic                 cmd_valid,
  input  wire logic [1:0]           cmd,
  input  wire logic [15:0]          cmd_p,
  input  wire logic [15:0]          cmd_size,
  input  wire logic [15:0]          cmd_vector,
  input  wire logic [63:0]          cmd_desc,
  input  wire logic [63:0]          cmd_driver,
  input  wire logic [63:0]          cmd_device,
  input  wire logic [15:0]          cmd_base,
  input  wire logic [31:0]          cmd_coal,
  input  wire logic                 db_valid,
  input  wire logic [15:0]          db_p,
  output logic [15:0]               iq_p,
  input  wire logic [15:0]          iq_cnt,
  input  wire logic [15:0]          rd_p,
  output logic [2:0]                rd_state,
  output logic [31:0]               rd_indices,
  // three read clients: ring, walker, buffers
  output logic [2:0]                rq_valid,
  input  wire logic [2:0]           rq_ready,
  output logic [2:0][63:0]          rq_addr,
  output logic [2:0][12:0]          rq_len,
  output logic [2:0][15:0]          rq_q,
  output logic [2:0][CKW-1:0]       rq_cookie,
  input  wire logic [2:0]           cpl_valid,
  input  wire logic [CKW-1:0]       cpl_cookie,
  input  wire logic [6:0]           cpl_beat,
  input  wire logic [511:0]         cpl_data,
  input  wire logic                 cpl_last,
  output logic                      wr_valid,
  input  wire logic                 wr_ready,
  output logic [63:0]               wr_addr,
  output logic [511:0]              wr_data,
  output logic [6:0]                wr_len,
  output logic                      msi_valid,
  input  wire logic                 msi_ready,
  output logic [15:0]               msi_vector,
  output logic                      m_axis_tx_tvalid,
  input  wire logic                 m_axis_tx_tready,
  output logic [511:0]              m_axis_tx_tdata,
  output logic [63:0]               m_axis_tx_tkeep,
  output logic                      m_axis_tx_tlast,
  output logic                      qerr_valid,
  input  wire logic                 qerr_ready,
  output logic [15:0]               qerr_p,
  output logic [15:0]               qerr_reason,
  output logic                      idle,
  output logic                      cnt_pkt,
  output logic [15:0]               cnt_bytes
);
  `include "vq_defs.svh"
  localparam int NP = QP;
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;

  logic [NP-1:0][2:0]  st;
  logic [NP-1:0][7:0]  gen;
  logic [NP-1:0][15:0] size, vector, cons, used_idx;
  logic [NP-1:0][63:0] desc, driver, device;
  logic [NP-1:0]       pend, noint;
  logic                clr_valid, pend_clr;
  logic [15:0]         clr_p, pend_clr_p;
  logic                start_valid;
  logic [15:0]         start_p, start_base;
  logic [1:0]          err_valid;
  logic [1:0][15:0]    err_p, err_reason;
  logic [4:0]          bz_valid;
  logic [4:0][15:0]    bz_p;
  logic [2:0][15:0]    rq_p;
  logic [15:0]         msi_p, wr_p;
  logic                wip, buf_busy, used_busy;
  assign wip = buf_busy || used_busy;

  assign bz_valid = {msi_valid, wr_valid, rq_valid};
  assign bz_p     = {msi_p, wr_p, rq_p};

  vq_qstate #(.NP(NP), .NB(5)) u_qs (
    .clk, .rst_n, .cmd_valid, .cmd, .cmd_p, .cmd_size, .cmd_vector, .cmd_desc,
    .cmd_driver, .cmd_device, .cmd_base, .dev_reset, .db_valid, .db_p, .pend_clr, .pend_clr_p,
    .err_valid, .err_p, .err_reason, .bz_valid, .bz_p, .iq_p, .iq_cnt, .wip,
    .st, .gen, .size, .vector, .desc, .driver, .device, .pend, .clr_valid, .clr_p, .start_valid, .start_p, .start_base,
    .qerr_valid, .qerr_ready, .qerr_p, .qerr_reason, .idle);

  assign rd_state   = (rd_p < 16'(NP)) ? st[rd_p[PW-1:0]] : '0;
  assign rd_indices = (rd_p < 16'(NP)) ? {used_idx[rd_p[PW-1:0]], cons[rd_p[PW-1:0]]} : '0;

  // ---- ring ------------------------------------------------------------------------
  logic [15:0] c_p, c_head;
  logic        c_hv, c_pop;
  logic        unused_c_wait;
  logic [NP-1:0] unused_avout;
  logic        unused_r_ck;
  logic        ae_valid, ae_done, ue_take, ue_cpl;
  logic [15:0] ae_p, ae_val, ae_done_p, ue_take_p, ue_cpl_p;
  logic [31:0] ue_val;
  logic [NP-1:0] ue_want;
  vq_ring #(.NP(NP), .ENG(1), .HL(HL), .CKW(CKW)) u_ring (
    .ev_en, .pk, .ae_valid, .ae_p, .ae_val, .ae_done, .ae_done_p, .ue_want, .ue_take,
    .ue_take_p, .ue_cpl, .ue_cpl_p, .ue_val,
    .clk, .rst_n, .datapath_en, .st, .size, .desc, .driver, .pend, .pend_clr, .pend_clr_p,
    .clr_valid, .clr_p, .start_valid, .start_p, .start_base,
    .rq_valid(rq_valid[0]), .rq_ready(rq_ready[0]), .rq_addr(rq_addr[0]),
    .rq_len(rq_len[0]), .rq_q(rq_q[0]), .rq_p(rq_p[0]), .rq_cookie(rq_cookie[0]),
    .cpl_valid(cpl_valid[0]), .cpl_cookie, .cpl_data, .cpl_beat, .cpl_last,
    .err_valid(err_valid[0]), .err_p(err_p[0]), .err_reason(err_reason[0]),
    .c_p, .c_hv, .c_head, .c_wait(unused_c_wait), .c_pop, .rr_valid(1'b0), .rr_p('0),
    .cons, .noint, .avout(unused_avout));

  // ---- head scheduler: a queue's heads in a row (up to a ring line), then the next --
  logic [PW-1:0] tp;
  logic [5:0]    turn;
  logic          a_ready;
  assign c_p   = 16'(tp);
  assign c_pop = c_hv && a_ready;
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      tp   <= '0;
      turn <= '0;
    end else if (!c_hv || (c_pop && turn == 6'd31)) begin
      tp   <= (int'(tp) == NP - 1) ? '0 : tp + 1'b1;
      turn <= '0;
    end else if (c_pop) begin
      turn <= turn + 1'b1;
    end
  end

  // ---- chain walker ----------------------------------------------------------------
  logic        r_valid, r_pop;
  logic [15:0] r_p, r_reason;
  logic [31:0] r_uid;
  logic [7:0]  r_gen, r_ndesc, r_di;
  logic [2:0]  r_status;
  logic [24:0] r_total;
  logic [63:0] r_daddr;
  logic [31:0] r_dlen;
  vq_chain #(.NP(NP), .ENG(1), .NCH(NCH), .MAXD(16), .CKW(CKW), .JKW(1)) u_chain (
    .clk, .rst_n, .ind_en, .pk, .st, .gen, .size, .desc,
    .a_valid(c_hv), .a_ready, .a_kind(JOB_WALK), .a_p(c_p), .a_gen(gen[tp]),
    .a_head(c_head), .a_ck(1'b0),
    .rq_valid(rq_valid[1]), .rq_ready(rq_ready[1]), .rq_addr(rq_addr[1]),
    .rq_len(rq_len[1]), .rq_q(rq_q[1]), .rq_p(rq_p[1]), .rq_cookie(rq_cookie[1]),
    .cpl_valid(cpl_valid[1]), .cpl_cookie, .cpl_data,
    .r_valid, .r_p, .r_gen, .r_uid, .r_status, .r_reason, .r_ndesc, .r_total, .r_ck(unused_r_ck),
    .r_di, .r_daddr, .r_dlen, .r_pop);

  // ---- buffers, frame buffer, MAC ---------------------------------------------------
  logic        u_full, u_push;
  logic [15:0] u_p;
  logic [31:0] u_id;
  logic [7:0]  u_gen;
  vq_txbuf #(.NP(NP), .NF(NF), .NL(NL), .MAXRD(MAXRD), .MAXF(2048), .CKW(CKW)) u_buf (
    .clk, .rst_n, .st, .gen, .tx_csum, .hdr_hash,
    .r_valid, .r_p, .r_gen, .r_uid, .r_status, .r_reason, .r_ndesc, .r_total, .r_di,
    .r_daddr, .r_dlen, .r_pop,
    .err_valid(err_valid[1]), .err_p(err_p[1]), .err_reason(err_reason[1]),
    .rq_valid(rq_valid[2]), .rq_ready(rq_ready[2]), .rq_addr(rq_addr[2]),
    .rq_len(rq_len[2]), .rq_p(rq_p[2]), .rq_cookie(rq_cookie[2]),
    .cpl_valid(cpl_valid[2]), .cpl_cookie, .cpl_beat, .cpl_data, .cpl_last,
    .m_axis_tx_tvalid, .m_axis_tx_tready, .m_axis_tx_tdata, .m_axis_tx_tkeep,
    .m_axis_tx_tlast, .u_full, .u_push, .u_p, .u_gen, .u_id, .cnt_pkt, .cnt_bytes,
    .hq_p(iq_p), .hq_busy(buf_busy));
  assign rq_q[2] = 16'(2 * int'(rq_p[2]) + 1);

  // ---- used ring -------------------------------------------------------------------
  vq_used #(.NP(NP), .DEPTH(16), .BATCH(32)) u_used (
    .ev_en, .pk, .ae_valid, .ae_p, .ae_val, .ae_done, .ae_done_p, .ue_want, .ue_take,
    .ue_take_p, .ue_cpl, .ue_cpl_p, .ue_val,
        .coal_valid(cmd_valid && (cmd == 2'(QC_CMD_START) || cmd == 2'(QC_CMD_COAL))),
    .coal_p(cmd_p), .coal(cmd_coal),
    .clk, .rst_n, .st, .gen, .size, .vector, .desc, .device, .noint, .clr_valid, .clr_p, .start_valid, .start_p, .start_base,
    .push(u_push), .push_p(u_p), .push_gen(u_gen), .push_id(u_id), .push_len('0), .push_more(1'b0),
    .full(u_full), .wr_valid, .wr_ready, .wr_addr, .wr_data, .wr_len, .wr_p,
    .msi_valid, .msi_ready, .msi_vector, .msi_p, .used_idx,
    .hq_p(iq_p), .hq_busy(used_busy));
endmodule
`default_nettype wire
