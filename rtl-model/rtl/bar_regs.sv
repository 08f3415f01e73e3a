// bar_regs: BAR0 as the driver sees it.  The selects are held here; every other write
// the firmware owns becomes an event; reads return the firmware's shadows and wait
// while events are queued, so the driver never reads an answer older than its writes.
// Also: ISR (read clears), notify decode, vendor region, and the port to the MSI-X table.
// An access completes in the cycle it is presented unless it must wait (req_done).
`default_nettype none
module bar_regs
  import vionic_regs_pkg::*;
#(
  parameter int QP = 4  // queue pairs: data queues 0..2*QP-1, control queue 2*QP
) (
  input  wire logic         clk,
  input  wire logic         rst_n,
  // one BAR0 access at a time, held until req_done
  input  wire logic         req_valid,
  input  wire logic         req_write,
  input  wire logic [14:0]  req_addr,   // byte offset, naturally aligned
  input  wire logic [2:0]   req_size,   // 1, 2, 4
  input  wire logic [31:0]  req_wdata,  // right-aligned
  output logic              req_done,
  output logic [31:0]       req_rdata,  // right-aligned, valid with req_done
  // event FIFO (entry: EVT_INFO word, EVT_DATA, EVT_QSEL[15:0])
  output logic              evt_push,
  output logic [79:0]       evt_push_data,
  input  wire logic         evt_empty,
  input  wire logic         evt_full,
  // queue errors from the engines (one-cycle pulses, no back-pressure)
  input  wire logic         qerr_valid,
  input  wire logic [15:0]  qerr_queue,
  input  wire logic [15:0]  qerr_reason,
  // doorbells to the engines
  output logic              db_valid,
  output logic [15:0]       db_queue,
  // shadows the firmware writes
  input  wire logic [31:0]  cc_device_feature0,
  input  wire logic [31:0]  cc_device_feature1,
  input  wire logic [31:0]  cc_driver_feature0,
  input  wire logic [31:0]  cc_driver_feature1,
  input  wire logic [15:0]  cc_config_msix_vector,
  input  wire logic [15:0]  cc_num_queues,
  input  wire logic [7:0]   cc_device_status,
  input  wire logic [7:0]   cc_config_generation,
  output logic [15:0]       queue_select,   // steers the qs_* read port
  input  wire logic [15:0]  qs_size,        // shadows of queue_select (0 when it does not exist)
  input  wire logic [15:0]  qs_msix_vector,
  input  wire logic [15:0]  qs_enable,
  input  wire logic [15:0]  qs_reset,
  input  wire logic [63:0]  qs_desc,
  input  wire logic [63:0]  qs_driver,
  input  wire logic [63:0]  qs_device,
  input  wire logic [255:0] devcfg,         // DEVCFG0..7
  // vendor region
  input  wire logic [31:0]  fw_version,
  input  wire logic [31:0]  hwcfg,
  input  wire logic [31:0]  cnt_tx_pkts,
  input  wire logic [31:0]  cnt_rx_pkts,
  input  wire logic [31:0]  cnt_rx_drops,
  input  wire logic [31:0]  cnt_rx_filtered,
  // ISR
  input  wire logic         isr_set_queue,
  input  wire logic         isr_set_config,
  input  wire logic         isr_clear,      // DEV_RESET
  // MSI-X table and PBA (owned by msix)
  output logic              mx_wr,
  output logic [9:0]        mx_dw,          // dword index inside the table / PBA region
  output logic [3:0]        mx_be,
  output logic [31:0]       mx_wdata,
  input  wire logic [31:0]  mx_tbl_rdata,
  input  wire logic [31:0]  mx_pba_rdata,
  // firmware mailbox (the driver's side) and boot status
  input  wire logic [31:0]  boot_status,
  input  wire logic [31:0]  mbox_status,
  input  wire logic [31:0]  mbox_cmd,      // the last command, as firmware sees it
  output logic              mbox_cmd_wr,   // pulse with the command written
  output logic [31:0]       mbox_cmd_val,
  output logic [31:0]       mbox_arg0,
  output logic [31:0]       mbox_arg1,
  output logic              mba_we,        // mailbox data RAM, driver port
  output logic [5:0]        mba_idx,
  output logic [3:0]        mba_be,
  output logic [31:0]       mba_wdata,
  input  wire logic [31:0]  mba_rdata,     // combinational
  // the MAC's link (registered by the caller): every change is an EVT_KIND_LINK event
  input  wire logic         link_up
);
  localparam int NDQ = 2 * QP;        // data queues
  localparam int NQ  = 2 * QP + 1;    // with the control queue
  localparam int NV  = 2 * QP + 2;    // MSI-X vectors
  localparam int unsigned PBA_LEN   = ((NV + 63) / 64) * 8;
  localparam int unsigned TABLE_LEN = NV * MSIX_ENTRY_SIZE;
  localparam int unsigned VND_LEN   = 64;  // bytes of the vendor image (power of two)
  localparam int unsigned QSEL_SHIFT = 8 * (COMMON_QUEUE_SELECT % 4);
  localparam int QW = $clog2(NDQ);

  if (COMMON_LEN != 64 || DEVICE_LEN != 32 || COMMON_SIZE < COMMON_LEN ||
      DEVICE_SIZE < DEVICE_LEN || VENDOR_VND_BOOT_STATUS + 4 > VND_LEN ||
      VENDOR_VND_MBOX_DATA + MBOX_DATA_BYTES > VENDOR_SIZE || MBOX_DATA_BYTES != 256 ||
      VENDOR_VND_MBOX_DATA % MBOX_DATA_BYTES != 0 || VND_LEN > VENDOR_SIZE ||
      MSIX_TABLE_SIZE > 'h1000 || MSIX_PBA_SIZE > 'h1000 || PBA_LEN > MSIX_PBA_SIZE ||
      TABLE_LEN > MSIX_TABLE_SIZE) begin : g_bad_layout
    $error("bar_regs: BAR0 layout does not fit this block (common 64 B, device 8 words)");
  end

  // ---- access decode ------------------------------------------------------------------
  function automatic logic in_win(input logic [14:0] a, input int unsigned base, input int unsigned len);
    return 32'(a) >= base && 32'(a) < base + len;
  endfunction

  logic in_common, in_isr, in_device, in_notify, in_table, in_pba, in_vendor;
  assign in_common = in_win(req_addr, COMMON_BASE, COMMON_LEN);
  assign in_isr    = in_win(req_addr, ISR_BASE, ISR_SIZE);
  assign in_device = in_win(req_addr, DEVICE_BASE, DEVICE_SIZE);
  assign in_notify = in_win(req_addr, NOTIFY_BASE, NOTIFY_SIZE);
  assign in_table  = in_win(req_addr, MSIX_TABLE_BASE, TABLE_LEN);
  assign in_pba    = in_win(req_addr, MSIX_PBA_BASE, PBA_LEN);
  assign in_vendor = in_win(req_addr, VENDOR_BASE, VENDOR_SIZE);

  logic [1:0]  lane;
  logic [1:0]  log2size;
  logic [31:0] smask;
  logic [3:0]  be;
  logic [31:0] wlanes, wval;
  assign lane     = req_addr[1:0];
  assign log2size = req_size == 3'd1 ? 2'd0 : req_size == 3'd2 ? 2'd1 : 2'd2;
  assign smask    = req_size == 3'd1 ? 32'hff : req_size == 3'd2 ? 32'hffff : 32'hffff_ffff;
  assign be       = (req_size == 3'd1 ? 4'h1 : req_size == 3'd2 ? 4'h3 : 4'hf) << lane;
  assign wval     = req_wdata & smask;
  assign wlanes   = wval << (8 * lane);

  // offsets inside the regions (the regions are at most 4 KiB)
  logic [11:0] roff;
  assign roff = req_addr[11:0];

  // ---- common cfg ---------------------------------------------------------------------
  logic [31:0] dfsel_reg, drfsel_reg;
  logic [15:0] qsel_reg;
  assign queue_select = qsel_reg;

  logic qexists;
  assign qexists = 32'(qsel_reg) < NQ;

  logic [8*COMMON_LEN-1:0] cimg;
  // read images are built only while an access is presented: the model evaluates
  // combinational logic every cycle
  always_comb begin
    cimg = '0;
    if (req_valid) begin
      cimg[8*COMMON_DEVICE_FEATURE_SELECT +: 32] = dfsel_reg;
      cimg[8*COMMON_DEVICE_FEATURE +: 32] =
          dfsel_reg == 0 ? cc_device_feature0 : dfsel_reg == 1 ? cc_device_feature1 : 32'h0;
      cimg[8*COMMON_DRIVER_FEATURE_SELECT +: 32] = drfsel_reg;
      cimg[8*COMMON_DRIVER_FEATURE +: 32] =
          drfsel_reg == 0 ? cc_driver_feature0 : drfsel_reg == 1 ? cc_driver_feature1 : 32'h0;
      cimg[8*COMMON_CONFIG_MSIX_VECTOR +: 16] = cc_config_msix_vector;
      cimg[8*COMMON_NUM_QUEUES +: 16]         = cc_num_queues;
      cimg[8*COMMON_DEVICE_STATUS +: 8]       = cc_device_status;
      cimg[8*COMMON_CONFIG_GENERATION +: 8]   = cc_config_generation;
      cimg[8*COMMON_QUEUE_SELECT +: 16]       = qsel_reg;
      cimg[8*COMMON_QUEUE_SIZE +: 16]         = qs_size;
      cimg[8*COMMON_QUEUE_MSIX_VECTOR +: 16]  = qs_msix_vector;
      cimg[8*COMMON_QUEUE_ENABLE +: 16]       = qs_enable;
      cimg[8*COMMON_QUEUE_NOTIFY_OFF +: 16]   = qexists ? qsel_reg : 16'h0;
      cimg[8*COMMON_QUEUE_DESC_LO +: 64]      = qs_desc;
      cimg[8*COMMON_QUEUE_DRIVER_LO +: 64]    = qs_driver;
      cimg[8*COMMON_QUEUE_DEVICE_LO +: 64]    = qs_device;
      cimg[8*COMMON_QUEUE_RESET +: 16]        = qs_reset;
    end
  end

  // what a driver write at offset o of common cfg does
  typedef enum logic [2:0] { CW_DROP, CW_DFSEL, CW_DRFSEL, CW_QSEL, CW_EVENT } cw_e;
  function automatic logic in_range(input int unsigned x, input int unsigned lo, input int unsigned hi);
    return x - lo < hi - lo;  // lo <= x < hi, without a comparison that may be constant
  endfunction
  function automatic cw_e common_write_kind(input logic [11:0] o);
    int unsigned x = 32'(o);
    if (in_range(x, COMMON_DEVICE_FEATURE_SELECT, COMMON_DEVICE_FEATURE)) return CW_DFSEL;
    if (in_range(x, COMMON_DRIVER_FEATURE_SELECT, COMMON_DRIVER_FEATURE)) return CW_DRFSEL;
    if (in_range(x, COMMON_QUEUE_SELECT, COMMON_QUEUE_SIZE)) return CW_QSEL;
    if (in_range(x, COMMON_DRIVER_FEATURE, COMMON_NUM_QUEUES) ||
        in_range(x, COMMON_DEVICE_STATUS, COMMON_CONFIG_GENERATION) ||
        in_range(x, COMMON_QUEUE_SIZE, COMMON_QUEUE_NOTIFY_OFF) ||
        in_range(x, COMMON_QUEUE_DESC_LO, COMMON_QUEUE_NOTIF_CONFIG_DATA) ||
        in_range(x, COMMON_QUEUE_RESET, COMMON_QUEUE_RESET + 2)) return CW_EVENT;
    return CW_DROP;  // read-only fields and padding
  endfunction

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] wd,
                                        input logic [3:0] m);
    logic [31:0] r;
    for (int i = 0; i < 4; i++) r[8*i +: 8] = m[i] ? wd[8*i +: 8] : old[8*i +: 8];
    return r;
  endfunction

  // ---- vendor region ------------------------------------------------------------------
  logic [8*VND_LEN-1:0] vimg;
  always_comb begin
    vimg = '0;
    if (req_valid) begin
      vimg[8*VENDOR_VND_MAGIC +: 32]      = FW_ID_MAGIC;
      vimg[8*VENDOR_VND_FW_VERSION +: 32] = fw_version;
      vimg[8*VENDOR_VND_HWCFG +: 32]      = hwcfg;
      vimg[8*VENDOR_VND_TX_PKTS +: 32]    = cnt_tx_pkts;
      vimg[8*VENDOR_VND_RX_PKTS +: 32]    = cnt_rx_pkts;
      vimg[8*VENDOR_VND_RX_DROPS +: 32]   = cnt_rx_drops;
      vimg[8*VENDOR_VND_RX_FILTERED +: 32] = cnt_rx_filtered;
      vimg[8*VENDOR_VND_BOOT_STATUS +: 32] = boot_status;
    end
  end

  // mailbox registers by dword; the data window is a RAM shared with the firmware
  logic [9:0] vdw;
  logic       v_cmd, v_status, v_arg0, v_arg1, v_data, v_qbase;
  assign vdw      = roff[11:2];
  assign v_cmd    = in_vendor && 32'(vdw) == VENDOR_VND_MBOX_CMD / 4;
  assign v_status = in_vendor && 32'(vdw) == VENDOR_VND_MBOX_STATUS / 4;
  assign v_arg0   = in_vendor && 32'(vdw) == VENDOR_VND_MBOX_ARG0 / 4;
  assign v_qbase  = in_vendor && 32'(vdw) == VENDOR_VND_QUEUE_BASE / 4;
  assign v_arg1   = in_vendor && 32'(vdw) == VENDOR_VND_MBOX_ARG1 / 4;
  assign v_data   = in_vendor && in_win(15'(roff), VENDOR_VND_MBOX_DATA, MBOX_DATA_BYTES);

  // ---- ISR ----------------------------------------------------------------------------
  logic [7:0] isr_reg;

  // ---- notify -------------------------------------------------------------------------
  logic [11:0] noff;
  logic [15:0] nq;
  logic        naligned;
  assign noff     = 12'(32'(req_addr) - NOTIFY_BASE);
  assign nq       = 16'(32'(noff) / NOTIFY_MULT);
  assign naligned = 32'(noff) % NOTIFY_MULT == 0;

  // ---- read data and the stall rule ---------------------------------------------------
  logic [31:0] rdw;  // the dword holding the access
  always_comb begin
    rdw = 32'hffff_ffff;  // unused offsets read all-ones
    if (in_common) rdw = cimg[32*roff[5:2] +: 32];
    if (in_device) rdw = 32'(roff) < DEVICE_LEN ? devcfg[32*roff[4:2] +: 32] : 32'h0;
    if (in_isr)    rdw = roff[1:0] == 0 ? 32'(isr_reg) : 32'h0;
    if (in_notify) rdw = 32'h0;
    if (in_table)  rdw = mx_tbl_rdata;
    if (in_pba)    rdw = mx_pba_rdata;
    if (in_vendor) begin
      rdw = 32'(roff) < VND_LEN ? vimg[32*roff[$clog2(VND_LEN)-1:2] +: 32] : 32'h0;
      if (v_cmd)    rdw = mbox_cmd;
      if (v_status) rdw = mbox_status;
      if (v_arg0)   rdw = mbox_arg0;
      if (v_arg1)   rdw = mbox_arg1;
      if (v_data)   rdw = mba_rdata;
    end
  end
  assign req_rdata = (rdw >> (8 * lane)) & smask;

  cw_e cwk;
  assign cwk = common_write_kind(roff);

  // which event a write raises (if any)
  logic        wr_event;
  logic [2:0]  wr_kind;
  logic        is_db;
  always_comb begin
    wr_event = 1'b0;
    wr_kind  = 3'(EVT_KIND_COMMON);
    is_db    = 1'b0;
    if (in_common && cwk == CW_EVENT) wr_event = 1'b1;
    if (in_device) begin
      wr_event = 1'b1;
      wr_kind  = 3'(EVT_KIND_DEVICE);
    end
    if (v_cmd || v_qbase) begin
      wr_event = 1'b1;
      wr_kind  = 3'(EVT_KIND_VENDOR);
    end
    if (in_notify && naligned) begin
      if (32'(nq) < NDQ) is_db = 1'b1;
      if (32'(nq) == NDQ) begin
        wr_event = 1'b1;
        wr_kind  = 3'(EVT_KIND_KICK);
      end
    end
  end

  logic stall;
  assign stall = req_write ? (wr_event && evt_full) : ((in_common || in_device) && !evt_empty);
  assign req_done = req_valid && !stall;

  logic acc_rd, acc_wr;
  assign acc_rd = req_done && !req_write;
  assign acc_wr = req_done && req_write;

  // EVT_INFO: [31] valid, [30:28] kind, [25:24] log2 size, [15:0] offset in region
  function automatic logic [31:0] evt_info(input logic [2:0] kind, input logic [1:0] l2,
                                           input logic [15:0] off);
    return EVT_INFO_VALID | ((32'(kind) & EVT_INFO_KIND_MASK) << EVT_INFO_KIND_SHIFT) |
           ((32'(l2) & EVT_INFO_SIZE_MASK) << EVT_INFO_SIZE_SHIFT) | (32'(off) & EVT_INFO_OFF_MASK);
  endfunction

  logic [15:0] region_off;
  assign region_off = in_notify ? 16'(noff) : 16'(roff);

  // EVT_QSEL: the doorbell's queue for a kick; for a driver_feature write the select
  // that says which word it is; else queue_select
  logic [15:0] evt_qsel;
  always_comb begin
    evt_qsel = qsel_reg;
    if (in_notify) evt_qsel = nq;
    if (in_common && in_range(32'(roff), COMMON_DRIVER_FEATURE, COMMON_CONFIG_MSIX_VECTOR))
      evt_qsel = drfsel_reg[15:0];
  end

  // queue errors wait here until the FIFO has room; each queue raises at most one
  // before firmware resets it, so one pending bit (and reason) per queue is enough
  logic [NDQ-1:0] qerr_pend;
  logic [15:0]    qerr_why [NDQ];
  logic           qerr_any;
  logic [15:0]    qerr_pick;
  always_comb begin
    qerr_any  = 1'b0;
    qerr_pick = '0;
    if (qerr_pend != '0) begin  // evaluated every cycle by the model: skip while idle
      for (int q = NDQ - 1; q >= 0; q--) begin
        if (qerr_pend[q]) begin
          qerr_any  = 1'b1;
          qerr_pick = 16'(q);
        end
      end
    end
  end

  // link changes wait here like queue errors; a change while one waits updates it, so
  // only a FIFO that stays full can merge an up-down-up into one event
  logic link_prev, link_pend;

  logic bar_push, qerr_push, link_push;
  assign bar_push  = acc_wr && wr_event;
  assign qerr_push = !bar_push && qerr_any && !evt_full;
  assign link_push = !bar_push && !qerr_any && link_pend && !evt_full;
  assign evt_push  = bar_push || qerr_push || link_push;
  always_comb begin
    if (bar_push)
      evt_push_data = {evt_info(wr_kind, log2size, region_off), wval, evt_qsel};
    else if (link_push)
      evt_push_data = {evt_info(3'(EVT_KIND_LINK), 2'd2, 16'h0), 31'h0, link_prev, 16'h0};
    else
      evt_push_data = {evt_info(3'(EVT_KIND_QERR), 2'd0, 16'h0), 16'h0, qerr_why[qerr_pick[QW-1:0]], qerr_pick};
  end

  assign mbox_cmd_wr  = acc_wr && v_cmd;
  assign mbox_cmd_val = wval;
  assign mba_we    = acc_wr && v_data;
  assign mba_idx   = roff[7:2];
  assign mba_be    = be;
  assign mba_wdata = wlanes;

  assign db_valid = acc_wr && is_db;
  assign db_queue = nq;

  assign mx_wr    = acc_wr && in_table;
  assign mx_dw    = roff[11:2];
  assign mx_be    = be;
  assign mx_wdata = wlanes;

  logic isr_rd;
  assign isr_rd = acc_rd && in_isr && roff[1:0] == 0;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      dfsel_reg  <= '0;
      drfsel_reg <= '0;
      qsel_reg   <= '0;
      isr_reg    <= '0;
      qerr_pend  <= '0;
      mbox_arg0  <= '0;
      mbox_arg1  <= '0;
      link_prev  <= link_up;
      link_pend  <= 1'b0;
    end else begin
      if (acc_wr && v_arg0) mbox_arg0 <= merge(mbox_arg0, wlanes, be);
      if (acc_wr && v_arg1) mbox_arg1 <= merge(mbox_arg1, wlanes, be);
      if (link_push) link_pend <= 1'b0;
      if (link_up != link_prev) begin
        link_prev <= link_up;
        link_pend <= 1'b1;
      end
      if (acc_wr && in_common) begin
        if (cwk == CW_DFSEL)  dfsel_reg  <= merge(dfsel_reg, wlanes, be);
        if (cwk == CW_DRFSEL) drfsel_reg <= merge(drfsel_reg, wlanes, be);
        if (cwk == CW_QSEL)   qsel_reg   <= 16'(merge(32'(qsel_reg) << QSEL_SHIFT, wlanes, be) >> QSEL_SHIFT);
      end
      isr_reg <= ((isr_rd || isr_clear) ? 8'h0 : isr_reg) |
                 (isr_set_queue ? 8'(ISR_QUEUE) : 8'h0) | (isr_set_config ? 8'(ISR_CONFIG) : 8'h0);
      if (qerr_push) qerr_pend[qerr_pick[QW-1:0]] <= 1'b0;
      if (qerr_valid && 32'(qerr_queue) < NDQ) qerr_pend[qerr_queue[QW-1:0]] <= 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (qerr_valid && 32'(qerr_queue) < NDQ) qerr_why[qerr_queue[QW-1:0]] <= qerr_reason;
  end
endmodule
`default_nettype wire
