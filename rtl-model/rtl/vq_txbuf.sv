// vq_txbuf: the transmit data path after the chain walker.  Chains are taken in order;
// each frame gets a line-aligned place in a circular buffer of NL 64-byte lines and its
// buffers are read (at most MAXRD bytes a read, many reads in flight) with the first
// NET_HDR_LEN bytes of the chain left out, wherever the header ends.  Completion beats
// are rotated to their byte offset in the frame and written into two lines (even/odd
// banks) with byte enables.  Complete frames leave in order on m_axis_tx, one line a
// beat; then the chain is handed to the used writer.  A frame starts only while its queue
// is RUNNING; once its first beat is out it finishes and is completed even if the queue
// is being reset (the reset waits for it: hq_busy).  Frames not started by then are
// dropped without a trace: the driver takes their buffers back.
`default_nettype none
module vq_txbuf
  import vionic_regs_pkg::*;
#(
  parameter int NP    = 4,
  parameter int NF    = 128,   // frames between the walker and the MAC, power of two
  parameter int NL    = 512,   // buffer lines, power of two
  parameter int MAXRD = 512,   // bytes per read request
  parameter int MAXF  = 2048,  // longest frame sent (bytes after the header)
  parameter int CKW   = 40
) (
  /* verilator lint_off UNUSEDSIGNAL */  // queue numbers and cookies are full width on every port
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic [NP-1:0][2:0]   st,
  input  wire logic [NP-1:0][7:0]   gen,
  // chains from the walker
  input  wire logic                 r_valid,
  input  wire logic [15:0]          r_p,
  input  wire logic [7:0]           r_gen,
  input  wire logic [15:0]          r_head,
  input  wire logic [2:0]           r_status,
  input  wire logic [15:0]          r_reason,
  input  wire logic [7:0]           r_ndesc,
  input  wire logic [24:0]          r_total,
  output logic [7:0]                r_di,
  input  wire logic [63:0]          r_daddr,
  input  wire logic [31:0]          r_dlen,
  output logic                      r_pop,
  output logic                      err_valid,
  output logic [15:0]               err_p,
  output logic [15:0]               err_reason,
  // buffer reads
  output logic                      rq_valid,
  input  wire logic                 rq_ready,
  output logic [63:0]               rq_addr,
  output logic [12:0]               rq_len,
  output logic [15:0]               rq_p,
  output logic [CKW-1:0]            rq_cookie,
  input  wire logic                 cpl_valid,
  input  wire logic [CKW-1:0]       cpl_cookie,
  input  wire logic [6:0]           cpl_beat,
  input  wire logic [511:0]         cpl_data,
  input  wire logic                 cpl_last,
  // MAC
  output logic                      m_axis_tx_tvalid,
  input  wire logic                 m_axis_tx_tready,
  output logic [511:0]              m_axis_tx_tdata,
  output logic [63:0]               m_axis_tx_tkeep,
  output logic                      m_axis_tx_tlast,
  // finished chains to the used writer
  input  wire logic                 u_full,
  output logic                      u_push,
  output logic [15:0]               u_p,
  output logic [7:0]                u_gen,
  output logic [15:0]               u_id,
  output logic                      cnt_pkt,
  output logic [15:0]               cnt_bytes,
  // a frame of queue hq_p is going out on the MAC (the reset scanner asks)
  input  wire logic [15:0]          hq_p,
  output logic                      hq_busy
  /* verilator lint_on UNUSEDSIGNAL */
);
  `include "vq_defs.svh"
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int FW = $clog2(NF);
  localparam int LW = $clog2(NL);
  localparam int BW = LW + 6;                 // byte offset in the buffer
  localparam int HDR = NET_HDR_LEN;
  if (NF < 2 || (NF & (NF - 1)) != 0 || NL < 64 || (NL & (NL - 1)) != 0) begin : g_bad
    $error("vq_txbuf: NF and NL must be powers of two, NL >= 64");
  end
  if (MAXRD < 64 || MAXRD > 4096 || MAXF > 4096 || (MAXF + 63) / 64 > NL / 2) begin : g_bad2
    $error("vq_txbuf: MAXRD in 64..4096, MAXF <= 4096 and at most half the buffer");
  end
  if (FW + BW + 13 > CKW) begin : g_bad_ckw
    $error("vq_txbuf: cookie too narrow");
  end

  // ---- frame records --------------------------------------------------------------
  logic [PW-1:0] f_p     [NF];
  logic [7:0]    f_gen   [NF];
  logic [15:0]   f_head  [NF];
  logic [12:0]   f_len   [NF];
  logic [LW-1:0] f_start [NF];
  logic [6:0]    f_nl    [NF];
  logic          f_drop  [NF];
  logic          f_idone [NF];   // every read for it has been issued
  logic [7:0]    f_nrd   [NF];
  logic [7:0]    f_ndone [NF];
  logic [FW:0]   fh, ft;
  logic [LW:0]   bh, bt;         // buffer lines: freed / allocated (free-running)

  logic [511:0] bank0 [NL/2];
  logic [511:0] bank1 [NL/2];

  // ---- issue ----------------------------------------------------------------------
  typedef enum logic [0:0] { I_IDLE, I_RD } ist_t;
  ist_t          ist;
  logic [FW-1:0] cf;
  logic [31:0]   cum, dpos;      // chain bytes before descriptor r_di; position inside it
  logic [7:0]    nrd;
  logic [LW-1:0] cstart;

  logic          r_stale, r_drop, f_room;
  logic [24:0]   r_flen;
  logic [6:0]    r_nl;
  assign r_stale = st[r_p[PW-1:0]] != 3'(QSTATE_RUNNING) || gen[r_p[PW-1:0]] != r_gen;
  assign r_flen  = r_total - 25'(HDR);
  assign r_drop  = r_status == CH_TOOLONG || r_total <= 25'(HDR) || r_flen > 25'(MAXF);
  assign r_nl    = 7'((r_flen + 25'd63) >> 6);
  assign f_room  = (ft - fh) != (FW+1)'(NF);

  // a frame's first read goes out in the cycle its chain is taken (e_* are the values
  // that hold then); its last read also finishes it
  logic          alloc_go, active;
  logic [31:0]   e_cum, e_dpos;
  logic [FW-1:0] e_cf;
  logic [LW-1:0] e_start;
  logic [7:0]    e_nrd;
  assign alloc_go = ist == I_IDLE && r_valid && r_status != CH_STALE && !r_stale &&
                    r_status != CH_ERR && !r_drop && f_room &&
                    (LW+1)'(NL) - (bt - bh) >= (LW+1)'(r_nl);
  assign active   = ist == I_RD || alloc_go;
  assign e_cum    = ist == I_RD ? cum : '0;
  assign e_dpos   = ist == I_RD ? dpos : '0;
  assign e_cf     = ist == I_RD ? cf : ft[FW-1:0];
  assign e_start  = ist == I_RD ? cstart : bt[LW-1:0];
  assign e_nrd    = ist == I_RD ? nrd : '0;

  logic [31:0] skip, pos, left, chunk;
  always_comb begin
    skip = (e_cum < 32'(HDR)) ? 32'(HDR) - e_cum : 32'd0;
    if (skip > r_dlen) skip = r_dlen;
    pos   = (e_dpos > skip) ? e_dpos : skip;
    left  = r_dlen - pos;
    chunk = (left > 32'(MAXRD)) ? 32'(MAXRD) : left;
  end
  // where the read's first byte goes: the frame's first line + its offset after the header
  logic [BW-1:0] boff;
  assign boff = BW'({e_start, 6'd0}) + BW'(e_cum + pos - 32'(HDR));

  logic rd_go, rd_last, i_done, i_next;
  // all issued, or the queue was reset under us (the emitter then drops the frame)
  assign i_done  = active && (r_di == r_ndesc || (pos < r_dlen && r_stale));
  assign i_next  = active && !i_done && pos >= r_dlen;
  assign rd_go   = active && !i_done && !i_next && (!rq_valid || rq_ready);
  assign rd_last = rd_go && pos + chunk >= r_dlen && r_di + 1'b1 == r_ndesc;

  always_comb begin
    r_pop = i_done || rd_last;
    if (ist == I_IDLE && r_valid) begin
      if (r_status == CH_STALE || r_stale || r_status == CH_ERR) r_pop = 1'b1;
      else if (f_room && r_drop) r_pop = 1'b1;
    end
  end

  // ---- completions: rotate into place ------------------------------------------------
  // The beat's bytes go to line la from byte offset ck_off[5:0] on, the rest to line la+1.
  // The shifts and byte masks are made in the clocked block, only for a beat that came: as
  // combinational logic the cycle model would compute them every cycle.
  logic [FW-1:0]  ck_f;
  logic [BW-1:0]  ck_off;
  logic [12:0]    ck_len, ck_rem;
  logic [6:0]     ck_nb;         // bytes in this beat
  logic [7:0]     ck_end;        // byte offset after the last one, from line la on
  logic           ck_two;        // they spill into the next line
  logic [LW-1:0]  la, lb;
  assign ck_f   = cpl_cookie[BW + 13 +: FW];
  assign ck_off = cpl_cookie[13 +: BW];
  assign ck_len = cpl_cookie[0 +: 13];
  assign ck_rem = ck_len - 13'({cpl_beat, 6'd0});
  assign ck_nb  = (ck_rem >= 13'd64) ? 7'd64 : 7'(ck_rem[5:0]);
  assign ck_end = 8'(ck_off[5:0]) + 8'(ck_nb);
  assign ck_two = ck_end > 8'd64;
  assign la = ck_off[BW-1:6] + LW'(cpl_beat);
  assign lb = la + 1'b1;

  // ---- emit ----------------------------------------------------------------------
  logic [FW-1:0] he;
  logic [6:0]    ebeat;
  logic          h_there, h_ready, h_stale, out_free, e_skip, e_beat, e_last;
  logic [LW-1:0] eline;
  logic [12:0]   erem;
  assign he       = fh[FW-1:0];
  assign h_there  = fh != ft;
  assign h_ready  = h_there && f_idone[he] && f_ndone[he] == f_nrd[he];
  assign h_stale  = st[f_p[he]] != 3'(QSTATE_RUNNING) || gen[f_p[he]] != f_gen[he];
  assign out_free = !m_axis_tx_tvalid || m_axis_tx_tready;
  // a frame is dropped whole or sent whole: the check is made before its first beat
  assign e_skip   = h_ready && ebeat == '0 && (h_stale || (f_drop[he] && !u_full));
  assign e_beat   = h_ready && out_free && !f_drop[he] && (ebeat != '0 || (!h_stale && !u_full));
  assign e_last   = ebeat == f_nl[he] - 1'b1;
  assign eline    = f_start[he] + LW'(ebeat);
  assign erem     = f_len[he] - 13'({ebeat, 6'd0});

  assign u_push    = (e_skip && !h_stale) || (e_beat && e_last);
  assign u_p       = 16'(f_p[he]);
  assign u_gen     = f_gen[he];
  assign u_id      = f_head[he];
  // once its first beat is out a frame is finished whatever happens to its queue
  assign hq_busy   = ebeat != '0 && f_p[he] == hq_p[PW-1:0];

  always_ff @(posedge clk) begin
    err_valid <= 1'b0;
    cnt_pkt   <= 1'b0;
    if (!rst_n) begin
      ist      <= I_IDLE;
      fh       <= '0;
      ft       <= '0;
      bh       <= '0;
      bt       <= '0;
      rq_valid <= 1'b0;
      ebeat    <= '0;
      m_axis_tx_tvalid <= 1'b0;
      r_di     <= '0;
    end else begin
      if (rq_valid && rq_ready) rq_valid <= 1'b0;
      if (ist == I_IDLE && r_valid) begin
        if (r_status == CH_STALE || r_stale) begin
          // dropped without a trace: the queue was reset
        end else if (r_status == CH_ERR) begin
          err_valid  <= 1'b1;
          err_p      <= r_p;
          err_reason <= r_reason;
        end else if (f_room && r_drop) begin
          f_p[ft[FW-1:0]]     <= r_p[PW-1:0];
          f_gen[ft[FW-1:0]]   <= r_gen;
          f_head[ft[FW-1:0]]  <= r_head;
          f_len[ft[FW-1:0]]   <= '0;
          f_nl[ft[FW-1:0]]    <= '0;
          f_drop[ft[FW-1:0]]  <= 1'b1;
          f_idone[ft[FW-1:0]] <= 1'b1;
          f_nrd[ft[FW-1:0]]   <= '0;
          f_ndone[ft[FW-1:0]] <= '0;
          ft <= ft + 1'b1;
        end
      end
      if (alloc_go) begin
        f_p[ft[FW-1:0]]     <= r_p[PW-1:0];
        f_gen[ft[FW-1:0]]   <= r_gen;
        f_head[ft[FW-1:0]]  <= r_head;
        f_len[ft[FW-1:0]]   <= 13'(r_flen);
        f_start[ft[FW-1:0]] <= bt[LW-1:0];
        f_nl[ft[FW-1:0]]    <= r_nl;
        f_drop[ft[FW-1:0]]  <= 1'b0;
        f_idone[ft[FW-1:0]] <= 1'b0;
        f_nrd[ft[FW-1:0]]   <= '0;
        f_ndone[ft[FW-1:0]] <= '0;
        ft     <= ft + 1'b1;
        bt     <= bt + (LW+1)'(r_nl);
        cf     <= ft[FW-1:0];
        cstart <= bt[LW-1:0];
        cum    <= '0;
        dpos   <= '0;
        nrd    <= '0;
        ist    <= I_RD;
      end
      if (i_next) begin
        cum  <= e_cum + r_dlen;
        dpos <= '0;
        r_di <= r_di + 1'b1;
      end
      if (rd_go) begin
        rq_valid  <= 1'b1;
        rq_addr   <= r_daddr + 64'(pos);
        rq_len    <= 13'(chunk);
        rq_p      <= r_p;
        rq_cookie <= CKW'({e_cf, boff, 13'(chunk)});
        nrd       <= e_nrd + 1'b1;
        if (pos + chunk >= r_dlen) begin
          cum  <= e_cum + r_dlen;
          dpos <= '0;
          r_di <= r_di + 1'b1;
        end else begin
          dpos <= pos + chunk;
        end
      end
      if (i_done || rd_last) begin
        f_idone[e_cf] <= 1'b1;
        f_nrd[e_cf]   <= e_nrd + 8'(rd_last);
        r_di          <= '0;
        ist           <= I_IDLE;
      end

      if (cpl_valid) begin
        logic [511:0] d_lo, m_lo, d_hi, m_hi;
        d_lo = cpl_data << {ck_off[5:0], 3'd0};
        m_lo = {512{1'b1}} << {ck_off[5:0], 3'd0};
        if (ck_end < 8'd64) m_lo = m_lo & ~({512{1'b1}} << {ck_end[5:0], 3'd0});
        if (la[0]) bank1[la[LW-1:1]] <= (bank1[la[LW-1:1]] & ~m_lo) | (d_lo & m_lo);
        else       bank0[la[LW-1:1]] <= (bank0[la[LW-1:1]] & ~m_lo) | (d_lo & m_lo);
        if (ck_two) begin
          // 64 < ck_end < 128, so 0 < ck_off[5:0] and ck_end[5:0] bytes land in line la+1
          d_hi = cpl_data >> (10'd512 - {4'd0, ck_off[5:0]} * 10'd8);
          m_hi = ~({512{1'b1}} << {ck_end[5:0], 3'd0});
          if (lb[0]) bank1[lb[LW-1:1]] <= (bank1[lb[LW-1:1]] & ~m_hi) | (d_hi & m_hi);
          else       bank0[lb[LW-1:1]] <= (bank0[lb[LW-1:1]] & ~m_hi) | (d_hi & m_hi);
        end
        if (cpl_last) f_ndone[ck_f] <= f_ndone[ck_f] + 1'b1;
      end

      if (m_axis_tx_tvalid && m_axis_tx_tready) m_axis_tx_tvalid <= 1'b0;
      if (e_skip) begin
        bh <= bh + (LW+1)'(f_nl[he]);
        fh <= fh + 1'b1;
      end else if (e_beat) begin
        m_axis_tx_tvalid <= 1'b1;
        m_axis_tx_tdata  <= eline[0] ? bank1[eline[LW-1:1]] : bank0[eline[LW-1:1]];
        m_axis_tx_tlast  <= e_last;
        m_axis_tx_tkeep  <= e_last ? ((erem >= 13'd64) ? '1 : ((64'd1 << erem[5:0]) - 64'd1)) : '1;
        if (e_last) begin
          ebeat     <= '0;
          bh        <= bh + (LW+1)'(f_nl[he]);
          fh        <= fh + 1'b1;
          cnt_pkt   <= 1'b1;
          cnt_bytes <= 16'(f_len[he]);
        end else begin
          ebeat <= ebeat + 1'b1;
        end
      end
    end
  end
endmodule
`default_nettype wire
