// vq_qstate: the per-queue context of one engine (TX or RX): configuration loaded by
// QC_CMD_START, the queue state, a generation number that changes when a reset completes
// (work tagged with an older generation is dropped without touching the host), the
// pending doorbell bits, and the reset walk RUNNING -> STOPPING -> DRAINING -> IDLE.
// A reset is exact (virtio 1.2 2.6.1: nothing lost, nothing duplicated): outside RUNNING
// no unit starts work for the queue, but work already started (a TX frame whose first
// beat went to the MAC, an RX frame whose first host write went out) finishes and its
// used element is published.  So the generation stays during STOPPING and DRAINING, and
// STOPPING lasts until the units report no such work left for the queue (wip) and no
// request of it is presented; DRAINING until its reads in flight are back.  A queue in
// ERROR starts nothing either and lets started work finish the same way.
// Everything is indexed by pair number p (queue 2p+ENG); the transitions are made by one
// scanner that visits a queue per cycle, so the logic does not grow with the queue count.
`default_nettype none
module vq_qstate
  import vionic_regs_pkg::*;
#(
  parameter int NP = 4,    // queues of this engine
  parameter int NB = 5     // request ports whose presented request keeps a queue busy
) (
  /* verilator lint_off UNUSEDSIGNAL */  // queue numbers and cookies are full width on every port
  input  wire logic                 clk,
  input  wire logic                 rst_n,
  // QC_CMD for a queue of this engine
  input  wire logic                 cmd_valid,
  input  wire logic [1:0]           cmd,
  input  wire logic [15:0]          cmd_p,
  input  wire logic [15:0]          cmd_size,
  input  wire logic [15:0]          cmd_vector,
  input  wire logic [63:0]          cmd_desc,
  input  wire logic [63:0]          cmd_driver,
  input  wire logic [63:0]          cmd_device,
  input  wire logic [15:0]          cmd_base,
  input  wire logic                 dev_reset,
  input  wire logic                 db_valid,
  input  wire logic [15:0]          db_p,
  input  wire logic                 pend_clr,      // an avail read was issued for pend_clr_p
  input  wire logic [15:0]          pend_clr_p,
  // driver errors (two sources per engine); ignored unless the queue is RUNNING
  input  wire logic [1:0]           err_valid,
  input  wire logic [1:0][15:0]     err_p,
  input  wire logic [1:0][15:0]     err_reason,
  // requests presented on the engine's DMA ports (a queue with one is not past STOPPING)
  input  wire logic [NB-1:0]        bz_valid,
  input  wire logic [NB-1:0][15:0]  bz_p,
  // reads in flight for the queue the scanner looks at, and whether a unit still holds
  // started work of it (or used elements of it not yet published)
  output logic [15:0]               iq_p,
  input  wire logic [15:0]          iq_cnt,
  input  wire logic                 wip,
  // context, readable by every unit of the engine
  output logic [NP-1:0][2:0]        st,
  output logic [NP-1:0][7:0]        gen,
  output logic [NP-1:0][15:0]       size,
  output logic [NP-1:0][15:0]       vector,
  output logic [NP-1:0][63:0]       desc,
  output logic [NP-1:0][63:0]       driver,
  output logic [NP-1:0][63:0]       device,
  output logic [NP-1:0]             pend,
  // per-queue fields held elsewhere are cleared with this pulse
  output logic                      clr_valid,
  output logic [15:0]               clr_p,
  // a queue started: its indices (held elsewhere) begin at start_base, not 0
  output logic                      start_valid,
  output logic [15:0]               start_p,
  output logic [15:0]               start_base,
  // one error report per queue that entered ERROR
  output logic                      qerr_valid,
  input  wire logic                 qerr_ready,
  output logic [15:0]               qerr_p,
  output logic [15:0]               qerr_reason,
  output logic                      idle          // every queue IDLE, no sweep running
  /* verilator lint_on UNUSEDSIGNAL */
);
  localparam int PW = (NP > 1) ? $clog2(NP) : 1;
  localparam logic [2:0] S_IDLE = 3'(QSTATE_IDLE);
  localparam logic [2:0] S_RUN  = 3'(QSTATE_RUNNING);
  localparam logic [2:0] S_STOP = 3'(QSTATE_STOPPING);
  localparam logic [2:0] S_DRN  = 3'(QSTATE_DRAINING);
  localparam logic [2:0] S_ERR  = 3'(QSTATE_ERROR);

  logic [NP-1:0]        errpend;
  logic [NP-1:0][15:0]  errwhy;
  logic [PW:0]          active;        // queues not IDLE
  // sweep: after reset it initialises every context; after dev_reset it resets them all
  logic                 sw_on, sw_init;
  logic [PW-1:0]        sw_p;
  logic [PW-1:0]        sc_p, es_p;    // transition scanner, error-report scanner

  logic [PW-1:0] cp, dp;
  assign cp = cmd_p[PW-1:0];
  assign dp = db_p[PW-1:0];

  logic busy;
  always_comb begin
    busy = 1'b0;
    for (int i = 0; i < NB; i++)
      if (bz_valid[i] && bz_p[i][PW-1:0] == sc_p) busy = 1'b1;
  end
  assign iq_p = 16'(sc_p);

  logic cmd_here, sw_here;
  assign cmd_here = cmd_valid && cmd_p < 16'(NP);
  assign sw_here  = sw_on && !cmd_here;   // a command takes the context port first

  logic to_drn, to_idle;
  // every unit decides to start work on the registered state, so once the scanner sees
  // STOPPING with nothing held, nothing of the queue can start again
  assign to_drn  = !sw_init && st[sc_p] == S_STOP && !busy && !wip;
  assign to_idle = !sw_init && st[sc_p] == S_DRN && !busy && iq_cnt == '0;

  assign idle = active == '0 && !sw_on;
  assign qerr_p = 16'(es_p);
  assign qerr_reason = errwhy[es_p];

  // per-queue fields elsewhere clear on the same edge as the state goes IDLE
  assign clr_valid = rst_n && (to_idle || (sw_here && sw_init));
  assign clr_p     = to_idle ? 16'(sc_p) : 16'(sw_p);
  assign start_valid = rst_n && cmd_here && !sw_init && cmd == 2'(QC_CMD_START) && st[cp] == S_IDLE;
  assign start_p     = 16'(cp);
  assign start_base  = cmd_base;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      sw_on   <= 1'b1;
      sw_init <= 1'b1;
      sw_p    <= '0;
      sc_p    <= '0;
      es_p    <= '0;
      active  <= '0;
      errpend <= '0;
      pend    <= '0;
      qerr_valid <= 1'b0;
    end else begin
      logic [PW:0] act;
      act = active;

      // transition scanner
      sc_p <= (int'(sc_p) == NP - 1) ? '0 : sc_p + 1'b1;
      if (to_drn) st[sc_p] <= S_DRN;
      if (to_idle) begin
        st[sc_p]   <= S_IDLE;
        gen[sc_p]  <= gen[sc_p] + 1'b1;   // whatever still names the old run is stale
        pend[sc_p] <= 1'b0;
        act = act - 1'b1;
      end

      // error reports, one queue per cycle
      if (qerr_valid) begin
        if (qerr_ready) begin
          qerr_valid   <= 1'b0;
          errpend[es_p] <= 1'b0;
          es_p <= (int'(es_p) == NP - 1) ? '0 : es_p + 1'b1;
        end
      end else if (errpend[es_p]) begin
        qerr_valid <= 1'b1;
      end else begin
        es_p <= (int'(es_p) == NP - 1) ? '0 : es_p + 1'b1;
      end

      // driver errors
      for (int i = 0; i < 2; i++) begin
        if (err_valid[i] && err_p[i] < 16'(NP) && st[err_p[i][PW-1:0]] == S_RUN) begin
          st[err_p[i][PW-1:0]]      <= S_ERR;
          errpend[err_p[i][PW-1:0]] <= 1'b1;
          errwhy[err_p[i][PW-1:0]]  <= err_reason[i];
        end
      end

      // sweep
      if (sw_here) begin
        if (sw_init) begin
          st[sw_p]      <= S_IDLE;
          gen[sw_p]     <= '0;
          pend[sw_p]    <= 1'b0;
          errpend[sw_p] <= 1'b0;
        end else if (st[sw_p] == S_RUN || st[sw_p] == S_ERR) begin
          st[sw_p] <= S_STOP;
        end
        sw_p <= sw_p + 1'b1;
        if (int'(sw_p) == NP - 1) begin
          sw_on   <= 1'b0;
          sw_init <= 1'b0;
          sw_p    <= '0;
        end
      end
      if (dev_reset && !sw_init) begin
        sw_on <= 1'b1;
        sw_p  <= '0;
      end

      // commands (after the rest: the same queue's command wins)
      if (cmd_here && !sw_init) begin
        if (cmd == 2'(QC_CMD_START) && st[cp] == S_IDLE) begin
          st[cp]     <= S_RUN;
          size[cp]   <= cmd_size;
          vector[cp] <= cmd_vector;
          desc[cp]   <= cmd_desc;
          driver[cp] <= cmd_driver;
          device[cp] <= cmd_device;
          pend[cp]   <= 1'b1; // a doorbell rung before START must not be lost: look once
          act = act + 1'b1;
        end else if (cmd == 2'(QC_CMD_RESET) && (st[cp] == S_RUN || st[cp] == S_ERR)) begin
          st[cp] <= S_STOP;
        end
      end
      active <= act;

      // pending doorbells: a doorbell after the avail read that consumed the last one wins
      if (pend_clr) pend[pend_clr_p[PW-1:0]] <= 1'b0;
      if (db_valid && db_p < 16'(NP) && st[dp] == S_RUN) pend[dp] <= 1'b1;

    end
  end
endmodule
`default_nettype wire
