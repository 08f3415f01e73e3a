// vq_ring: the avail side of one engine's split rings.  Per queue it keeps the avail idx
// last read, how far the ring has been fetched (fetch) and consumed (cons), and HL lines
// of up to 32 prefetched ring entries (one 64-byte read each).  A scanner visits one
// queue per cycle: it reads avail flags|idx when a doorbell is pending (or the consumer
// asks for a re-read), and reads a batch of ring entries whenever avail idx is ahead of
// fetch and a line is free.  The consumer takes heads of one queue at a time.
//
// EVENT_IDX (ev_en): each avail idx read that shows a new value asks vq_used to write it
// as avail_event (the driver then kicks once it goes past it); once that write is out the
// avail idx is read again, so a buffer the driver added before it could see the new
// avail_event is not missed.  vq_used asks for used_event (ue_want) before it notifies;
// the scanner reads it and hands it back (ue_cpl).
//
// Packed rings (pk, 2.8): there is no avail idx, so a line is a read of up to 32
// descriptors from the fetch position (never across the ring end) and keeps their flags
// and NEXT bits; positions are {wrap, index[14:0]}.  A kick reads one line; a line whose
// last slot is available asks for the next (more), up to HL in flight.  The consumer takes
// a head where the slot is available (AVAIL = wrap, USED = !wrap) and skips the chain's
// other slots with it.  At the first slot that is not available the queue rewinds: once
// its reads are in, the lines are dropped and fetch goes back to that slot.  It is read
// again at once only if a read went out after that line's (it may have taken the kick
// that announced the slot); otherwise the next kick reads it.  vq_used's event-suppression
// read (ue_want) takes the driver area's 4 bytes.
`default_nettype none
module vq_ring
  import vionic_regs_pkg::*;
#(
  parameter int NP  = 4,     // queues of this engine
  parameter int ENG = 1,     // 0 RX (even queues), 1 TX (odd queues)
  parameter int HL  = 2,     // ring-entry lines per queue, power of two
  parameter int CKW = 40
) (
  /* verilator lint_off UNUSEDSIGNAL */  // queue numbers and cookies are full width on every port
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic                 datapath_en,
  input  wire logic                 ev_en,         // EVENT_IDX negotiated
  input  wire logic [NP-1:0][2:0]   st,
  input  wire logic [NP-1:0][15:0]  size,
  input  wire logic                 pk,          // packed rings
  input  wire logic [NP-1:0][63:0]  desc,
  input  wire logic [NP-1:0][63:0]  driver,
  input  wire logic [NP-1:0]        pend,
  output logic                      pend_clr,
  output logic [15:0]               pend_clr_p,
  input  wire logic                 clr_valid,
  input  wire logic [15:0]          clr_p,
  input  wire logic                 start_valid,   // QC_CMD_START: indices begin at start_base
  input  wire logic [15:0]          start_p,
  input  wire logic [15:0]          start_base,
  // read requests
  output logic                      rq_valid,
  input  wire logic                 rq_ready,
  output logic [63:0]               rq_addr,
  output logic [12:0]               rq_len,
  output logic [15:0]               rq_q,
  output logic [15:0]               rq_p,
  output logic [CKW-1:0]            rq_cookie,
  input  wire logic                 cpl_valid,
  input  wire logic [CKW-1:0]       cpl_cookie,
  input  wire logic [511:0]         cpl_data,
  input  wire logic [6:0]           cpl_beat,
  input  wire logic                 cpl_last,
  output logic                      err_valid,
  output logic [15:0]               err_p,
  output logic [15:0]               err_reason,
  // consumer: heads of queue c_p
  input  wire logic [15:0]          c_p,
  output logic                      c_hv,        // a head is ready
  output logic [15:0]               c_head,
  output logic                      c_wait,      // more heads are on their way
  input  wire logic                 c_pop,
  input  wire logic                 rr_valid,    // consumer wants avail idx of rr_p re-read
  input  wire logic [15:0]          rr_p,
  output logic [NP-1:0][15:0]       cons,
  output logic [NP-1:0]             noint,
  output logic [NP-1:0]             avout,
  // EVENT_IDX, with vq_used
  output logic                      ae_valid,      // write avail_event of ae_p: ae_val
  output logic [15:0]               ae_p,
  output logic [15:0]               ae_val,
  input  wire logic                 ae_done,       // it went out: read avail idx again
  input  wire logic [15:0]          ae_done_p,
  input  wire logic [NP-1:0]        ue_want,       // read used_event of these queues
  output logic                      ue_take,       // the read of ue_take_p is issued
  output logic [15:0]               ue_take_p,
  output logic                      ue_cpl,        // used_event of ue_cpl_p is ue_val
  output logic [15:0]               ue_cpl_p,
  output logic [31:0]               ue_val      // split: used_event; packed: {flags, off_wrap}
  /* verilator lint_on UNUSEDSIGNAL */
);
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int LW = (HL > 1) ? $clog2(HL) : 1;
  localparam int NL = NP * HL;
  localparam int PFO = 8 * PDESC_FLAGS_OFF;   // packed: a descriptor's flags, in bits
  if (HL < 1 || (HL & (HL - 1)) != 0) begin : g_bad_hl
    $error("vq_ring: HL must be a power of two");
  end
  if (2 + PW + LW > CKW) begin : g_bad_ckw
    $error("vq_ring: cookie too narrow");
  end

  logic [15:0]  avail [NP];
  logic [15:0]  fetch [NP];
  logic [LW:0]  lwr   [NP];     // lines allocated (free-running)
  logic [LW:0]  lrd   [NP];     // lines consumed
  logic [4:0]   hpos  [NP];     // next entry in the line being consumed
  logic [5:0]   lcnt  [NL];     // entries a line holds
  logic         lfill [NL];     // its read has completed
  logic [127:0] lines [NL * 4];  // a line in four parts: the head is read from one of them
  logic [NP-1:0] rr_ev;         // EVENT_IDX: avail_event written, read avail idx again
  logic [NP-1:0] aev_ok;        // aev holds what was last asked for as avail_event
  logic [15:0]  aev   [NP];
  logic [31:0]  lnx   [NL];     // packed: NEXT of each slot of a line
  logic         lwp   [NL];     // packed: the wrap counter its slots are read against
  logic [NP-1:0] more;          // packed: the last line came back available to its end
  logic [NP-1:0] rrk;           // packed: read again from the rewound slot
  logic [NP-1:0] icn;           // packed: the next slot continues a chain already taken
  logic [LW+1:0] lout  [NP];    // packed: line reads out

  function automatic int lidx(input logic [PW-1:0] p, input logic [LW-1:0] l);
    return int'(p) * HL + ((HL > 1) ? int'(l) : 0);
  endfunction
  // packed: position pos ({wrap, index}) moved on by n slots of a ring of sz
  function automatic logic [15:0] padv(input logic [15:0] pos, input logic [15:0] n,
                                       input logic [15:0] sz);
    logic [15:0] i;
    i = 16'(pos[14:0]) + n;
    return (i >= sz) ? {~pos[15], 15'(i - sz)} : {pos[15], i[14:0]};
  endfunction
  // packed: a slot is available against wrap counter w (2.8.1)
  function automatic logic pav(input logic [15:0] f, input logic w);
    return ((f & 16'(PDESC_F_AVAIL)) != 0) == w && ((f & 16'(PDESC_F_USED)) != 0) != w;
  endfunction

  // packed: slots a line of queue q may still read - never a whole ring past the consumer
  function automatic logic [15:0] pk_room(input int q);
    logic [15:0] ahead;
    ahead = (fetch[q][15] == cons[q][15]) ? 16'(fetch[q][14:0]) - 16'(cons[q][14:0])
                                          : 16'(fetch[q][14:0]) + size[q] - 16'(cons[q][14:0]);
    return size[q] - ahead;
  endfunction

  // ---- scanner ------------------------------------------------------------------------
  logic [PW-1:0] sp, cq;
  logic          use_rr;
  assign use_rr = rr_valid && rr_p < 16'(NP) && !avout[rr_p[PW-1:0]];
  logic          do_pk;
  // A doorbell is served first: the next queue from sp on with a kick waiting (its avail
  // read not out), so a kick does not wait for the scanner to come round (up to NP
  // cycles).  A queue keeps at most one avail read out, so none starves the others; a packed
  // queue whose lines are all taken waits for the consumer, not for the scanner.
  logic          kq_v;
  logic [PW-1:0] kq;
  int unsigned   kqi;
  always_comb begin
    kq_v = 1'b0;
    kq   = sp;
    kqi  = 0;
    if (datapath_en && (pend & ~avout) != '0)   // (the cycle model evaluates this every cycle)
      for (int i = NP - 1; i >= 0; i--) begin
        kqi = (int'(sp) + i) % NP;
        if (pend[kqi] && !avout[kqi] && st[kqi] == 3'(QSTATE_RUNNING) &&
            (!pk || ((lwr[kqi] - lrd[kqi]) < (LW+1)'(HL) && pk_room(int'(kqi)) != '0))) begin
          kq_v = 1'b1;
          kq   = PW'(kqi);
        end
      end
  end
  assign cq     = use_rr ? rr_p[PW-1:0] : (kq_v ? kq : sp);

  logic        ok, do_av, do_ring, do_ue;
  logic [15:0] qmask, fpos, navail, room, k;
  assign ok      = datapath_en && st[cq] == 3'(QSTATE_RUNNING);
  assign qmask   = size[cq] - 1'b1;
  assign fpos    = fetch[cq] & qmask;
  assign navail  = avail[cq] - fetch[cq];
  assign room    = size[cq] - fpos;          // entries before the ring wraps
  always_comb begin
    k = navail;
    if (k > room) k = room;
    if (k > 16'd32) k = 16'd32;
  end
  assign do_av   = !pk && !rq_valid && ok && !avout[cq] && (pend[cq] || use_rr || rr_ev[cq]);
  assign do_ue   = !rq_valid && ok && !do_av && (ev_en || pk) && ue_want[cq];
  assign do_ring = !pk && !rq_valid && ok && !do_av && !do_ue && navail != '0 &&
                   (lwr[cq] - lrd[cq]) < (LW+1)'(HL);
  logic [15:0] pk_k;     // packed: slots the next line reads
  always_comb begin
    pk_k = size[cq] - 16'(fetch[cq][14:0]);
    if (pk_k > 16'd32) pk_k = 16'd32;
    if (pk_k > pk_room(int'(cq))) pk_k = pk_room(int'(cq));
  end
  assign do_pk   = pk && !rq_valid && ok && !do_ue &&
                   (pend[cq] || more[cq] || rrk[cq] || use_rr) &&
                   (lwr[cq] - lrd[cq]) < (LW+1)'(HL) && pk_k != '0;

  // ---- consumer -----------------------------------------------------------------------
  logic [PW-1:0] pp;
  logic [LW:0]   crl;
  assign pp   = c_p[PW-1:0];
  assign crl  = lrd[pp];
  logic        cfill;
  logic [15:0] centry;  // split: the head; packed: the slot's flags
  assign cfill  = c_p < 16'(NP) && lwr[pp] != crl && lfill[lidx(pp, crl[LW-1:0])];
  assign centry = lines[lidx(pp, crl[LW-1:0]) * 4 + int'(hpos[pp][4:3])][16 * hpos[pp][2:0] +: 16];
  // packed: the chain that starts (or goes on) at hpos ends before pkend in this line, or
  // goes on into the next (pkcross)
  logic       pkav, pkcross, pk_rw, pkstop;
  logic [5:0] pkend, clc;
  logic [31:0] cnx;
  assign clc  = lcnt[lidx(pp, crl[LW-1:0])];
  assign cnx  = lnx[lidx(pp, crl[LW-1:0])];
  assign pkav = pav(centry, cons[pp][15]);
  // a chain's slots in a line after its head's are taken only while available (that line
  // may have been read before the driver wrote them): pkstop, the chain goes on at pkend
  always_comb begin
    pkend   = clc;
    pkcross = 1'b1;
    pkstop  = 1'b0;
    if (pk && cfill)
      for (int i = 0; i < 32; i++)
        if (pkcross && !pkstop && 6'(i) >= 6'(hpos[pp]) && 6'(i) < clc) begin
          if (icn[pp] && !pav(lines[lidx(pp, crl[LW-1:0]) * 4 + i / 8][16 * (i % 8) +: 16], cons[pp][15])) begin
            pkend  = 6'(i);
            pkstop = 1'b1;
          end else if (!cnx[i]) begin
            pkend   = 6'(i + 1);
            pkcross = 1'b0;
          end
        end
  end
  assign c_hv   = pk ? cfill && !icn[pp] && pkav : cfill;
  assign c_head = pk ? {1'b0, cons[pp][14:0]} : centry;
  assign c_wait = c_p < 16'(NP) && (lwr[pp] != crl ||
                  (pk ? (more[pp] || rrk[pp] || pend[pp]) : avail[pp] != fetch[pp]));
  // packed: the slot at hpos is not available: once the queue's reads are in, rewind
  assign pk_rw  = pk && cfill && (icn[pp] ? pkend == 6'(hpos[pp]) : !pkav) && lout[pp] == '0 &&
                  !(do_pk && cq == pp);

  // ---- completions --------------------------------------------------------------------
  // cookie: {line, queue, kind}; kind 0 avail flags|idx, 1 ring entries, 2 used_event
  logic          ck_ring, ck_ue;
  logic [PW-1:0] ck_p;
  logic [LW-1:0] ck_l;
  logic [15:0]   av_new;
  assign ck_ring = cpl_cookie[1:0] == 2'd1;
  assign ck_ue   = cpl_cookie[1:0] == 2'd2;
  assign ck_p    = cpl_cookie[2 +: PW];
  assign ck_l    = cpl_cookie[2 + PW +: LW];
  logic [1:0]    ck_lc;    // packed: the completing line's last slot, in its beat
  logic          lk_in;    // packed: a line read is complete
  assign ck_lc   = 2'(lcnt[int'(ck_p) * HL + ((HL > 1) ? int'(ck_l) : 0)] - 6'd1);
  assign lk_in   = pk && cpl_valid && ck_ring && cpl_last;
  assign av_new  = cpl_data[31:16];
  assign ue_take   = do_ue;
  assign ue_take_p = 16'(cq);

  assign rq_q = 16'(2 * int'(rq_p) + ENG);

  always_ff @(posedge clk) begin
    pend_clr  <= 1'b0;
    err_valid <= 1'b0;
    ae_valid  <= 1'b0;
    ue_cpl    <= 1'b0;
    if (!rst_n) begin
      rq_valid <= 1'b0;
      sp       <= '0;
      rr_ev    <= '0;
      aev_ok   <= '0;
      more     <= '0;
      rrk      <= '0;
      icn      <= '0;
      for (int i = 0; i < NP; i++) lout[i] <= '0;
    end else begin
      if (rq_valid && rq_ready) rq_valid <= 1'b0;
      if (!use_rr || cq == sp) sp <= (int'(sp) == NP - 1) ? '0 : sp + 1'b1;
      if (do_av) begin
        rq_valid   <= 1'b1;
        rq_addr    <= driver[cq];
        rq_len     <= 13'd4;
        rq_p       <= 16'(cq);
        rq_cookie  <= CKW'({cq, 2'd0});
        avout[cq]  <= 1'b1;
        rr_ev[cq]  <= 1'b0;
        pend_clr   <= 1'b1;
        pend_clr_p <= 16'(cq);
      end else if (do_ue) begin
        rq_valid  <= 1'b1;
        rq_addr   <= pk ? driver[cq] : driver[cq] + 64'd4 + 64'({size[cq], 1'b0});
        rq_len    <= pk ? 13'd4 : 13'd2;
        rq_p      <= 16'(cq);
        rq_cookie <= CKW'({cq, 2'd2});
      end else if (do_ring) begin
        rq_valid  <= 1'b1;
        rq_addr   <= driver[cq] + 64'd4 + 64'({fpos, 1'b0});
        rq_len    <= 13'({k[5:0], 1'b0});
        rq_p      <= 16'(cq);
        rq_cookie <= CKW'({lwr[cq][LW-1:0], cq, 2'd1});
        lcnt[lidx(cq, lwr[cq][LW-1:0])]  <= k[5:0];
        lfill[lidx(cq, lwr[cq][LW-1:0])] <= 1'b0;
        lwr[cq]   <= lwr[cq] + 1'b1;
        fetch[cq] <= fetch[cq] + k;
      end else if (do_pk) begin
        rq_valid  <= 1'b1;
        rq_addr   <= desc[cq] + {45'd0, fetch[cq][14:0], 4'd0};
        rq_len    <= 13'({pk_k[5:0], 4'd0});
        rq_p      <= 16'(cq);
        rq_cookie <= CKW'({lwr[cq][LW-1:0], cq, 2'd1});
        lcnt[lidx(cq, lwr[cq][LW-1:0])]  <= pk_k[5:0];
        lfill[lidx(cq, lwr[cq][LW-1:0])] <= 1'b0;
        lwp[lidx(cq, lwr[cq][LW-1:0])]   <= fetch[cq][15];
        lwr[cq]   <= lwr[cq] + 1'b1;
        fetch[cq] <= padv(fetch[cq], pk_k, size[cq]);
        avout[cq] <= 1'b1;
        rrk[cq]   <= 1'b0;
        pend_clr   <= 1'b1;
        pend_clr_p <= 16'(cq);
      end

      if (cpl_valid) begin
        if (ck_ue) begin
          ue_cpl   <= 1'b1;
          ue_cpl_p <= 16'(ck_p);
          ue_val   <= pk ? cpl_data[31:0] : {16'd0, cpl_data[15:0]};
        end else if (ck_ring && pk) begin
          // beat b holds slots 4b..4b+3: their flags and NEXT bits
          lines[(int'(ck_p) * HL + ((HL > 1) ? int'(ck_l) : 0)) * 4 + int'(cpl_beat[2:1])]
               [64 * cpl_beat[0] +: 64] <= {cpl_data[384 + PFO +: 16], cpl_data[256 + PFO +: 16],
                                            cpl_data[128 + PFO +: 16], cpl_data[PFO +: 16]};
          lnx[int'(ck_p) * HL + ((HL > 1) ? int'(ck_l) : 0)][4 * cpl_beat[2:0] +: 4] <=
              {(cpl_data[384 + PFO +: 16] & 16'(DESC_F_NEXT)) != 0,
               (cpl_data[256 + PFO +: 16] & 16'(DESC_F_NEXT)) != 0,
               (cpl_data[128 + PFO +: 16] & 16'(DESC_F_NEXT)) != 0,
               (cpl_data[PFO +: 16] & 16'(DESC_F_NEXT)) != 0};
          if (cpl_last) begin
            lfill[int'(ck_p) * HL + ((HL > 1) ? int'(ck_l) : 0)] <= 1'b1;
            more[ck_p] <= pav(cpl_data[128 * int'(ck_lc[1:0]) + PFO +: 16],
                              lwp[int'(ck_p) * HL + ((HL > 1) ? int'(ck_l) : 0)]);
          end
        end else if (ck_ring) begin
          for (int i = 0; i < 4; i++)
            lines[(int'(ck_p) * HL + ((HL > 1) ? int'(ck_l) : 0)) * 4 + i] <= cpl_data[128 * i +: 128];
          lfill[int'(ck_p) * HL + ((HL > 1) ? int'(ck_l) : 0)] <= 1'b1;
        end else begin
          avout[ck_p] <= 1'b0;
          noint[ck_p] <= cpl_data[0];
          if (16'(av_new - fetch[ck_p]) > size[ck_p]) begin
            err_valid  <= 1'b1;
            err_p      <= 16'(ck_p);
            err_reason <= 16'(QERR_AVAIL_JUMP);
          end else begin
            avail[ck_p] <= av_new;
            if (ev_en && (!aev_ok[ck_p] || aev[ck_p] != av_new)) begin
              ae_valid     <= 1'b1;
              ae_p         <= 16'(ck_p);
              ae_val       <= av_new;
              aev[ck_p]    <= av_new;
              aev_ok[ck_p] <= 1'b1;
            end
          end
        end
      end

      if (pk && cfill && ((icn[pp] && pkend != 6'(hpos[pp])) || (c_pop && c_hv))) begin
        // the head (or the chain's slots left from the last line) and its chain's slots
        cons[pp] <= padv(cons[pp], 16'(pkend) - 16'(hpos[pp]), size[pp]);
        icn[pp]  <= pkcross || pkstop;
        if (pkend >= clc) begin
          hpos[pp] <= '0;
          lrd[pp]  <= crl + 1'b1;
        end else begin
          hpos[pp] <= pkend[4:0];
        end
      end else if (pk_rw) begin
        lrd[pp]   <= lwr[pp];
        hpos[pp]  <= '0;
        fetch[pp] <= cons[pp];
        more[pp]  <= 1'b0;
        rrk[pp]   <= icn[pp] || (lwr[pp] - crl) > (LW+1)'(1);
      end else if (!pk && c_pop && c_hv) begin
        cons[pp] <= cons[pp] + 1'b1;
        if (6'(hpos[pp]) + 6'd1 == lcnt[lidx(pp, crl[LW-1:0])]) begin
          hpos[pp] <= '0;
          lrd[pp]  <= crl + 1'b1;
        end else begin
          hpos[pp] <= hpos[pp] + 1'b1;
        end
      end

      if (ae_done && ae_done_p < 16'(NP)) rr_ev[ae_done_p[PW-1:0]] <= 1'b1;

      // packed: line reads out per queue (one may go out and one come in at once)
      if (pk) begin
        if (do_pk && !(lk_in && ck_p == cq)) lout[cq] <= lout[cq] + 1'b1;
        if (lk_in && !(do_pk && ck_p == cq)) begin
          lout[ck_p] <= lout[ck_p] - 1'b1;
          if (lout[ck_p] == (LW+2)'(1)) avout[ck_p] <= 1'b0;
        end
      end

      // a cleared queue has nothing in flight (it drained), so nothing above races this
      if (clr_valid && clr_p < 16'(NP)) begin
        avail[clr_p[PW-1:0]] <= '0;
        fetch[clr_p[PW-1:0]] <= '0;
        cons[clr_p[PW-1:0]]  <= '0;
        lwr[clr_p[PW-1:0]]   <= '0;
        lrd[clr_p[PW-1:0]]   <= '0;
        hpos[clr_p[PW-1:0]]  <= '0;
        noint[clr_p[PW-1:0]] <= 1'b0;
        avout[clr_p[PW-1:0]] <= 1'b0;
        rr_ev[clr_p[PW-1:0]]  <= 1'b0;
        aev_ok[clr_p[PW-1:0]] <= 1'b0;
        more[clr_p[PW-1:0]]   <= 1'b0;
        rrk[clr_p[PW-1:0]]    <= 1'b0;
        icn[clr_p[PW-1:0]]    <= 1'b0;
        lout[clr_p[PW-1:0]]   <= '0;
      end
      // a queue starts IDLE and cleared: nothing of it is in flight to race this either
      if (start_valid && start_p < 16'(NP)) begin
        avail[start_p[PW-1:0]] <= start_base;
        fetch[start_p[PW-1:0]] <= start_base;
        cons[start_p[PW-1:0]]  <= start_base;
        // a new ring's avail_event reads 0 (the driver zeroes it), a restored one what the
        // device before wrote: the first avail read that shows more writes it
        aev[start_p[PW-1:0]]    <= start_base;
        aev_ok[start_p[PW-1:0]] <= 1'b1;
      end
    end
  end
endmodule
`default_nettype wire
