// vq_rx: the receive engine (even virtqueues 2p).  MAC frames are steered and buffered
// (vq_rx_in); an assigner gives each frame, in order, a head from its queue's prefetched
// ring entries (vq_ring), re-reading avail idx once before it gives up; the walker
// (vq_chain) reads the chain; vq_rx_out writes header and frame; vq_used completes.
// With RX_MRG a frame longer than the smallest chain its queue has shown (or any frame,
// before one has been seen) is slow: the assigner gives it one chain and then waits for
// vq_rx_out's verdict, giving it further chains (m_more) until it is done (m_done).
`default_nettype none
module vq_rx
  import vionic_regs_pkg::*;
#(
  parameter int QP  = 4,
  parameter int CKW = 40,
  parameter int HL  = 2,     // ring lines per queue
  parameter int NCH = 128,   // chains being walked (a desc read lasts the latency)
  parameter int NFR = 64,    // frames waiting for a chain, power of two
  parameter int NL  = 512    // frame buffer lines (64 B)
) (
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic                 datapath_en,
  input  wire logic                 ev_en,
  input  wire logic                 pk,
  input  wire logic                 ind_en,
  input  wire logic                 rx_mrg,
  input  wire logic                 hdr_hash,
  input  wire logic                 rx_csum,
  input  wire logic                 cw_valid,
  input  wire logic [11:0]          cw_addr,
  input  wire logic [31:0]          cw_data,
  output logic [31:0]               rxf_ctrl_q,
  output logic [31:0]               rss_ctrl_q,
  output logic                      cnt_filt,
  output logic                      cnt_csum_bad,
  input  wire logic [7:0]           rx_queue_pairs,
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
  // two read clients: ring, walker
  output logic [1:0]                rq_valid,
  input  wire logic [1:0]           rq_ready,
  output logic [1:0][63:0]          rq_addr,
  output logic [1:0][12:0]          rq_len,
  output logic [1:0][15:0]          rq_q,
  output logic [1:0][CKW-1:0]       rq_cookie,
  input  wire logic [1:0]           cpl_valid,
  input  wire logic [CKW-1:0]       cpl_cookie,
  input  wire logic [511:0]         cpl_data,
  input  wire logic [6:0]           cpl_beat,
  input  wire logic                 cpl_last,
  // two write clients: data, used (the wide data apart: the cycle model copies a packed
  // array whole)
  output logic [1:0]                wr_valid,
  input  wire logic [1:0]           wr_ready,
  output logic [1:0][63:0]          wr_addr,
  output logic [511:0]              wr_data_d,   // data of client 0 (frames)
  output logic [511:0]              wr_data_u,   // data of client 1 (used ring)
  output logic [1:0][6:0]           wr_len,
  output logic                      msi_valid,
  input  wire logic                 msi_ready,
  output logic [15:0]               msi_vector,
  input  wire logic                 s_axis_rx_tvalid,
  output logic                      s_axis_rx_tready,
  input  wire logic [511:0]         s_axis_rx_tdata,
  input  wire logic [63:0]          s_axis_rx_tkeep,
  input  wire logic                 s_axis_rx_tlast,
  output logic                      qerr_valid,
  input  wire logic                 qerr_ready,
  output logic [15:0]               qerr_p,
  output logic [15:0]               qerr_reason,
  output logic                      idle,
  output logic                      cnt_pkt,
  output logic [15:0]               cnt_bytes,
  output logic                      cnt_drop
);
  `include "vq_defs.svh"
  localparam int NP = QP;
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int LW = $clog2(NL);
  localparam int MW  = 39;           // frame metadata: {filt, h20, data_valid, report, hash}
  localparam int JKW = MW + 13 + LW;

  logic [NP-1:0][2:0]  st;
  logic [NP-1:0][7:0]  gen;
  logic [NP-1:0][15:0] size, vector, cons, used_idx;
  logic [NP-1:0][63:0] desc, driver, device;
  logic [NP-1:0]       pend, noint, avout;
  logic                clr_valid, pend_clr;
  logic [15:0]         clr_p, pend_clr_p;
  logic                start_valid;
  logic [15:0]         start_p, start_base;
  logic [1:0]          err_valid;
  logic [1:0][15:0]    err_p, err_reason;
  logic [4:0]          bz_valid;
  logic [4:0][15:0]    bz_p;
  logic [1:0][15:0]    rq_p, wr_p;
  logic [15:0]         msi_p;
  logic                wip, out_busy, used_busy;
  assign wip = out_busy || used_busy;

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

  // ---- ingress ------------------------------------------------------------------------
  logic          fi_push, fi_empty, fi_pop;
  /* verilator lint_off UNUSEDSIGNAL */  // fi_room keeps it from filling
  logic          fi_full;
  /* verilator lint_on UNUSEDSIGNAL */
  /* verilator lint_off UNUSEDSIGNAL */  // a 16-bit queue number: only the low bits count
  logic [15:0]   fi_p;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [7:0]    fi_gen;
  logic [11:0]   fi_len;
  logic [LW-1:0] fi_start;
  logic [MW-1:0] fi_meta;
  logic [LW:0]   bh;
  logic [LW+5:0] rd_off;
  logic          rd_en;
  logic [511:0]  rd_data;
  logic          in_drop, out_drop;
  logic          fi_room;
  vq_rx_in #(.NP(NP), .NL(NL), .MAXF(2048)) u_in (
    .clk, .rst_n, .datapath_en, .rx_queue_pairs, .gen, .hdr_hash, .rx_csum,
    .cw_valid, .cw_addr, .cw_data, .rxf_ctrl_q, .rss_ctrl_q,
    .s_axis_rx_tvalid, .s_axis_rx_tready, .s_axis_rx_tdata, .s_axis_rx_tkeep,
    .s_axis_rx_tlast, .f_push(fi_push), .f_full(!fi_room), .f_p(fi_p), .f_meta(fi_meta),
    .f_gen(fi_gen), .f_len(fi_len), .f_start(fi_start), .bh, .rd_en, .rd_off, .rd_data,
    .drop(in_drop), .cnt_filt, .cnt_csum_bad);

  // a frame is taken from the MAC only with room for it and those vq_rx_cls still holds
  localparam int FIW = MW + PW + 8 + 12 + LW;
  localparam int CLS_DEPTH = 6;
  logic [FIW-1:0] fi_head;
  logic [$clog2(NFR):0] fi_count;
  vq_fifo #(.W(FIW), .DEPTH(NFR)) u_frames (
    .clk, .rst_n, .push(fi_push), .din({fi_meta, fi_p[PW-1:0], fi_gen, fi_len, fi_start}),
    .pop(fi_pop), .dout(fi_head), .empty(fi_empty), .full(fi_full), .count(fi_count));
  assign fi_room = int'(fi_count) + CLS_DEPTH <= NFR;
  logic [MW-1:0] hmeta;
  logic [PW-1:0] hp;
  logic [7:0]    hg;
  logic [11:0]   hlen;
  logic [LW-1:0] hstart;
  logic          hfilt, hh20;
  assign {hmeta, hp, hg, hlen, hstart} = fi_head;
  assign hfilt = hmeta[38];
  assign hh20  = hmeta[37];

  // ---- ring ------------------------------------------------------------------------
  logic [15:0] c_head;
  logic        c_hv, c_wait, c_pop, rr_valid;

  // ---- assigner: a chain (or the verdict that there is none) for each frame, in order
  logic [NP-1:0][15:0] bmin;   // smallest chain seen since the queue started (0: none)
  logic        m_more, m_done, b_valid;
  logic [15:0] b_p, b_total;
  logic        held;           // a slow frame's chain is out: wait for vq_rx_out's verdict
  logic        cont;           // the held frame wants another chain
  logic [PW-1:0] k_p;
  logic [7:0]  k_g;
  logic [11:0] k_len;
  logic [LW-1:0] k_start;
  logic [MW-1:0] k_meta;
  logic [PW-1:0] ap;           // the queue the assigner serves now
  logic [7:0]  ag;
  logic        have, h_slow;
  logic [JKW-1:0] a_ck;
  assign ap     = cont ? k_p : hp;
  assign ag     = cont ? k_g : hg;
  assign have   = !held && (cont || !fi_empty);
  assign h_slow = rx_mrg && (bmin[hp] == '0 ||
                            16'(hlen) + (hh20 ? 16'(NET_HDR_HASH_LEN) : 16'(NET_HDR_LEN)) > bmin[hp]);
  assign a_ck   = cont ? {k_meta, 1'b1, k_len, k_start} : {hmeta, h_slow, hlen, hstart};

  typedef enum logic [1:0] { A_LOOK, A_ASK, A_WAIT } ast_t;
  ast_t     ast;
  logic     reread;      // avail idx was re-read for the frame at the head
  logic     h_stale;
  logic     a_valid, a_ready, a_take;
  logic [1:0] a_kind;
  assign h_stale = st[ap] != 3'(QSTATE_RUNNING) || gen[ap] != ag || (!cont && hfilt);
  always_comb begin
    a_valid = 1'b0;
    a_kind  = JOB_WALK;
    if (have && ast == A_LOOK) begin
      if (h_stale) begin
        a_valid = 1'b1;
        a_kind  = JOB_STALE;
      end else if (!datapath_en) begin
        a_valid = 1'b1;
        a_kind  = JOB_NOBUF;
      end else if (c_hv) begin
        a_valid = 1'b1;
      end else if (!c_wait && !avout[ap] && reread) begin
        a_valid = 1'b1;
        a_kind  = JOB_NOBUF;
      end
    end
  end
  assign a_take   = a_valid && a_ready;
  assign fi_pop   = a_take && !cont;
  assign c_pop    = a_take && a_kind == JOB_WALK;
  assign rr_valid = ast == A_ASK;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      ast    <= A_LOOK;
      reread <= 1'b0;
      held   <= 1'b0;
      cont   <= 1'b0;
    end else begin
      case (ast)
        A_LOOK: if (a_take) begin
          reread <= 1'b0;
        end else if (have && !h_stale && datapath_en && !c_hv && !c_wait &&
                     !(reread && !avout[ap])) begin
          ast <= avout[ap] ? A_WAIT : A_ASK;
        end
        A_ASK: if (h_stale || !datapath_en) ast <= A_LOOK;
               else if (avout[ap]) ast <= A_WAIT;
        A_WAIT: if (!avout[ap]) begin
          reread <= 1'b1;
          ast    <= A_LOOK;
        end
        default: ast <= A_LOOK;
      endcase
      if (a_take && (cont || h_slow)) begin
        held <= 1'b1;
        cont <= 1'b0;
        if (!cont) begin
          k_p     <= hp;
          k_g     <= hg;
          k_len   <= hlen;
          k_start <= hstart;
          k_meta  <= hmeta;
        end
      end
      if (m_more) begin
        held <= 1'b0;
        cont <= 1'b1;
      end
      if (m_done) held <= 1'b0;
      if (b_valid && b_p < 16'(NP) && (bmin[b_p[PW-1:0]] == '0 || b_total < bmin[b_p[PW-1:0]]))
        bmin[b_p[PW-1:0]] <= b_total;
      if (clr_valid && clr_p < 16'(NP)) bmin[clr_p[PW-1:0]] <= '0;
      if (start_valid && start_p < 16'(NP)) bmin[start_p[PW-1:0]] <= '0;
      if (dev_reset) bmin <= '0;
    end
  end

  logic        ae_valid, ae_done, ue_take, ue_cpl;
  logic [15:0] ae_p, ae_val, ae_done_p, ue_take_p, ue_cpl_p;
  logic [31:0] ue_val;
  logic [NP-1:0] ue_want;
  vq_ring #(.NP(NP), .ENG(0), .HL(HL), .CKW(CKW)) u_ring (
    .ev_en, .pk, .ae_valid, .ae_p, .ae_val, .ae_done, .ae_done_p, .ue_want, .ue_take,
    .ue_take_p, .ue_cpl, .ue_cpl_p, .ue_val,
    .clk, .rst_n, .datapath_en, .st, .size, .desc, .driver, .pend, .pend_clr, .pend_clr_p,
    .clr_valid, .clr_p, .start_valid, .start_p, .start_base,
    .rq_valid(rq_valid[0]), .rq_ready(rq_ready[0]), .rq_addr(rq_addr[0]),
    .rq_len(rq_len[0]), .rq_q(rq_q[0]), .rq_p(rq_p[0]), .rq_cookie(rq_cookie[0]),
    .cpl_valid(cpl_valid[0]), .cpl_cookie, .cpl_data, .cpl_beat, .cpl_last,
    .err_valid(err_valid[0]), .err_p(err_p[0]), .err_reason(err_reason[0]),
    .c_p(16'(ap)), .c_hv, .c_head, .c_wait, .c_pop, .rr_valid, .rr_p(16'(ap)),
    .cons, .noint, .avout);

  // ---- walker ----------------------------------------------------------------------
  logic        r_valid, r_pop;
  logic [15:0] r_p, r_reason;
  logic [31:0] r_uid;
  logic [7:0]  r_gen, r_ndesc, r_di;
  logic [2:0]  r_status;
  logic [24:0] r_total;
  logic [63:0] r_daddr;
  logic [31:0] r_dlen;
  logic [JKW-1:0] r_ck;
  vq_chain #(.NP(NP), .ENG(0), .NCH(NCH), .MAXD(8), .CKW(CKW), .JKW(JKW)) u_chain (
    .clk, .rst_n, .ind_en, .pk, .st, .gen, .size, .desc,
    .a_valid, .a_ready, .a_kind, .a_p(16'(ap)), .a_gen(ag), .a_head(c_head),
    .a_ck,
    .rq_valid(rq_valid[1]), .rq_ready(rq_ready[1]), .rq_addr(rq_addr[1]),
    .rq_len(rq_len[1]), .rq_q(rq_q[1]), .rq_p(rq_p[1]), .rq_cookie(rq_cookie[1]),
    .cpl_valid(cpl_valid[1]), .cpl_cookie, .cpl_data,
    .r_valid, .r_p, .r_gen, .r_uid, .r_status, .r_reason, .r_ndesc, .r_total, .r_ck,
    .r_di, .r_daddr, .r_dlen, .r_pop);

  // ---- writer ----------------------------------------------------------------------
  logic        u_full, u_push;
  logic [15:0] u_p;
  logic [31:0] u_id;
  logic [7:0]  u_gen;
  logic [31:0] u_len;
  logic        u_more;
  vq_rx_out #(.NP(NP), .NL(NL)) u_out (
    .clk, .rst_n, .st, .gen,
    .r_valid, .r_p, .r_gen, .r_uid, .r_status, .r_reason, .r_ndesc, .r_total, .r_ck,
    .r_di, .r_daddr, .r_dlen, .r_pop, .rd_en, .rd_off, .rd_data, .bh,
    .wr_valid(wr_valid[0]), .wr_ready(wr_ready[0]), .wr_addr(wr_addr[0]),
    .wr_data(wr_data_d), .wr_len(wr_len[0]), .wr_p(wr_p[0]),
    .u_full, .u_push, .u_p, .u_gen, .u_id, .u_len, .u_more,
    .m_more, .m_done, .b_valid, .b_p, .b_total,
    .err_valid(err_valid[1]), .err_p(err_p[1]), .err_reason(err_reason[1]),
    .cnt_pkt, .cnt_bytes, .drop(out_drop), .hq_p(iq_p), .hq_busy(out_busy));

  vq_used #(.NP(NP), .DEPTH(16), .BATCH(32)) u_used (
    .ev_en, .pk, .ae_valid, .ae_p, .ae_val, .ae_done, .ae_done_p, .ue_want, .ue_take,
    .ue_take_p, .ue_cpl, .ue_cpl_p, .ue_val,
        .coal_valid(cmd_valid && (cmd == 2'(QC_CMD_START) || cmd == 2'(QC_CMD_COAL))),
    .coal_p(cmd_p), .coal(cmd_coal),
    .clk, .rst_n, .st, .gen, .size, .vector, .desc, .device, .noint, .clr_valid, .clr_p, .start_valid, .start_p, .start_base,
    .push(u_push), .push_p(u_p), .push_gen(u_gen), .push_id(u_id), .push_len(u_len), .push_more(u_more),
    .full(u_full), .wr_valid(wr_valid[1]), .wr_ready(wr_ready[1]), .wr_addr(wr_addr[1]),
    .wr_data(wr_data_u), .wr_len(wr_len[1]), .wr_p(wr_p[1]),
    .msi_valid, .msi_ready, .msi_vector, .msi_p, .used_idx,
    .hq_p(iq_p), .hq_busy(used_busy));

  // two drop sources, one pulse per cycle out
  logic [7:0] drops;
  assign cnt_drop = drops != '0;
  always_ff @(posedge clk) begin
    if (!rst_n) drops <= '0;
    else drops <= drops + 8'(in_drop) + 8'(out_drop) - 8'(drops != '0);
  end
endmodule
`default_nettype wire
