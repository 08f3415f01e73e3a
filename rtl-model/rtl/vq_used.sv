// vq_used: the used side of one engine's split rings.  Finished chains arrive in order
// and go into a per-queue line of up to 8 used elements (a RAM row per queue), written
// in one go when the line is full or the queue is published.  A queue is published -
// line written, then used idx (2 bytes), then the MSI-X request unless the driver asked
// for no interrupt or there is no vector - once BATCH elements wait or the oldest has
// waited LINGER cycles, so queues that take turns still share writes.  A queue being
// reset (STOPPING) or stopped on an error is published at once and without a message:
// its elements belong to work the device did, which a reset must not lose.  Elements of
// an older generation (a reset completed since) are dropped; none exist in practice, as a
// reset waits for wip to fall.  An element pushed with push_more (a receive buffer that
// a merged frame continues past) holds its queue's publishing until the frame's last
// element comes: a driver must never see num_buffers elements that are not all there.
//
// Notification coalescing (NOTF_COAL): with max_packets and max_usecs both non-zero for a
// queue, a publish sends its message only once max_packets elements have been published
// since the last one; otherwise the message is owed and goes when max_usecs have passed
// since the first publish that owed it (the scanner looks at each queue every NP
// cycles).  Either value 0: a message with every publish, as without the feature.
//
// EVENT_IDX (ev_en): a message that is due is not sent at once: once the used idx write
// is out, vq_ring reads used_event (ue_want) and the message goes only if the used idx
// passed it since the last decision (vring_need_event); NO_INTERRUPT is ignored.  A due
// message while the read is out asks for another read after it.  vq_ring's avail_event
// values are written here too (2 bytes after the used ring), for running queues only.
//
// Packed rings (pk, 2.8): a used element is a 16-byte descriptor written in place at the
// used position ({wrap, index}), id and len with flags AVAIL = USED = the wrap counter
// (WRITE when len is not 0); the position then moves on by the chain's ring slots.  A
// line holds up to 4 that sit back to back; writing it is what publishes them, so there
// is no used idx write.  Every due message first reads the driver's event suppression
// area (through the ue_want read): DISABLE sends none, DESC (EVENT_IDX) sends when the
// used position passed off_wrap since the last decision, as QEMU's
// virtio_packed_should_notify does; ENABLE sends.  A merged frame's first used descriptor
// is held back (dfd) and written after all the others at publish time: the driver reads
// num_buffers from it, so it must not see it before the rest is there (nor before the
// num_buffers rewrite, which vq_rx_out issues before the frame's last element).
`default_nettype none
module vq_used
  import vionic_regs_pkg::*;
#(
  parameter int NP    = 4,
  parameter int DEPTH = 16,   // finished chains waiting
  parameter int BATCH  = 32,  // used elements per used idx write at most
  parameter int LINGER = 128   // cycles an element may wait for company before publishing
) (
  /* verilator lint_off UNUSEDSIGNAL */  // queue numbers and cookies are full width on every port
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  input  wire logic                 ev_en,
  input  wire logic                 pk,            // packed rings
  input  wire logic [NP-1:0][63:0]  desc,
  input  wire logic                 ae_valid,
  input  wire logic [15:0]          ae_p,
  input  wire logic [15:0]          ae_val,
  output logic                      ae_done,
  output logic [15:0]               ae_done_p,
  output logic [NP-1:0]             ue_want,
  input  wire logic                 ue_take,
  input  wire logic [15:0]          ue_take_p,
  input  wire logic                 ue_cpl,
  input  wire logic [15:0]          ue_cpl_p,
  input  wire logic [31:0]          ue_val,        // split: used_event; packed: {flags, off_wrap}
  input  wire logic [NP-1:0][2:0]   st,
  input  wire logic [NP-1:0][7:0]   gen,
  input  wire logic [NP-1:0][15:0]  size,
  input  wire logic [NP-1:0][15:0]  vector,
  input  wire logic [NP-1:0][63:0]  device,
  input  wire logic [NP-1:0]        noint,
  input  wire logic                 clr_valid,
  input  wire logic [15:0]          clr_p,
  input  wire logic                 start_valid,   // QC_CMD_START: indices begin at start_base
  input  wire logic [15:0]          start_p,
  input  wire logic [15:0]          start_base,
  input  wire logic                 coal_valid,    // QC_CMD_START / QC_CMD_COAL: QC_COAL
  input  wire logic [15:0]          coal_p,
  input  wire logic [31:0]          coal,          // [15:0] max_packets, [31:16] max_usecs
  input  wire logic                 push,
  input  wire logic [15:0]          push_p,
  input  wire logic [7:0]           push_gen,
  input  wire logic [31:0]          push_id,       // [15:0] id, [31:16] ring slots (packed)
  input  wire logic [31:0]          push_len,
  input  wire logic                 push_more,
  output logic                      full,
  output logic                      wr_valid,
  input  wire logic                 wr_ready,
  output logic [63:0]               wr_addr,
  output logic [511:0]              wr_data,
  output logic [6:0]                wr_len,
  output logic [15:0]               wr_p,
  output logic                      msi_valid,
  input  wire logic                 msi_ready,
  output logic [15:0]               msi_vector,
  output logic [15:0]               msi_p,
  output logic [NP-1:0][15:0]       used_idx,
  // elements of queue hq_p are waiting or not yet published (the reset scanner asks)
  input  wire logic [15:0]          hq_p,
  output logic                      hq_busy
  /* verilator lint_on UNUSEDSIGNAL */
);
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam int EW = PW + 8 + 32 + 32 + 1;
  localparam int DW = $clog2(DEPTH);

  logic          f_pop, f_empty;
  logic [EW-1:0] f_head;
  logic [DW:0]   unused_count;
  vq_fifo #(.W(EW), .DEPTH(DEPTH)) u_q (
    .clk, .rst_n, .push, .din({push_p[PW-1:0], push_gen, push_id, push_len, push_more}),
    .pop(f_pop), .dout(f_head), .empty(f_empty), .full, .count(unused_count));

  logic [PW-1:0] hp;
  logic [7:0]    hg;
  logic [31:0]   hid;
  logic [31:0]   hlen;
  logic          hmore;
  assign {hp, hg, hid, hlen, hmore} = f_head;

  typedef enum logic [0:0] { U_RUN, U_MSI } ust_t;
  ust_t ust;

  logic [511:0] line  [NP];   // gathered used elements
  logic [3:0]   en    [NP];   // how many
  logic [15:0]  ebase [NP];   // ring slot of the first
  logic [7:0]   lgen  [NP];   // generation they belong to
  logic [6:0]   unpub [NP];   // elements not yet announced by a used idx write
  logic [15:0]  since [NP];   // when the oldest of them came
  logic [NP-1:0] hold;        // a merged frame's elements are still coming
  logic [15:0]  cpk   [NP];   // coalescing: max_packets
  logic [15:0]  cus   [NP];   //             max_usecs
  logic [15:0]  icnt  [NP];   // elements published since the last message
  logic [NP-1:0] iown;        // a message is owed ...
  logic [15:0]  it0   [NP];   // ... since this microsecond
  logic [15:0]  usec;         // microseconds at 250 MHz
  logic [7:0]   usec_div;
  logic [DW:0]  nq    [NP];   // entries of the queue in the FIFO
  logic [15:0]  now;
  logic [NP-1:0] ae_pend, ue_out, ue_again, owe;
  logic [15:0]  ae_v   [NP];
  logic [15:0]  ev_old [NP];   // used idx at the last EVENT_IDX decision
  logic [NP-1:0] lbrk;         // packed: the next element does not follow the line's last
  logic [NP-1:0] dfv;          // packed: a merged frame's first used descriptor waits ...
  logic [127:0] dfd   [NP];    // ... this one
  logic [15:0]  dfs   [NP];    // ... for this slot
  logic         msi_direct;    // U_MSI for a message EVENT_IDX already let through

  logic          pub_v;       // a publish is under way for pub_p
  logic [PW-1:0] pub_p, sp;

  // the queue's run that g names is still on: running, or finishing started work
  function automatic logic fin(input logic [PW-1:0] p, input logic [7:0] g);
    return gen[p] == g && (st[p] == 3'(QSTATE_RUNNING) || st[p] == 3'(QSTATE_STOPPING) ||
                           st[p] == 3'(QSTATE_ERROR));
  endfunction

  logic wr_free;
  assign wr_free = !wr_valid || wr_ready;

  logic        h_live, line_ok, take, flush_h;
  logic [15:0] slot;
  assign h_live  = fin(hp, hg);
  assign slot    = pk ? {1'b0, used_idx[hp][14:0]} : used_idx[hp] & (size[hp] - 1'b1);
  assign line_ok = en[hp] == '0 || (pk ? en[hp] < 4'd4 && !lbrk[hp] : en[hp] < 4'd8 && slot != '0);
  // where a queue's line goes and how long it is
  function automatic logic [63:0] laddr(input logic [PW-1:0] p);
    return pk ? desc[p] + {44'd0, ebase[p][15:0], 4'd0} : device[p] + 64'd4 + {45'd0, ebase[p], 3'd0};
  endfunction
  function automatic logic [6:0] llen(input logic [PW-1:0] p);
    return pk ? {en[p][2:0], 4'd0} : {en[p], 3'd0};
  endfunction
  // packed: the used position after this element
  logic [15:0] pnext, pnsum;
  assign pnsum = 16'(used_idx[hp][14:0]) + hid[31:16];
  assign pnext = pnsum >= size[hp] ? {~used_idx[hp][15], 15'(pnsum - size[hp])}
                                   : {used_idx[hp][15], pnsum[14:0]};
  // packed: the used descriptor of the element at the head (its address part unused)
  logic [127:0] pelem;
  logic [15:0]  pflags;
  assign pflags = (used_idx[hp][15] ? 16'(PDESC_F_AVAIL | PDESC_F_USED) : 16'd0) |
                  (hlen != '0 ? 16'(DESC_F_WRITE) : 16'd0);
  assign pelem  = {pflags, hid[15:0], hlen, 64'd0};
  // packed: another merged frame's first while one is held back: publish the queue first
  logic dblk;
  assign dblk    = ust == U_RUN && !pub_v && !f_empty && h_live && pk && dfv[hp] &&
                   !hold[hp] && hmore;
  assign take    = ust == U_RUN && !pub_v && !f_empty && h_live && line_ok && !dblk;
  assign flush_h = ust == U_RUN && !pub_v && !f_empty && h_live && !line_ok && !dblk && wr_free;
  assign f_pop   = take || (ust == U_RUN && !pub_v && !f_empty && !h_live);

  logic coal_on, owed_due;
  assign coal_on  = cpk[pub_p] != '0 && cus[pub_p] != '0;
  assign owed_due = iown[sp] && unpub[sp] == '0 && 16'(usec - it0[sp]) >= cus[sp];

  logic batch_full, aged, closing;
  assign batch_full = take && !hmore && unpub[hp] + 1'b1 >= 7'(BATCH);
  assign aged       = unpub[sp] != '0 && !hold[sp] && 16'(now - since[sp]) >= 16'(LINGER);
  assign closing    = unpub[sp] != '0 && !hold[sp] && st[sp] != 3'(QSTATE_RUNNING);

  logic [PW-1:0] hq;
  logic          push_in;
  assign hq      = hq_p[PW-1:0];
  assign push_in = push && !full;
  assign hq_busy = nq[hq] != '0 || unpub[hq] != '0 || (push_in && push_p[PW-1:0] == hq) ||
                   (pub_v && pub_p == hq) || (ust == U_MSI && pub_p == hq) || ae_pend[hq];

  // vring_need_event: the used idx went from old past event since the last decision
  function automatic logic need_event(input logic [15:0] ev, input logic [15:0] nw,
                                      input logic [15:0] old);
    return 16'(nw - ev - 16'd1) < 16'(nw - old);
  endfunction
  logic [PW-1:0] uq;
  assign uq = ue_cpl_p[PW-1:0];
  // the decision on a due message, from what the driver asked for
  logic        ue_send;
  logic [15:0] ue_off;
  assign ue_off = (ue_val[15] != used_idx[uq][15]) ? 16'(ue_val[14:0]) - size[uq]
                                                   : 16'(ue_val[14:0]);
  always_comb begin
    if (!pk)                                   ue_send = need_event(ue_val[15:0], used_idx[uq], ev_old[uq]);
    else if (ue_val[17:16] == 2'(EVENT_F_DISABLE)) ue_send = 1'b0;
    else if (ue_val[17:16] == 2'(EVENT_F_DESC) && ev_en)
      ue_send = need_event(ue_off, 16'(used_idx[uq][14:0]),
                           (ev_old[uq][15] == used_idx[uq][15]) ? 16'(ev_old[uq][14:0])
                                                                : 16'(ev_old[uq][14:0]) - size[uq]);
    else                                       ue_send = 1'b1;
  end

  always_ff @(posedge clk) begin
    ae_done <= 1'b0;
    if (!rst_n) begin
      ae_pend   <= '0;
      ue_want   <= '0;
      ue_out    <= '0;
      ue_again  <= '0;
      owe       <= '0;
      msi_direct <= 1'b0;
      ust       <= U_RUN;
      pub_v     <= 1'b0;
      hold      <= '0;
      dfv       <= '0;
      iown      <= '0;
      usec      <= '0;
      usec_div  <= '0;
      for (int i = 0; i < NP; i++) begin
        cpk[i]  <= '0;
        cus[i]  <= '0;
        icnt[i] <= '0;
      end
      sp        <= '0;
      now       <= '0;
      wr_valid  <= 1'b0;
      msi_valid <= 1'b0;
    end else begin
      now <= now + 1'b1;
      usec_div <= (usec_div == 8'd249) ? '0 : usec_div + 1'b1;
      if (usec_div == 8'd249) usec <= usec + 1'b1;
      if (wr_valid && wr_ready) wr_valid <= 1'b0;
      if (msi_valid && msi_ready) msi_valid <= 1'b0;
      sp <= (int'(sp) == NP - 1) ? '0 : sp + 1'b1;

      if (ust == U_RUN && pub_v) begin
        // publish pub_p: its line, then its used idx
        if (!fin(pub_p, lgen[pub_p])) begin
          en[pub_p]    <= '0;
          dfv[pub_p]   <= 1'b0;
          unpub[pub_p] <= '0;
          pub_v        <= 1'b0;
        end else if (wr_free) begin
          wr_valid <= 1'b1;
          wr_p     <= 16'(pub_p);
          if (en[pub_p] != '0) begin
            wr_addr <= laddr(pub_p);
            wr_data <= line[pub_p];
            wr_len  <= llen(pub_p);
            en[pub_p] <= '0;
          end else if (dfv[pub_p]) begin
            wr_addr <= desc[pub_p] + {44'd0, dfs[pub_p], 4'd0};
            wr_data <= 512'(dfd[pub_p]);
            wr_len  <= 7'd16;
            dfv[pub_p] <= 1'b0;
          end else begin
            wr_valid <= !pk;   // packed: the line published them
            wr_addr <= device[pub_p] + 64'd2;
            wr_data <= 512'(used_idx[pub_p]);
            wr_len  <= 7'd2;
            unpub[pub_p] <= '0;
            pub_v <= 1'b0;
            if ((ev_en || !noint[pub_p]) && vector[pub_p] != 16'(MSIX_NO_VECTOR) &&
                st[pub_p] == 3'(QSTATE_RUNNING)) begin
              if (!coal_on || icnt[pub_p] + 16'(unpub[pub_p]) >= cpk[pub_p]) begin
                ust          <= U_MSI;
                icnt[pub_p]  <= '0;
                iown[pub_p]  <= 1'b0;
              end else begin
                icnt[pub_p] <= icnt[pub_p] + 16'(unpub[pub_p]);
                if (!iown[pub_p]) begin
                  iown[pub_p] <= 1'b1;
                  it0[pub_p]  <= usec;
                end
              end
            end
          end
        end
      end else if (ust == U_MSI) begin
        if (!wr_valid && !msi_valid) begin
          // the used idx write has been accepted: now the message may follow it
          if (st[pub_p] == 3'(QSTATE_RUNNING) && gen[pub_p] == lgen[pub_p]) begin
            if ((ev_en || pk) && !msi_direct) begin
              // ask the driver first: used_event, read after this used idx went out
              if (ue_want[pub_p] || ue_out[pub_p]) ue_again[pub_p] <= 1'b1;
              else                                 ue_want[pub_p]  <= 1'b1;
            end else begin
              msi_valid  <= 1'b1;
              msi_vector <= vector[pub_p];
              msi_p      <= 16'(pub_p);
            end
          end
          msi_direct <= 1'b0;
          ust <= U_RUN;
        end
      end else begin
        if (take) begin
          if (pk && !hold[hp] && hmore) begin
            // a merged frame's first: held back until its publish, the line goes on after it
            dfd[hp]      <= pelem;
            dfs[hp]      <= slot;
            dfv[hp]      <= 1'b1;
            used_idx[hp] <= pnext;
            lbrk[hp]     <= 1'b1;
          end else if (pk) begin
            line[hp][128 * en[hp][1:0] +: 128] <= pelem;
            used_idx[hp] <= pnext;
            lbrk[hp]     <= hid[31:16] != 16'd1 || pnext[14:0] == '0;
          end else begin
            line[hp][64 * en[hp] +: 64] <= {hlen, 16'd0, hid[15:0]};
            used_idx[hp] <= used_idx[hp] + 1'b1;
          end
          if (en[hp] == '0) ebase[hp] <= slot;
          if (!(pk && !hold[hp] && hmore)) en[hp] <= en[hp] + 1'b1;
          unpub[hp]    <= unpub[hp] + 1'b1;
          lgen[hp]     <= hg;
          hold[hp]     <= hmore;
          if (unpub[hp] == '0) since[hp] <= now;
          if (batch_full) begin
            pub_v <= 1'b1;
            pub_p <= hp;
          end
        end else if (flush_h) begin
          // the line is full or the ring wraps here: write it out first
          wr_valid <= 1'b1;
          wr_p     <= 16'(hp);
          wr_addr  <= laddr(hp);
          wr_data  <= line[hp];
          wr_len   <= llen(hp);
          en[hp]   <= '0;
        end
        if (dblk) begin
          pub_v <= 1'b1;
          pub_p <= hp;
        end else if (!batch_full && (aged || closing)) begin
          pub_v <= 1'b1;
          pub_p <= sp;
        end else if (!take && !flush_h && !batch_full && owed_due) begin
          // a coalesced message whose time has come (its elements are published)
          ust       <= U_MSI;
          pub_p     <= sp;
          icnt[sp]  <= '0;
          iown[sp]  <= 1'b0;
        end else if (!take && !flush_h && !batch_full && owe[sp]) begin
          // EVENT_IDX let this one through
          ust        <= U_MSI;
          pub_p      <= sp;
          msi_direct <= 1'b1;
          owe[sp]    <= 1'b0;
        end else if (!take && !flush_h && ae_pend[sp] &&
                     (wr_free || st[sp] != 3'(QSTATE_RUNNING))) begin
          ae_pend[sp] <= 1'b0;
          if (st[sp] == 3'(QSTATE_RUNNING)) begin
            wr_valid  <= 1'b1;
            wr_p      <= 16'(sp);
            wr_addr   <= device[sp] + 64'd4 + {45'd0, size[sp], 3'd0};
            wr_data   <= 512'(ae_v[sp]);
            wr_len    <= 7'd2;
            ae_done   <= 1'b1;
            ae_done_p <= 16'(sp);
          end
        end
      end

      // EVENT_IDX bookkeeping
      if (ae_valid && ae_p < 16'(NP)) begin
        ae_pend[ae_p[PW-1:0]] <= 1'b1;
        ae_v[ae_p[PW-1:0]]    <= ae_val;
      end
      if (ue_take && ue_take_p < 16'(NP)) begin
        ue_want[ue_take_p[PW-1:0]] <= 1'b0;
        ue_out[ue_take_p[PW-1:0]]  <= 1'b1;
      end
      if (ue_cpl && ue_cpl_p < 16'(NP)) begin
        ue_out[uq] <= 1'b0;
        ev_old[uq] <= used_idx[uq];
        if (ue_send) owe[uq] <= 1'b1;
        if (ue_again[uq]) begin
          ue_again[uq] <= 1'b0;
          ue_want[uq]  <= 1'b1;
        end
      end

      // FIFO entries per queue (one may come and one go in the same cycle)
      if (push_in && !(f_pop && !f_empty && push_p[PW-1:0] == hp))
        nq[push_p[PW-1:0]] <= nq[push_p[PW-1:0]] + 1'b1;
      if (f_pop && !f_empty && !(push_in && push_p[PW-1:0] == hp))
        nq[hp] <= nq[hp] - 1'b1;

      if (clr_valid && clr_p < 16'(NP)) begin
        used_idx[clr_p[PW-1:0]] <= '0;
        en[clr_p[PW-1:0]]       <= '0;
        unpub[clr_p[PW-1:0]]    <= '0;
        nq[clr_p[PW-1:0]]       <= '0;   // already 0 but after power-up
        hold[clr_p[PW-1:0]]     <= 1'b0;
        dfv[clr_p[PW-1:0]]      <= 1'b0;
        iown[clr_p[PW-1:0]]     <= 1'b0;
        icnt[clr_p[PW-1:0]]     <= '0;
        ae_pend[clr_p[PW-1:0]]  <= 1'b0;
        ue_want[clr_p[PW-1:0]]  <= 1'b0;
        ue_out[clr_p[PW-1:0]]   <= 1'b0;
        ue_again[clr_p[PW-1:0]] <= 1'b0;
        owe[clr_p[PW-1:0]]      <= 1'b0;
      end
      if (start_valid && start_p < 16'(NP)) begin
        used_idx[start_p[PW-1:0]] <= start_base;
        ev_old[start_p[PW-1:0]]   <= start_base;
      end
      if (coal_valid && coal_p < 16'(NP)) begin
        cpk[coal_p[PW-1:0]]  <= coal[15:0];
        cus[coal_p[PW-1:0]]  <= coal[31:16];
        icnt[coal_p[PW-1:0]] <= '0;   // an owed message stays owed, due by the new time
      end
    end
  end
endmodule
`default_nettype wire
