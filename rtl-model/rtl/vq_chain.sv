// vq_chain: the descriptor-chain walker of one engine.  Jobs (a queue and a head index)
// enter a reorder buffer of NCH entries in order; every entry walks its chain on its own,
// so many descriptor reads are in flight at once.  Each read fetches up to four
// descriptors from the current index on (64 bytes), and the walk continues inside that
// block without another read when the chain's next link points into it.  The first MAXD
// descriptors are kept; the walk goes on past them only to tell a long chain from a loop.
// Chains retire in job order; the consumer reads their descriptors by index.
// With ind_en (INDIRECT_DESC) a descriptor with the INDIRECT flag ends the chain in the
// ring's table and the walk goes on at entry 0 of the table it points to (2.7.5.3), with
// that table's length as the bound for indices and for loops; its WRITE flag is ignored.
// A table inside a table, INDIRECT with NEXT, or a length that is not a non-zero multiple
// of 16 (or ind_en off) is a driver error.
// Packed rings (pk, 2.8): a chain is the run of ring slots from the head while NEXT is
// set, wrapping at the ring end; its Buffer ID is the last slot's.  An indirect table is
// walked in order to its end: inside it only WRITE counts (2.8.19), so NEXT and INDIRECT
// there are ignored.  A retired chain carries {ring slots, id} for the used write; a
// split chain {1, head}.
`default_nettype none
module vq_chain
  import vionic_regs_pkg::*;
#(
  parameter int NP   = 4,    // queues of this engine
  parameter int ENG  = 1,    // 0 RX, 1 TX
  parameter int NCH  = 64,   // chains in flight, power of two
  parameter int MAXD = 16,   // descriptors kept per chain
  parameter int CKW  = 40,   // read cookie bits
  parameter int JKW  = 1     // job cookie bits carried to the consumer
) (
  /* verilator lint_off UNUSEDSIGNAL */  // queue numbers and cookies are full width on every port
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic                 ind_en,
  input  wire logic                 pk,         // packed rings
  input  wire logic [NP-1:0][2:0]   st,
  input  wire logic [NP-1:0][7:0]   gen,
  input  wire logic [NP-1:0][15:0]  size,
  input  wire logic [NP-1:0][63:0]  desc,
  // jobs
  input  wire logic                 a_valid,
  output logic                      a_ready,
  input  wire logic [1:0]           a_kind,     // JOB_*
  input  wire logic [15:0]          a_p,
  input  wire logic [7:0]           a_gen,
  input  wire logic [15:0]          a_head,
  input  wire logic [JKW-1:0]       a_ck,
  // descriptor reads
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
  // retired chains, oldest first
  output logic                      r_valid,
  output logic [15:0]               r_p,
  output logic [7:0]                r_gen,
  output logic [31:0]               r_uid,      // [15:0] buffer id, [31:16] ring slots
  output logic [2:0]                r_status,
  output logic [15:0]               r_reason,
  output logic [7:0]                r_ndesc,
  output logic [24:0]               r_total,    // bytes, saturating
  output logic [JKW-1:0]            r_ck,
  input  wire logic [7:0]           r_di,
  output logic [63:0]               r_daddr,
  output logic [31:0]               r_dlen,
  input  wire logic                 r_pop
  /* verilator lint_on UNUSEDSIGNAL */
);
  `include "vq_defs.svh"
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int EW = $clog2(NCH);
  localparam int DW = $clog2(MAXD);
  localparam bit RX = (ENG == 0);
  if (NCH < 2 || (NCH & (NCH - 1)) != 0 || MAXD < 2 || (MAXD & (MAXD - 1)) != 0) begin : g_bad
    $error("vq_chain: NCH and MAXD must be powers of two >= 2");
  end
  if (EW + 19 > CKW) begin : g_bad_ckw
    $error("vq_chain: cookie too narrow");
  end

  logic [PW-1:0]  e_p      [NCH];
  logic [7:0]     e_gen    [NCH];
  logic [15:0]    e_head   [NCH];
  logic           e_done   [NCH];
  logic [2:0]     e_status [NCH];
  logic [15:0]    e_reason [NCH];
  logic [15:0]    e_cur    [NCH];   // descriptor index to look at next
  logic [16:0]    e_cnt    [NCH];   // descriptors seen
  logic [DW:0]    e_nd     [NCH];   // descriptors kept
  logic [24:0]    e_total  [NCH];
  logic           e_tl     [NCH];   // saw more than MAXD
  logic [63:0]    e_tbl    [NCH];   // the descriptor table walked: the ring's or indirect
  logic [15:0]    e_tsz    [NCH];   // its entries
  logic           e_ind    [NCH];   // in an indirect table
  logic [15:0]    e_id     [NCH];   // packed: Buffer ID of the last ring slot seen
  logic [15:0]    e_rc     [NCH];   // packed: ring slots the chain takes
  logic [63:0]    d_addr   [NCH * MAXD];
  logic [31:0]    d_len    [NCH * MAXD];

  logic [EW:0] hd, tl;
  assign a_ready = (tl - hd) != (EW+1)'(NCH);

  // ---- entries waiting for a descriptor read: continuations first -------------------
  logic          nw_push, nw_pop, nw_empty;
  logic          unused_nw_full, unused_ct_full;
  logic [EW:0]   unused_nw_count, unused_ct_count;
  logic [EW-1:0] nw_head;
  logic          ct_push, ct_pop, ct_empty;
  logic [EW-1:0] ct_head, ct_din;
  vq_fifo #(.W(EW), .DEPTH(NCH)) u_new (
    .clk, .rst_n, .push(nw_push), .din(tl[EW-1:0]), .pop(nw_pop), .dout(nw_head),
    .empty(nw_empty), .full(unused_nw_full), .count(unused_nw_count));
  vq_fifo #(.W(EW), .DEPTH(NCH)) u_cont (
    .clk, .rst_n, .push(ct_push), .din(ct_din), .pop(ct_pop), .dout(ct_head),
    .empty(ct_empty), .full(unused_ct_full), .count(unused_ct_count));

  logic          is_go, is_stale;
  logic [EW-1:0] ie;
  logic [PW-1:0] ip;
  logic [15:0]   icur, ileft;
  logic [2:0]    in;
  assign is_go    = (!rq_valid || rq_ready) && !(ct_empty && nw_empty);
  assign ie       = !ct_empty ? ct_head : nw_head;
  assign ct_pop   = is_go && !ct_empty;
  assign nw_pop   = is_go && ct_empty;
  assign ip       = e_p[ie];
  assign icur     = e_cur[ie];
  assign is_stale = st[ip] != 3'(QSTATE_RUNNING) || gen[ip] != e_gen[ie];
  assign ileft    = e_tsz[ie] - icur;
  assign in       = (ileft > 16'd4) ? 3'd4 : ileft[2:0];

  // ---- completed reads wait here; one descriptor is examined per cycle --------------
  // A FIFO of NCH completions kept as descriptors (16 bytes each), so the one examined is
  // read on its own rather than as a 512-bit line in every cycle of the cycle model.
  localparam int PCW = EW + 19;           // {entry, first index, descriptors}
  logic [PCW-1:0] pf_ck [NCH];
  logic [127:0]   pf_d  [NCH * 4];
  logic [EW:0]    pf_wp, pf_rp;
  logic           pf_empty, pf_pop;
  logic [PCW-1:0] pf_head;
  assign pf_empty = pf_wp == pf_rp;
  assign pf_head  = pf_ck[pf_rp[EW-1:0]];
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      pf_wp <= '0;
      pf_rp <= '0;
    end else begin
      // never full: there are at most NCH reads in flight
      if (cpl_valid && (pf_wp - pf_rp) != (EW+1)'(NCH)) begin
        pf_ck[pf_wp[EW-1:0]] <= cpl_cookie[PCW-1:0];
        for (int i = 0; i < 4; i++) pf_d[int'(pf_wp[EW-1:0]) * 4 + i] <= cpl_data[128 * i +: 128];
        pf_wp <= pf_wp + 1'b1;
      end
      if (pf_pop && !pf_empty) pf_rp <= pf_rp + 1'b1;
    end
  end

  logic [EW-1:0]  pe;
  logic [15:0]    pcur0, pcur, pnext, psz;
  logic [1:0]     pj;
  logic [2:0]     pn;
  logic [127:0]   pd;
  logic [15:0]    pflags;
  logic [31:0]    plen;
  logic [16:0]    pcnt;
  logic           perr, pin;
  logic [15:0]    pwhy;
  assign pe     = pf_head[19 +: EW];
  assign pcur0  = pf_head[3 +: 16];
  assign pn     = pf_head[0 +: 3];
  assign pcur   = e_cur[pe];
  assign pj     = 2'(pcur - pcur0);
  assign pd     = pf_d[int'(pf_rp[EW-1:0]) * 4 + int'(pj)];
  assign plen   = pd[95:64];
  assign pflags = pk ? pd[8 * PDESC_FLAGS_OFF +: 16] : pd[111:96];
  // packed: the next slot in ring order, or in the table
  assign pnext  = !pk ? pd[127:112] : (!e_ind[pe] && pcur + 16'd1 == psz) ? 16'd0 : pcur + 16'd1;
  assign psz    = e_tsz[pe];
  assign pcnt   = e_cnt[pe] + 1'b1;
  assign pin    = 16'(pnext - pcur0) < 16'(pn);
  logic pind;
  assign pind = (pflags & 16'(DESC_F_INDIRECT)) != 0 && !(pk && e_ind[pe]);
  always_comb begin
    perr = 1'b1;
    pwhy = '0;
    if (pind && (!ind_en || e_ind[pe] || (pflags & 16'(DESC_F_NEXT)) != 0 ||
                 plen == '0 || plen[3:0] != '0 || plen > 32'h000ffff0))
      pwhy = 16'(QERR_INDIRECT);
    else if (RX && !pind && (pflags & 16'(DESC_F_WRITE)) == 0) pwhy = 16'(QERR_RX_READONLY);
    else if (pcnt > 17'(psz))                            pwhy = 16'(QERR_CHAIN_LOOP);
    else if (!pk && (pflags & 16'(DESC_F_NEXT)) != 0 && pnext >= psz) pwhy = 16'(QERR_DESC_RANGE);
    else perr = 1'b0;
  end
  logic plink;
  assign plink  = (pk && e_ind[pe]) ? pnext < psz : (pflags & 16'(DESC_F_NEXT)) != 0;
  assign pf_pop = !pf_empty && (perr || pind || !plink || !pin);
  assign ct_push = !pf_empty && !perr && (pind || (plink && !pin));
  assign ct_din  = pe;

  logic [25:0] psum;
  assign psum = 26'(e_total[pe]) + 26'(plen > 32'h1ffffff ? 32'h1ffffff : plen);

  // ---- retire -------------------------------------------------------------------------
  logic [EW-1:0] he;
  assign he       = hd[EW-1:0];
  assign r_valid  = hd != tl && e_done[he];
  assign r_p      = 16'(e_p[he]);
  assign r_gen    = e_gen[he];
  assign r_uid    = pk ? {e_rc[he], e_id[he]} : {16'd1, e_head[he]};
  assign r_status = e_status[he];
  assign r_reason = e_reason[he];
  assign r_ndesc  = 8'(e_nd[he]);
  assign r_total  = e_total[he];
  // the job cookie (RX: frame length and place) rides along with the entry
  if (JKW > 1) begin : g_ck
    logic [JKW-1:0] e_ck [NCH];
    assign r_ck = e_ck[he];
    always_ff @(posedge clk) if (a_valid && a_ready) e_ck[tl[EW-1:0]] <= a_ck;
  end else begin : g_no_ck
    assign r_ck = '0;   // TX carries none
  end
  assign r_daddr  = d_addr[int'(he) * MAXD + int'(r_di[DW-1:0])];
  assign r_dlen   = d_len[int'(he) * MAXD + int'(r_di[DW-1:0])];

  assign rq_q = 16'(2 * int'(rq_p) + ENG);

  logic [PW-1:0] ap;
  logic          a_go;
  assign ap      = a_p[PW-1:0];
  assign a_go    = a_valid && a_ready;
  assign nw_push = a_go && a_kind == JOB_WALK && a_head < size[ap];

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      hd       <= '0;
      tl       <= '0;
      rq_valid <= 1'b0;
    end else begin
      if (a_go) begin
        e_p[tl[EW-1:0]]     <= ap;
        e_gen[tl[EW-1:0]]   <= a_gen;
        e_head[tl[EW-1:0]]  <= a_head;
        e_cur[tl[EW-1:0]]   <= a_head;
        e_tbl[tl[EW-1:0]]   <= desc[ap];
        e_tsz[tl[EW-1:0]]   <= size[ap];
        e_ind[tl[EW-1:0]]   <= 1'b0;
        e_rc[tl[EW-1:0]]    <= '0;
        e_cnt[tl[EW-1:0]]   <= '0;
        e_nd[tl[EW-1:0]]    <= '0;
        e_total[tl[EW-1:0]] <= '0;
        e_tl[tl[EW-1:0]]    <= 1'b0;
        e_reason[tl[EW-1:0]] <= '0;
        e_done[tl[EW-1:0]]  <= !nw_push;
        e_status[tl[EW-1:0]] <= (a_kind == JOB_NOBUF) ? CH_NOBUF :
                                (a_kind == JOB_STALE) ? CH_STALE :
                                nw_push ? CH_OK : CH_ERR;
        if (a_kind == JOB_WALK && !nw_push) e_reason[tl[EW-1:0]] <= 16'(QERR_DESC_RANGE);
        tl <= tl + 1'b1;
      end

      if (rq_valid && rq_ready) rq_valid <= 1'b0;
      if (is_go) begin
        if (is_stale) begin
          e_done[ie]   <= 1'b1;
          e_status[ie] <= CH_STALE;
        end else begin
          rq_valid  <= 1'b1;
          rq_addr   <= e_tbl[ie] + {44'd0, icur, 4'd0};
          rq_len    <= 13'({in, 4'd0});
          rq_p      <= 16'(ip);
          rq_cookie <= CKW'({ie, icur, in});
        end
      end

      if (!pf_empty && !perr && !e_ind[pe]) begin
        e_id[pe] <= pd[8 * PDESC_ID_OFF +: 16];
        e_rc[pe] <= e_rc[pe] + 1'b1;
      end
      if (!pf_empty) begin
        if (perr) begin
          e_done[pe]   <= 1'b1;
          e_status[pe] <= CH_ERR;
          e_reason[pe] <= pwhy;
        end else if (pind) begin
          e_ind[pe] <= 1'b1;
          e_tbl[pe] <= pd[63:0];
          e_tsz[pe] <= plen[19:4];
          e_cur[pe] <= '0;
          e_cnt[pe] <= '0;
        end else begin
          if (e_nd[pe] < (DW+1)'(MAXD)) begin
            d_addr[int'(pe) * MAXD + int'(e_nd[pe][DW-1:0])] <= pd[63:0];
            d_len[int'(pe) * MAXD + int'(e_nd[pe][DW-1:0])]  <= plen;
            e_nd[pe]    <= e_nd[pe] + 1'b1;
            e_total[pe] <= psum > 26'h1ffffff ? 25'h1ffffff : psum[24:0];
          end else begin
            e_tl[pe] <= 1'b1;
          end
          if (plink) begin
            e_cur[pe] <= pnext;
            e_cnt[pe] <= pcnt;
          end else begin
            e_done[pe]   <= 1'b1;
            e_status[pe] <= (e_tl[pe] || e_nd[pe] == (DW+1)'(MAXD)) ? CH_TOOLONG : CH_OK;
          end
        end
      end

      if (r_pop && r_valid) hd <= hd + 1'b1;
    end
  end
endmodule
`default_nettype wire
