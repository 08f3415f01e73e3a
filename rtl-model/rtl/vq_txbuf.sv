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
//
// TX checksum (TX_CSUM): the header is read too, into the last bytes of an extra line
// before the frame's first, so one read may cover header and data.  Once a frame is
// whole, a scanner (a second read port, one line a cycle, so it keeps up with the MAC
// while the frame before goes out) reads the header and, for NEEDS_CSUM, sums the frame
// from csum_start; the emitter puts the folded result at csum_start + csum_offset as
// the beat holding it goes out (skb_checksum_help: 0 is sent as 0xffff).  A csum_start /
// csum_offset pointing past the frame leaves it as it is.
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
  input  wire logic                 tx_csum,
  input  wire logic                 hdr_hash,   // 20-byte headers
  // chains from the walker
  input  wire logic                 r_valid,
  input  wire logic [15:0]          r_p,
  input  wire logic [7:0]           r_gen,
  input  wire logic [31:0]          r_uid,      // used element: [15:0] id, [31:16] ring slots
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
  output logic [31:0]               u_id,
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
  logic [4:0] HDR;
  assign HDR = hdr_hash ? 5'(NET_HDR_HASH_LEN) : 5'(NET_HDR_LEN);
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
  logic [31:0]   f_uid   [NF];
  logic [12:0]   f_len   [NF];
  logic [LW-1:0] f_start [NF];
  logic [6:0]    f_nl    [NF];
  logic          f_drop  [NF];
  logic          f_hl    [NF];   // a header line precedes the frame (TX_CSUM)
  logic          f_scan  [NF];   // the scanner is done with it
  logic          f_fix   [NF];   // put f_csum at byte f_fo
  logic [12:0]   f_fo    [NF];
  logic [15:0]   f_csum  [NF];
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

  logic          r_stale, r_drop, f_room, cs;
  logic [24:0]   r_flen;
  logic [6:0]    r_nl;
  assign r_stale = st[r_p[PW-1:0]] != 3'(QSTATE_RUNNING) || gen[r_p[PW-1:0]] != r_gen;
  assign r_flen  = r_total - 25'(HDR);
  assign r_drop  = r_status == CH_TOOLONG || r_total <= 25'(HDR) || r_flen > 25'(MAXF);
  assign r_nl    = 7'((r_flen + 25'd63) >> 6);
  assign cs      = tx_csum;
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
                    (LW+1)'(NL) - (bt - bh) >= (LW+1)'(r_nl) + (LW+1)'(cs);
  assign active   = ist == I_RD || alloc_go;
  assign e_cum    = ist == I_RD ? cum : '0;
  assign e_dpos   = ist == I_RD ? dpos : '0;
  assign e_cf     = ist == I_RD ? cf : ft[FW-1:0];
  assign e_start  = ist == I_RD ? cstart : bt[LW-1:0];
  assign e_nrd    = ist == I_RD ? nrd : '0;

  logic [31:0] skip, pos, left, chunk;
  always_comb begin
    skip = (!cs && e_cum < 32'(HDR)) ? 32'(HDR) - e_cum : 32'd0;
    if (skip > r_dlen) skip = r_dlen;
    pos   = (e_dpos > skip) ? e_dpos : skip;
    left  = r_dlen - pos;
    chunk = (left > 32'(MAXRD)) ? 32'(MAXRD) : left;
  end
  // where the read's first byte goes: chain byte HDR is byte 0 of the frame's first line
  // (with TX_CSUM that line follows the header's)
  logic [BW-1:0] boff;
  assign boff = BW'({e_start, 6'd0}) + (cs ? BW'(64) : BW'(0)) + BW'(e_cum + pos - 32'(HDR));

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
  assign h_ready  = h_there && f_idone[he] && f_ndone[he] == f_nrd[he] && f_scan[he];
  assign h_stale  = st[f_p[he]] != 3'(QSTATE_RUNNING) || gen[f_p[he]] != f_gen[he];
  assign out_free = !m_axis_tx_tvalid || m_axis_tx_tready;
  // a frame is dropped whole or sent whole: the check is made before its first beat
  assign e_skip   = h_ready && ebeat == '0 && (h_stale || (f_drop[he] && !u_full));
  assign e_beat   = h_ready && out_free && !f_drop[he] && (ebeat != '0 || (!h_stale && !u_full));
  assign e_last   = ebeat == f_nl[he] - 1'b1;
  assign eline    = f_start[he] + LW'(f_hl[he]) + LW'(ebeat);
  assign erem     = f_len[he] - 13'({ebeat, 6'd0});

  assign u_push    = (e_skip && !h_stale) || (e_beat && e_last);
  assign u_p       = 16'(f_p[he]);
  assign u_gen     = f_gen[he];
  assign u_id      = f_uid[he];
  // once its first beat is out a frame is finished whatever happens to its queue
  assign hq_busy   = ebeat != '0 && f_p[he] == hq_p[PW-1:0];

  // ---- checksum scanner -------------------------------------------------------------
  logic [FW:0]   fs;             // the frame it looks at (fh <= fs <= ft)
  logic [FW-1:0] sf;
  logic          s_busy, s_ready, s_hdr;
  logic [6:0]    sl;             // data line being summed
  logic [31:0]   ssum;
  logic [12:0]   s_start;
  logic [LW-1:0] sline;
  logic [511:0]  sdata;
  assign sf      = fs[FW-1:0];
  assign s_ready = fs != ft && f_idone[sf] && f_ndone[sf] == f_nrd[sf] && !f_scan[sf];
  assign s_hdr   = s_ready && !s_busy;
  assign sline   = f_start[sf] + (s_hdr ? LW'(0) : LW'(1) + LW'(sl));
  always_comb begin  // (read only while scanning: the cycle model evaluates it every cycle)
    sdata = '0;
    if (s_busy || s_ready) sdata = sline[0] ? bank1[sline[LW-1:1]] : bank0[sline[LW-1:1]];
  end
  // the header sits in the last HDR bytes of the frame's header line
  /* verilator lint_off UNUSEDSIGNAL */  // flags bit 0 (NEEDS_CSUM), csum_start, csum_offset
  logic [159:0] hb;
  logic [15:0]  h_cstart, h_coff;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [13:0]  h_fo;
  assign hb       = hdr_hash ? sdata[511:352] : {64'd0, sdata[511:416]};
  assign h_cstart = hb[8 * NET_HDR_CSUM_START_OFF +: 16];
  assign h_coff   = hb[8 * NET_HDR_CSUM_OFFSET_OFF +: 16];
  assign h_fo     = 14'(h_cstart) + 14'(h_coff);
  // big-endian words of line sl from csum_start to the end (worked out only while summing:
  // the cycle model evaluates it every cycle)
  logic [31:0] lsum;
  logic [12:0] loff;
  always_comb begin
    lsum = '0;
    loff = '0;
    if (s_busy)
      for (int i = 0; i < 64; i++) begin
        loff = {sl[6:0], 6'd0} + 13'(i);
        if (loff >= s_start && loff < f_len[sf])
          lsum = lsum + ((i & 1) != 0 ? {24'd0, sdata[8*i +: 8]} : {16'd0, sdata[8*i +: 8], 8'd0});
      end
  end
  function automatic logic [15:0] fold16(input logic [31:0] v);
    logic [31:0] t;
    t = {16'd0, v[15:0]} + {16'd0, v[31:16]};
    t = {16'd0, t[15:0]} + {16'd0, t[31:16]};
    return t[15:0];
  endfunction
  logic [15:0] s_res;
  assign s_res = ~fold16(ssum + lsum);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      fs     <= '0;
      s_busy <= 1'b0;
    end else if (s_busy) begin
      ssum <= ssum + lsum;
      sl   <= sl + 1'b1;
      if (sl + 1'b1 == f_nl[sf]) begin
        f_csum[sf] <= (s_res == '0) ? 16'hffff : s_res;
        f_scan[sf] <= 1'b1;
        s_busy     <= 1'b0;
        fs         <= fs + 1'b1;
      end
    end else if (s_ready) begin
      // needs a sum: TX_CSUM frame, NEEDS_CSUM, the field inside the frame
      if (f_hl[sf] && !f_drop[sf] &&
          (hb[8 * NET_HDR_FLAGS_OFF +: 8] & 8'(NET_HDR_F_NEEDS_CSUM)) != '0 &&
          14'(f_len[sf]) >= h_fo + 14'd2 && 13'(h_cstart) < f_len[sf]) begin
        f_fix[sf] <= 1'b1;
        f_fo[sf]  <= 13'(h_fo);
        s_start   <= 13'(h_cstart);
        ssum      <= '0;
        sl        <= '0;
        s_busy    <= 1'b1;
      end else begin
        f_fix[sf] <= 1'b0;
        f_scan[sf] <= 1'b1;
        fs        <= fs + 1'b1;
      end
    end else if (fs != ft && f_scan[sf]) begin
      fs <= fs + 1'b1;          // recorded as dropped: nothing to sum
    end
  end

  // the line going out, with the checksum bytes (big-endian) if it holds them
  function automatic logic [511:0] patch(input logic [511:0] d, input logic fix,
                                         input logic [12:0] fo, input logic [15:0] v,
                                         input logic [6:0] beat);
    logic [12:0] fo1;
    fo1 = fo + 13'd1;
    if (fix && fo[12:6] == beat)  d[8*fo[5:0] +: 8]  = v[15:8];
    if (fix && fo1[12:6] == beat) d[8*fo1[5:0] +: 8] = v[7:0];
    return d;
  endfunction

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
          f_uid[ft[FW-1:0]]   <= r_uid;
          f_len[ft[FW-1:0]]   <= '0;
          f_nl[ft[FW-1:0]]    <= '0;
          f_drop[ft[FW-1:0]]  <= 1'b1;
          f_hl[ft[FW-1:0]]    <= 1'b0;
          f_scan[ft[FW-1:0]]  <= 1'b1;
          f_fix[ft[FW-1:0]]   <= 1'b0;
          f_idone[ft[FW-1:0]] <= 1'b1;
          f_nrd[ft[FW-1:0]]   <= '0;
          f_ndone[ft[FW-1:0]] <= '0;
          ft <= ft + 1'b1;
        end
      end
      if (alloc_go) begin
        f_p[ft[FW-1:0]]     <= r_p[PW-1:0];
        f_gen[ft[FW-1:0]]   <= r_gen;
        f_uid[ft[FW-1:0]]   <= r_uid;
        f_len[ft[FW-1:0]]   <= 13'(r_flen);
        f_start[ft[FW-1:0]] <= bt[LW-1:0];
        f_nl[ft[FW-1:0]]    <= r_nl;
        f_drop[ft[FW-1:0]]  <= 1'b0;
        f_hl[ft[FW-1:0]]    <= cs;
        f_scan[ft[FW-1:0]]  <= 1'b0;
        f_idone[ft[FW-1:0]] <= 1'b0;
        f_nrd[ft[FW-1:0]]   <= '0;
        f_ndone[ft[FW-1:0]] <= '0;
        ft     <= ft + 1'b1;
        bt     <= bt + (LW+1)'(r_nl) + (LW+1)'(cs);
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
        bh <= bh + (LW+1)'(f_nl[he]) + (LW+1)'(f_hl[he]);
        fh <= fh + 1'b1;
      end else if (e_beat) begin
        m_axis_tx_tvalid <= 1'b1;
        m_axis_tx_tdata  <= patch(eline[0] ? bank1[eline[LW-1:1]] : bank0[eline[LW-1:1]],
                                  f_fix[he], f_fo[he], f_csum[he], ebeat);
        m_axis_tx_tlast  <= e_last;
        m_axis_tx_tkeep  <= e_last ? ((erem >= 13'd64) ? '1 : ((64'd1 << erem[5:0]) - 64'd1)) : '1;
        if (e_last) begin
          ebeat     <= '0;
          bh        <= bh + (LW+1)'(f_nl[he]) + (LW+1)'(f_hl[he]);
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
