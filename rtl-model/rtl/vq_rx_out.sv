// vq_rx_out: the host side of receive.  Takes each frame with the chain the walker
// fetched for it, in arrival order, and writes header+frame (one byte stream in the
// frame buffer) across the chain's buffers in writes of up to 64 bytes; then hands
// {head, hdr+len} to the used writer.  The header (12 bytes, 20 with HDR_HASH) is laid
// over the stream's first bytes as they go out: flags (DATA_VALID), num_buffers 1, and
// hash_value/hash_report, from the frame's metadata.  A chain that is too small (or longer than the
// walker keeps) is returned with used.len 0; frames without a chain are dropped.  A frame
// is started only while its queue is RUNNING; once its first write is out it is written
// whole and completed even if the queue is being reset (which waits for it: hq_busy).
//
// Merged receive buffers (MRG_RXBUF): a frame the assigner marked slow may run past the
// end of its chain.  The used element of the full chain is parked, the assigner is asked
// for another chain of the same queue (m_more) - it assigns nothing else meanwhile, so
// that chain is the next one to arrive - and writing goes on there.  At the end the
// header's num_buffers byte is rewritten, then the last element goes out without
// push_more, which lets vq_used publish them all at once.  When no further chain comes
// (no buffer, queue reset, driver error) or MAXB buffers are used, the frame ends where
// it is: the buffers used so far are returned with num_buffers saying so, and counted
// as a drop.
`default_nettype none
module vq_rx_out
  import vionic_regs_pkg::*;
#(
  parameter int NP = 4,
  parameter int NL = 512,
  parameter int MAXB = 64,   // buffers one merged frame may use (vq_used counts to 127)
  parameter int MW = 39      // frame metadata: {filt, h20, data_valid, report[3:0], hash[31:0]}
) (
  /* verilator lint_off UNUSEDSIGNAL */  // queue numbers and cookies are full width on every port
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic [NP-1:0][2:0]   st,
  input  wire logic [NP-1:0][7:0]   gen,
  input  wire logic                 r_valid,
  input  wire logic [15:0]          r_p,
  input  wire logic [7:0]           r_gen,
  input  wire logic [31:0]          r_uid,      // used element: [15:0] id, [31:16] ring slots
  input  wire logic [2:0]           r_status,
  input  wire logic [15:0]          r_reason,
  input  wire logic [7:0]           r_ndesc,
  input  wire logic [24:0]          r_total,
  input  wire logic [MW+13+$clog2(NL)-1:0] r_ck,  // {meta, slow, frame length, first line}
  output logic [7:0]                r_di,
  input  wire logic [63:0]          r_daddr,
  input  wire logic [31:0]          r_dlen,
  output logic                      r_pop,
  output logic                      rd_en,
  output logic [$clog2(NL)+5:0]     rd_off,
  input  wire logic [511:0]         rd_data,
  output logic [$clog2(NL):0]       bh,
  output logic                      wr_valid,
  input  wire logic                 wr_ready,
  output logic [63:0]               wr_addr,
  output logic [511:0]              wr_data,
  output logic [6:0]                wr_len,
  output logic [15:0]               wr_p,
  input  wire logic                 u_full,
  output logic                      u_push,
  output logic [15:0]               u_p,
  output logic [7:0]                u_gen,
  output logic [31:0]               u_id,
  output logic [31:0]               u_len,
  output logic                      u_more,
  // merged frames: the assigner's partner
  output logic                      m_more,     // the slow frame needs another chain
  output logic                      m_done,     // the slow frame is finished
  output logic                      b_valid,    // a walked chain of queue b_p holds b_total
  output logic [15:0]               b_p,
  output logic [15:0]               b_total,
  output logic                      err_valid,
  output logic [15:0]               err_p,
  output logic [15:0]               err_reason,
  output logic                      cnt_pkt,
  output logic [15:0]               cnt_bytes,
  output logic                      drop,
  // a frame of queue hq_p is being written or its used element waits (the reset scanner asks)
  input  wire logic [15:0]          hq_p,
  output logic                      hq_busy
  /* verilator lint_on UNUSEDSIGNAL */
);
  `include "vq_defs.svh"
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int LW = $clog2(NL);

  logic          slow, m_filt, m_h20, m_dv;
  logic [3:0]    m_rep;
  logic [31:0]   m_hash;
  logic [11:0]   flen;
  logic [LW-1:0] fstart;
  logic [12:0]   T, HDR;
  logic [LW:0]   fnl;
  assign {m_filt, m_h20, m_dv, m_rep, m_hash, slow, flen, fstart} = r_ck;
  assign HDR = m_h20 ? 13'(NET_HDR_HASH_LEN) : 13'(NET_HDR_LEN);
  assign T   = 13'(flen) + HDR;
  assign fnl = (LW+1)'((T + 13'd63) >> 6);

  // the header's contents, laid over the buffer's first HDR bytes (virtio 5.1.6)
  logic [159:0] hv, hm;
  always_comb begin
    hv = '0;
    hv[8 * NET_HDR_FLAGS_OFF +: 8]        = m_dv ? 8'(NET_HDR_F_DATA_VALID) : 8'd0;
    hv[8 * NET_HDR_NUM_BUFFERS_OFF +: 8]  = 8'd1;   // (rewritten for merged frames)
    hv[8 * NET_HDR_HASH_VALUE_OFF +: 32]  = m_hash;
    hv[8 * NET_HDR_HASH_REPORT_OFF +: 4]  = m_rep;
    hm = m_h20 ? '1 : 160'({96{1'b1}});
  end

  logic r_stale;
  assign r_stale = st[r_p[PW-1:0]] != 3'(QSTATE_RUNNING) || gen[r_p[PW-1:0]] != r_gen;

  // W_CONT: a merged frame waits for its next chain; W_NB: its num_buffers byte goes out
  typedef enum logic [1:0] { W_IDLE, W_DATA, W_CONT, W_NB } wst_t;
  wst_t        wst;
  logic [31:0] dpos;        // inside descriptor r_di
  logic [12:0] s;           // bytes of header+frame written
  logic [12:0] cs;          // of them, into the current chain
  logic [7:0]  nb;          // chains the frame has used, the current one included
  logic [63:0] nb_addr;     // where num_buffers' low byte went
  logic        trunc;
  logic [15:0] cur_p;
  logic [11:0] cur_flen;
  logic [LW:0] cur_fnl;
  // the used element of the chain just written waits until its last write is taken; a
  // merged frame's element is parked until it is known whether more of the frame follow
  logic        pu_valid, pu_park, pu_more;
  logic [15:0] pu_p;
  logic [31:0] pu_id;
  logic [7:0]  pu_gen;
  logic [12:0] pu_len;

  logic wr_free, pu_go, pu_free;
  assign wr_free = !wr_valid || wr_ready;
  logic unpark;              // a merged frame's next chain is here: its predecessor may go
  assign pu_go   = pu_valid && (!pu_park || unpark) && wr_free && !u_full;
  assign pu_free = !pu_valid || pu_go;

  // what to do with the chain at the head when it arrives
  logic i_gone, i_err, i_small, i_start;
  assign i_gone  = r_status == CH_STALE || r_status == CH_NOBUF || r_stale;
  assign i_err   = !i_gone && r_status == CH_ERR;
  assign i_small = !i_gone && !i_err &&
                   (r_status == CH_TOOLONG || r_total < (slow ? 25'(HDR) : 25'(T)));
  assign i_start = wst == W_IDLE && r_valid && !i_gone && !i_err && !i_small && pu_free;

  // a merged frame's next chain: used up to its end, skipped (empty or too long: returned
  // with nothing in it), or no chain at all (the frame ends)
  logic k_end, k_skip, k_go;
  assign k_end  = wst == W_CONT && r_valid && (i_gone || i_err);
  assign unpark = wst == W_CONT && r_valid && !k_end;
  assign k_skip = unpark && pu_free && (r_status == CH_TOOLONG || r_total == '0);
  assign k_go   = unpark && pu_free && !k_skip;

  // the next write: the first one of a frame goes out in the cycle its chain arrives
  logic        busy;
  logic [31:0] e_dpos, dleft, c;
  logic [12:0] e_s, e_cs, ns;
  assign busy   = wst == W_DATA || i_start;
  assign e_dpos = wst == W_DATA ? dpos : '0;
  assign e_s    = wst == W_DATA ? s : '0;
  assign e_cs   = wst == W_DATA ? cs : '0;
  always_comb begin
    dleft = r_dlen - e_dpos;
    c = 32'(13'(T - e_s));
    if (c > dleft) c = dleft;
    if (c > 32'd64) c = 32'd64;
  end
  assign ns     = e_s + 13'(c);
  assign rd_off = {fstart, 6'd0} + (LW+6)'(e_s);

  logic [511:0] ov, om;
  always_comb begin
    ov = '0;
    om = '0;
    if (busy && e_s < HDR) begin   // (only for a write: the cycle model evaluates it always)
      ov = 512'(hv) >> {e_s, 3'd0};
      om = 512'(hm) >> {e_s, 3'd0};
    end
  end

  logic d_next, d_write, d_last, d_full, abandon, side;
  assign d_next  = busy && e_dpos >= r_dlen;                // an empty or used-up descriptor
  // a frame whose first write went out is finished whatever happens to its queue; one
  // that has written nothing yet is dropped when its queue stops running
  assign abandon = wst == W_DATA && s == '0 && r_stale;
  assign d_write = busy && !d_next && !abandon && wr_free;
  assign d_last  = d_write && ns == T;
  assign d_full  = d_write && !d_last && 25'(e_cs) + 25'(c) >= r_total;  // chain used up
  assign rd_en   = d_write;
  // drop / return-empty verdicts are taken only with no used element pending
  assign side    = wst == W_IDLE && r_valid && !i_start && !pu_valid &&
                   (i_gone || i_err || (i_small && !u_full));

  logic [7:0] e_nb;
  logic       nb_cap, nk_cap;  // the chain just filled / skipped is the last a frame may have
  assign e_nb   = wst == W_DATA ? nb : 8'd1;
  assign nb_cap = e_nb >= 8'(MAXB);
  assign nk_cap = nb + 8'd1 >= 8'(MAXB);

  assign r_pop  = side || abandon || d_last || d_full || k_end || k_skip;
  assign u_push = pu_go || (side && i_small);
  assign u_p    = pu_go ? pu_p : r_p;
  assign u_gen  = pu_go ? pu_gen : r_gen;
  assign u_id   = pu_go ? pu_id : r_uid;
  assign u_len  = pu_go ? 32'(pu_len) : '0;
  assign u_more = pu_go && pu_more;
  assign hq_busy = (wst != W_IDLE && cur_p[PW-1:0] == hq_p[PW-1:0]) ||
                   (pu_valid && pu_p[PW-1:0] == hq_p[PW-1:0]);

  assign b_valid = r_pop && r_status == CH_OK && !r_stale;
  assign b_p     = r_p;
  assign b_total = r_total > 25'hffff ? 16'hffff : r_total[15:0];

  always_ff @(posedge clk) begin
    drop      <= 1'b0;
    err_valid <= 1'b0;
    cnt_pkt   <= 1'b0;
    m_more    <= 1'b0;
    m_done    <= 1'b0;
    if (!rst_n) begin
      wst      <= W_IDLE;
      bh       <= '0;
      wr_valid <= 1'b0;
      pu_valid <= 1'b0;
      pu_park  <= 1'b0;
      r_di     <= '0;
      cur_p    <= '0;
    end else begin
      if (wr_valid && wr_ready) wr_valid <= 1'b0;
      if (pu_go) pu_valid <= 1'b0;
      if (side) begin
        drop   <= !m_filt;              // counted by the filter instead
        m_done <= slow;
        bh     <= bh + fnl;
      end
      // a driver error, on a frame's first chain or on a merged frame's next one
      if ((side || k_end) && i_err) begin
        err_valid  <= 1'b1;
        err_p      <= r_p;
        err_reason <= r_reason;
      end
      if (i_start) begin
        wst      <= W_DATA;
        dpos     <= '0;
        s        <= '0;
        cs       <= '0;
        nb       <= 8'd1;
        trunc    <= 1'b0;
        cur_p    <= r_p;
        cur_flen <= flen;
        cur_fnl  <= fnl;
      end
      if (d_next && wst == W_DATA) begin
        r_di <= r_di + 1'b1;
        dpos <= '0;
      end
      if (abandon) begin
        drop   <= 1'b1;
        m_done <= slow;
        bh     <= bh + fnl;
        r_di   <= '0;
        wst    <= W_IDLE;
      end
      if (d_write) begin
        wr_valid <= 1'b1;
        wr_addr  <= r_daddr + 64'(e_dpos);
        wr_data  <= (rd_data & ~om) | (ov & om);
        wr_len   <= 7'(c);
        wr_p     <= r_p;
        s        <= ns;
        cs       <= e_cs + 13'(c);
        if (e_s <= 13'(NET_HDR_NUM_BUFFERS_OFF) && ns > 13'(NET_HDR_NUM_BUFFERS_OFF))
          nb_addr <= r_daddr + 64'(e_dpos) + 64'(13'(13'(NET_HDR_NUM_BUFFERS_OFF) - e_s));
        if (e_dpos + c >= r_dlen) begin
          r_di <= r_di + 1'b1;
          dpos <= '0;
        end else begin
          dpos <= e_dpos + c;
        end
        if (d_last || d_full) begin
          pu_valid <= 1'b1;
          pu_p     <= r_p;
          pu_gen   <= r_gen;
          pu_id    <= r_uid;
          pu_len   <= e_cs + 13'(c);
          r_di     <= '0;
        end
        if (d_last && e_nb == 8'd1) begin
          pu_more   <= 1'b0;
          pu_park   <= 1'b0;
          cnt_pkt   <= 1'b1;
          cnt_bytes <= 16'(flen);
          m_done    <= slow;
          bh        <= bh + fnl;
          wst       <= W_IDLE;
        end else if (d_last) begin
          pu_more <= 1'b0;
          pu_park <= 1'b1;
          wst     <= W_NB;
        end else if (d_full) begin
          pu_more <= !nb_cap;
          pu_park <= 1'b1;
          trunc   <= nb_cap;
          m_more  <= !nb_cap;
          wst     <= nb_cap ? W_NB : W_CONT;
        end
      end
      if (k_end) begin
        pu_more <= 1'b0;
        trunc   <= 1'b1;
        wst     <= W_NB;
      end
      if (k_skip) begin
        pu_valid <= 1'b1;
        pu_p     <= r_p;
        pu_gen   <= r_gen;
        pu_id    <= r_uid;
        pu_len   <= '0;
        pu_more  <= !nk_cap;
        pu_park  <= 1'b1;
        nb       <= nb + 1'b1;
        trunc    <= nk_cap;
        m_more   <= !nk_cap;
        if (nk_cap) wst <= W_NB;
      end
      if (k_go) begin
        wst  <= W_DATA;
        dpos <= '0;
        cs   <= '0;
        r_di <= '0;
        nb   <= nb + 1'b1;
      end
      if (wst == W_NB && wr_free) begin
        wr_valid <= 1'b1;
        wr_addr  <= nb_addr;
        wr_data  <= 512'(nb);
        wr_len   <= 7'd1;
        wr_p     <= cur_p;
        pu_park  <= 1'b0;
        bh       <= bh + cur_fnl;
        m_done   <= 1'b1;
        wst      <= W_IDLE;
        if (trunc) begin
          drop <= 1'b1;
        end else begin
          cnt_pkt   <= 1'b1;
          cnt_bytes <= 16'(cur_flen);
        end
      end
    end
  end
endmodule
`default_nettype wire
