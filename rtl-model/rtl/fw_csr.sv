// fw_csr: the firmware's register window.  Holds what the driver reads (common cfg
// shadows, per-queue shadow RAM, device cfg), programs the queue engines (QC_*), and
// exposes the event FIFO head, device control, interrupts, the FDMA mailbox and the
// counters.  Read data is registered: valid the cycle after the request.
`default_nettype none
module fw_csr
  import vionic_regs_pkg::*;
#(
  parameter int QP = 4  // queue pairs
) (
  input  wire logic         clk,
  input  wire logic         rst_n,
  // firmware bus
  input  wire logic         fw_req_valid,
  input  wire logic         fw_req_write,
  input  wire logic [11:0]  fw_req_addr,
  input  wire logic [31:0]  fw_req_wdata,
  output logic [31:0]       fw_rsp_rdata,
  // event FIFO head
  input  wire logic         evt_empty,
  input  wire logic [79:0]  evt_head,        // EVT_INFO word, EVT_DATA, EVT_QSEL[15:0]
  output logic              evt_pop,         // pulse
  // common cfg shadows
  output logic [31:0]       cc_device_feature0,
  output logic [31:0]       cc_device_feature1,
  output logic [31:0]       cc_driver_feature0,
  output logic [31:0]       cc_driver_feature1,
  output logic [15:0]       cc_config_msix_vector,
  output logic [15:0]       cc_num_queues,
  output logic [7:0]        cc_device_status,
  output logic [7:0]        cc_config_generation,
  // per-queue shadows, read port for the driver's queue_select
  input  wire logic [15:0]  qs_rd_q,
  output logic [15:0]       qs_rd_size,
  output logic [15:0]       qs_rd_msix_vector,
  output logic [15:0]       qs_rd_enable,
  output logic [15:0]       qs_rd_reset,
  output logic [63:0]       qs_rd_desc,
  output logic [63:0]       qs_rd_driver,
  output logic [63:0]       qs_rd_device,
  output logic [255:0]      devcfg,
  output logic [31:0]       fw_version,
  output logic [31:0]       hwcfg,
  // engines
  output logic              datapath_en,
  output logic              rx_mrg,
  output logic              ind_en,
  output logic              tx_csum,         // DEV_CTRL.TX_CSUM
  output logic              rx_csum,         // DEV_CTRL.RX_CSUM
  output logic              hdr_hash,        // DEV_CTRL.HDR_HASH
  output logic              ev_en,           // DEV_CTRL.EVENT_IDX
  output logic              pk,              // DEV_CTRL.PACKED
  output logic              cw_valid,        // pulse: a write to the RXF_* / RSS_* window
  output logic [11:0]       cw_addr,
  output logic [31:0]       cw_data,
  input  wire logic [31:0]  rxf_ctrl_q,
  input  wire logic [31:0]  rss_ctrl_q,
  output logic [7:0]        rx_queue_pairs,
  output logic              dev_reset,       // pulse
  input  wire logic         dev_idle,
  output logic              ctx_cmd_valid,   // pulse with the QC_* fields
  output logic [1:0]        ctx_cmd,
  output logic [15:0]       ctx_q,
  output logic [15:0]       ctx_size,
  output logic [15:0]       ctx_vector,
  output logic [63:0]       ctx_desc,
  output logic [63:0]       ctx_driver,
  output logic [63:0]       ctx_device,
  output logic [15:0]       ctx_base,        // QC_BASE: start index for QC_CMD_START
  output logic [31:0]       ctx_coal,        // QC_COAL: for QC_CMD_START and QC_CMD_COAL
  input  wire logic [2:0]   ctx_rd_state,
  input  wire logic [15:0]  ctx_rd_inflight,
  input  wire logic [31:0]  ctx_rd_indices,
  // interrupts
  output logic              msi_send,        // pulse
  output logic [15:0]       msi_send_vector,
  output logic              cfg_irq,         // pulse
  // FDMA mailbox
  output logic              fdma_cmd_valid,  // pulse
  output logic [31:0]       fdma_cmd,
  output logic [63:0]       fdma_addr,
  output logic [31:0]       fdma_len,
  output logic              fdma_data_wr,
  output logic [3:0]        fdma_data_idx,
  output logic [31:0]       fdma_data_wdata,
  input  wire logic         fdma_busy,
  input  wire logic [511:0] fdma_data,
  // counter pulses
  input  wire logic         cnt_tx_pkt,
  input  wire logic [15:0]  cnt_tx_bytes,
  input  wire logic         cnt_rx_pkt,
  input  wire logic [15:0]  cnt_rx_bytes,
  input  wire logic         cnt_rx_drop,
  input  wire logic         cnt_rx_filt,
  input  wire logic         cnt_rx_csum_bad,
  input  wire logic         cnt_dma_rd,
  input  wire logic         cnt_dma_wr,
  input  wire logic         cnt_dma_drop,
  output logic [31:0]       cnt_tx_pkts,
  output logic [31:0]       cnt_rx_pkts,
  output logic [31:0]       cnt_rx_drops,
  output logic [31:0]       cnt_rx_filtered,
  // boot, mailbox, flash, core reset, link
  input  wire logic         core_mode,       // the embedded core runs the firmware
  output logic [31:0]       boot_status,
  input  wire logic         mbox_cmd_wr,     // pulse: the driver wrote VND_MBOX_CMD
  input  wire logic [31:0]  mbox_cmd_val,
  input  wire logic [31:0]  mbox_arg0,
  input  wire logic [31:0]  mbox_arg1,
  output logic [31:0]       mbox_status,
  output logic [31:0]       mbox_cmd,
  output logic              mb_we,           // mailbox data RAM, firmware port
  output logic [5:0]        mb_idx,
  output logic [31:0]       mb_wdata,
  input  wire logic [31:0]  mb_rdata,        // combinational
  output logic              fl_wr,           // vn_flash registers
  output logic              fl_rd,
  output logic [2:0]        fl_idx,
  output logic [31:0]       fl_wdata,
  input  wire logic [31:0]  fl_rdata,        // combinational, the cycle of fl_rd
  output logic              core_reset,      // pulse: CORE_RESET_KEY written
  input  wire logic         link_up
);
  localparam int NQ = 2 * QP + 1;
  localparam int NV = 2 * QP + 2;
  localparam int QW = $clog2(NQ);
  if (QP < 1 || QP > 64) begin : g_bad_qp
    $error("fw_csr: QP must be 1..64");
  end
  if (FW_SIZE > 'h1000 || FW_FDMA_DATA0 + FDMA_MAX > FW_SIZE) begin : g_bad_map
    $error("fw_csr: firmware window does not fit the 12-bit bus");
  end
  if (FW_MBOX_DATA0 + MBOX_DATA_BYTES > FW_SIZE || MBOX_DATA_BYTES != 256 ||
      FW_FLASH_DATA != FW_FLASH_ADDR + 4 || FW_FLASH_CMD != FW_FLASH_ADDR + 8 ||
      FW_FLASH_STATUS != FW_FLASH_ADDR + 12 || FW_FLASH_INFO != FW_FLASH_ADDR + 16) begin : g_bad_mbox
    $error("fw_csr: mailbox data must be 64 words; FLASH_ADDR..INFO consecutive words (vn_flash reg_idx)");
  end

  assign hwcfg = ((32'(QP) & HWCFG_PAIRS_MASK) << HWCFG_PAIRS_SHIFT) |
                 ((32'(NV) & HWCFG_VECTORS_MASK) << HWCFG_VECTORS_SHIFT) |
                 ((32'($clog2(MAX_QUEUE_SIZE)) & HWCFG_QSIZE_LOG2_MASK) << HWCFG_QSIZE_LOG2_SHIFT);

  logic        wr, rd;
  logic [11:0] a;
  logic [31:0] wd;
  assign wr = fw_req_valid && fw_req_write;
  assign rd = fw_req_valid && !fw_req_write;
  assign a  = fw_req_addr;
  assign wd = fw_req_wdata;

  function automatic logic at(input logic [11:0] addr, input int unsigned reg_off);
    return 32'(addr) == reg_off;
  endfunction

  // ---- per-queue shadow RAM -----------------------------------------------------------
  logic [15:0] qs_size   [NQ];
  logic [15:0] qs_vector [NQ];
  logic [15:0] qs_enable [NQ];
  logic [15:0] qs_reset  [NQ];
  logic [63:0] qs_desc   [NQ];
  logic [63:0] qs_driver [NQ];
  logic [63:0] qs_device [NQ];

  logic [31:0] qs_sel;
  logic        fw_q_ok, bar_q_ok;
  logic [QW-1:0] fq, bq;
  assign fw_q_ok  = qs_sel < NQ;
  assign bar_q_ok = 32'(qs_rd_q) < NQ;
  assign fq = qs_sel[QW-1:0];
  assign bq = qs_rd_q[QW-1:0];

  assign qs_rd_size        = bar_q_ok ? qs_size[bq]   : 16'h0;
  assign qs_rd_msix_vector = bar_q_ok ? qs_vector[bq] : 16'h0;
  assign qs_rd_enable      = bar_q_ok ? qs_enable[bq] : 16'h0;
  assign qs_rd_reset       = bar_q_ok ? qs_reset[bq]  : 16'h0;
  assign qs_rd_desc        = bar_q_ok ? qs_desc[bq]   : 64'h0;
  assign qs_rd_driver      = bar_q_ok ? qs_driver[bq] : 64'h0;
  assign qs_rd_device      = bar_q_ok ? qs_device[bq] : 64'h0;

  // 64-bit registers are written a half at a time
  function automatic logic [63:0] set_lo(input logic [63:0] v, input logic [31:0] x);
    return (v & 64'hffff_ffff_0000_0000) | 64'(x);
  endfunction
  function automatic logic [63:0] set_hi(input logic [63:0] v, input logic [31:0] x);
    return (v & 64'h0000_0000_ffff_ffff) | (64'(x) << 32);
  endfunction

  // a RAM: not reset; firmware publishes every queue's shadows at init and device reset
  always_ff @(posedge clk) begin
    if (wr && fw_q_ok) begin
      if (at(a, FW_QS_SIZE))        qs_size[fq]   <= wd[15:0];
      if (at(a, FW_QS_MSIX_VECTOR)) qs_vector[fq] <= wd[15:0];
      if (at(a, FW_QS_ENABLE))      qs_enable[fq] <= wd[15:0];
      if (at(a, FW_QS_RESET))       qs_reset[fq]  <= wd[15:0];
      if (at(a, FW_QS_DESC_LO))     qs_desc[fq]   <= set_lo(qs_desc[fq], wd);
      if (at(a, FW_QS_DESC_HI))     qs_desc[fq]   <= set_hi(qs_desc[fq], wd);
      if (at(a, FW_QS_DRIVER_LO))   qs_driver[fq] <= set_lo(qs_driver[fq], wd);
      if (at(a, FW_QS_DRIVER_HI))   qs_driver[fq] <= set_hi(qs_driver[fq], wd);
      if (at(a, FW_QS_DEVICE_LO))   qs_device[fq] <= set_lo(qs_device[fq], wd);
      if (at(a, FW_QS_DEVICE_HI))   qs_device[fq] <= set_hi(qs_device[fq], wd);
    end
  end

  // ---- plain registers ----------------------------------------------------------------
  logic [31:0] rdata;
  logic [63:0] cycle_reg;
  logic [31:0] cycle_hi_latch;
  logic [31:0] devcfg_w [8];
  logic [31:0] qc_sel, qc_size, qc_vector;
  logic [63:0] qc_desc, qc_driver, qc_device;
  logic [15:0] qc_base;
  logic [31:0] qc_coal;
  logic [31:0] dev_ctrl, rxqp;
  logic [63:0] fdma_addr_reg;
  logic [31:0] fdma_len_reg;
  logic [31:0] c_tx_pkts, c_tx_bytes, c_rx_pkts, c_rx_bytes, c_rx_drops, c_dma_rd, c_dma_wr, c_dma_drop;
  logic [31:0] c_rx_filt, c_rx_csum_bad;

  for (genvar i = 0; i < 8; i++) begin : g_devcfg
    assign devcfg[32*i +: 32] = devcfg_w[i];
  end

  assign datapath_en    = (dev_ctrl & DEV_CTRL_DATAPATH_EN) != 0;
  assign rx_mrg         = (dev_ctrl & DEV_CTRL_RX_MRG) != 0;
  assign ind_en         = (dev_ctrl & DEV_CTRL_INDIRECT) != 0;
  assign tx_csum        = (dev_ctrl & DEV_CTRL_TX_CSUM) != 0;
  assign rx_csum        = (dev_ctrl & DEV_CTRL_RX_CSUM) != 0;
  assign hdr_hash       = (dev_ctrl & DEV_CTRL_HDR_HASH) != 0;
  assign ev_en          = (dev_ctrl & DEV_CTRL_EVENT_IDX) != 0;
  assign pk             = (dev_ctrl & DEV_CTRL_PACKED) != 0;
  assign rx_queue_pairs = rxqp[7:0];
  assign ctx_q          = qc_sel[15:0];
  assign ctx_size       = qc_size[15:0];
  assign ctx_vector     = qc_vector[15:0];
  assign ctx_desc       = qc_desc;
  assign ctx_driver     = qc_driver;
  assign ctx_device     = qc_device;
  assign ctx_base       = qc_base;
  assign ctx_coal       = qc_coal;
  assign fdma_addr      = fdma_addr_reg;
  assign fdma_len       = fdma_len_reg;
  assign fdma_cmd       = wd;
  // Command pulses act at the end of the write's own cycle, like every register write:
  // the firmware's next access already sees the effect (a popped event, a reset under
  // way, a queue starting).  Registering them would show it one access stale.
  assign evt_pop         = wr && at(a, FW_EVT_POP);
  assign dev_reset       = wr && at(a, FW_DEV_RESET) && wd[0];
  assign ctx_cmd_valid   = wr && at(a, FW_QC_CMD) && (wd == QC_CMD_START || wd == QC_CMD_RESET ||
                                                        wd == QC_CMD_COAL);
  assign ctx_cmd         = wd[1:0];
  assign msi_send        = wr && at(a, FW_MSI_SEND);
  assign msi_send_vector = wd[15:0];
  assign cfg_irq         = wr && at(a, FW_CFG_IRQ) && wd[0];
  assign fdma_cmd_valid = wr && at(a, FW_FDMA_CMD);
  // the receive filter and RSS registers live in vq_rx_cls
  assign cw_valid = wr && a >= 12'(FW_RXF_CTRL) && a < 12'(FW_RSS_KEY0 + 4 * RSS_KEY_LEN / 4);
  assign cw_addr  = a;
  assign cw_data  = wd;
  assign fdma_data_wr   = wr && a >= 12'(FW_FDMA_DATA0) && 32'(a) < FW_FDMA_DATA0 + FDMA_MAX;
  assign fdma_data_idx  = 4'((32'(a) - FW_FDMA_DATA0) >> 2);
  assign fdma_data_wdata = wd;
  // mailbox data RAM and flash registers: windows forwarded to their blocks
  logic in_mb, in_fl;
  assign in_mb    = a >= 12'(FW_MBOX_DATA0) && 32'(a) < FW_MBOX_DATA0 + MBOX_DATA_BYTES;
  assign in_fl    = a >= 12'(FW_FLASH_ADDR) && 32'(a) <= FW_FLASH_INFO;
  assign mb_we    = wr && in_mb;
  assign mb_idx   = 6'((32'(a) - FW_MBOX_DATA0) >> 2);
  assign mb_wdata = wd;
  assign fl_wr    = wr && in_fl;
  assign fl_rd    = rd && in_fl;
  assign fl_idx   = 3'((32'(a) - FW_FLASH_ADDR) >> 2);
  assign fl_wdata = wd;
  assign core_reset = wr && at(a, FW_CORE_RESET) && wd == CORE_RESET_KEY;
  assign cnt_tx_pkts    = c_tx_pkts;
  assign cnt_rx_pkts    = c_rx_pkts;
  assign cnt_rx_drops   = c_rx_drops;
  assign cnt_rx_filtered = c_rx_filt;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      cycle_reg             <= '0;
      cycle_hi_latch        <= '0;
      fw_version            <= '0;
      cc_device_feature0    <= '0;
      cc_device_feature1    <= '0;
      cc_driver_feature0    <= '0;
      cc_driver_feature1    <= '0;
      cc_config_msix_vector <= 16'(MSIX_NO_VECTOR);
      cc_num_queues         <= 16'(NQ);
      cc_device_status      <= '0;
      cc_config_generation  <= '0;
      for (int i = 0; i < 8; i++) devcfg_w[i] <= '0;
      qc_sel    <= '0;
      qc_size   <= '0;
      qc_vector <= 32'(MSIX_NO_VECTOR);
      qc_desc   <= '0;
      qc_driver <= '0;
      qc_device <= '0;
      qc_base   <= '0;
      qc_coal   <= '0;
      qs_sel    <= '0;
      dev_ctrl  <= '0;
      rxqp      <= 32'd1;
      fdma_addr_reg <= '0;
      fdma_len_reg  <= '0;
      fw_rsp_rdata  <= '0;
      // host mode has booted nothing; in core mode the boot ROM says what it booted
      boot_status   <= core_mode ? 32'(BOOT_SLOT_NONE) : 32'(BOOT_SLOT_HOST);
      mbox_status   <= '0;
      mbox_cmd      <= '0;
      c_tx_pkts <= '0; c_tx_bytes <= '0; c_rx_pkts <= '0; c_rx_bytes <= '0;
      c_rx_drops <= '0; c_dma_rd <= '0; c_dma_wr <= '0; c_dma_drop <= '0;
      c_rx_filt <= '0; c_rx_csum_bad <= '0;
    end else begin
      cycle_reg <= cycle_reg + 64'd1;
      if (wr) begin
        if (at(a, FW_FW_VERSION))            fw_version <= wd;
        if (at(a, FW_CC_DEVICE_FEATURE0))    cc_device_feature0 <= wd;
        if (at(a, FW_CC_DEVICE_FEATURE1))    cc_device_feature1 <= wd;
        if (at(a, FW_CC_DRIVER_FEATURE0))    cc_driver_feature0 <= wd;
        if (at(a, FW_CC_DRIVER_FEATURE1))    cc_driver_feature1 <= wd;
        if (at(a, FW_CC_CONFIG_MSIX_VECTOR)) cc_config_msix_vector <= wd[15:0];
        if (at(a, FW_CC_NUM_QUEUES))         cc_num_queues <= wd[15:0];
        if (at(a, FW_CC_DEVICE_STATUS))      cc_device_status <= wd[7:0];
        if (at(a, FW_CC_CONFIG_GENERATION))  cc_config_generation <= wd[7:0];
        if (at(a, FW_QS_SEL))                qs_sel <= wd;
        for (int i = 0; i < 8; i++)
          if (at(a, FW_DEVCFG0 + 4 * i))     devcfg_w[i] <= wd;
        if (at(a, FW_QC_SEL))                qc_sel <= wd;
        if (at(a, FW_QC_SIZE))               qc_size <= wd;
        if (at(a, FW_QC_MSIX_VECTOR))        qc_vector <= wd;
        if (at(a, FW_QC_DESC_LO))            qc_desc <= set_lo(qc_desc, wd);
        if (at(a, FW_QC_DESC_HI))            qc_desc <= set_hi(qc_desc, wd);
        if (at(a, FW_QC_DRIVER_LO))          qc_driver <= set_lo(qc_driver, wd);
        if (at(a, FW_QC_DRIVER_HI))          qc_driver <= set_hi(qc_driver, wd);
        if (at(a, FW_QC_DEVICE_LO))          qc_device <= set_lo(qc_device, wd);
        if (at(a, FW_QC_DEVICE_HI))          qc_device <= set_hi(qc_device, wd);
        if (at(a, FW_QC_BASE))               qc_base <= wd[15:0];
        if (at(a, FW_QC_COAL))               qc_coal <= wd;
        if (at(a, FW_DEV_CTRL))              dev_ctrl <= wd;
        if (at(a, FW_RX_QUEUE_PAIRS))        rxqp <= wd;
        if (at(a, FW_FDMA_ADDR_LO))          fdma_addr_reg <= set_lo(fdma_addr_reg, wd);
        if (at(a, FW_FDMA_ADDR_HI))          fdma_addr_reg <= set_hi(fdma_addr_reg, wd);
        if (at(a, FW_FDMA_LEN))              fdma_len_reg <= wd;
        if (at(a, FW_FW_BOOT_STATUS))        boot_status <= wd;
        if (at(a, FW_MBOX_STATUS))           mbox_status <= wd;
      end
      // a new command is busy at once, whatever the firmware writes in the same cycle
      if (mbox_cmd_wr) begin
        mbox_cmd    <= mbox_cmd_val;
        mbox_status <= (wr && at(a, FW_MBOX_STATUS) ? wd : mbox_status) | MBOX_STATUS_BUSY;
      end

      if (cnt_tx_pkt) begin
        c_tx_pkts  <= c_tx_pkts + 32'd1;
        c_tx_bytes <= c_tx_bytes + 32'(cnt_tx_bytes);
      end
      if (cnt_rx_pkt) begin
        c_rx_pkts  <= c_rx_pkts + 32'd1;
        c_rx_bytes <= c_rx_bytes + 32'(cnt_rx_bytes);
      end
      if (cnt_rx_drop)  c_rx_drops <= c_rx_drops + 32'd1;
      if (cnt_rx_filt)  c_rx_filt <= c_rx_filt + 32'd1;
      if (cnt_rx_csum_bad) c_rx_csum_bad <= c_rx_csum_bad + 32'd1;
      if (cnt_dma_rd)   c_dma_rd   <= c_dma_rd + 32'd1;
      if (cnt_dma_wr)   c_dma_wr   <= c_dma_wr + 32'd1;
      if (cnt_dma_drop) c_dma_drop <= c_dma_drop + 32'd1;

      if (rd) begin
        fw_rsp_rdata <= rdata;
        if (at(a, FW_FW_CYCLE_LO)) cycle_hi_latch <= cycle_reg[63:32];
      end
    end
  end

  // ---- read mux ----------------------------------------------------------------------
  logic [31:0] evt_info;
  assign evt_info = evt_empty ? 32'h0 : evt_head[79:48];

  // decoded only for a read: the model evaluates combinational logic every cycle
  always_comb begin
    rdata = '0;
    if (rd) begin
      if (at(a, FW_FW_ID))                 rdata = FW_ID_MAGIC;
      if (at(a, FW_FW_HWCFG))              rdata = hwcfg;
      if (at(a, FW_FW_CYCLE_LO))           rdata = cycle_reg[31:0];
      if (at(a, FW_FW_CYCLE_HI))           rdata = cycle_hi_latch;
      if (at(a, FW_FW_VERSION))            rdata = fw_version;
      if (at(a, FW_EVT_INFO))              rdata = evt_info;
      if (at(a, FW_EVT_DATA))              rdata = evt_empty ? 32'h0 : evt_head[47:16];
      if (at(a, FW_EVT_QSEL))              rdata = evt_empty ? 32'h0 : 32'(evt_head[15:0]);
      if (at(a, FW_CC_DEVICE_FEATURE0))    rdata = cc_device_feature0;
      if (at(a, FW_CC_DEVICE_FEATURE1))    rdata = cc_device_feature1;
      if (at(a, FW_CC_DRIVER_FEATURE0))    rdata = cc_driver_feature0;
      if (at(a, FW_CC_DRIVER_FEATURE1))    rdata = cc_driver_feature1;
      if (at(a, FW_CC_CONFIG_MSIX_VECTOR)) rdata = 32'(cc_config_msix_vector);
      if (at(a, FW_CC_NUM_QUEUES))         rdata = 32'(cc_num_queues);
      if (at(a, FW_CC_DEVICE_STATUS))      rdata = 32'(cc_device_status);
      if (at(a, FW_CC_CONFIG_GENERATION))  rdata = 32'(cc_config_generation);
      if (at(a, FW_QS_SEL))                rdata = qs_sel;
      if (fw_q_ok) begin
        if (at(a, FW_QS_SIZE))             rdata = 32'(qs_size[fq]);
        if (at(a, FW_QS_MSIX_VECTOR))      rdata = 32'(qs_vector[fq]);
        if (at(a, FW_QS_ENABLE))           rdata = 32'(qs_enable[fq]);
        if (at(a, FW_QS_RESET))            rdata = 32'(qs_reset[fq]);
        if (at(a, FW_QS_DESC_LO))          rdata = qs_desc[fq][31:0];
        if (at(a, FW_QS_DESC_HI))          rdata = qs_desc[fq][63:32];
        if (at(a, FW_QS_DRIVER_LO))        rdata = qs_driver[fq][31:0];
        if (at(a, FW_QS_DRIVER_HI))        rdata = qs_driver[fq][63:32];
        if (at(a, FW_QS_DEVICE_LO))        rdata = qs_device[fq][31:0];
        if (at(a, FW_QS_DEVICE_HI))        rdata = qs_device[fq][63:32];
      end
      for (int i = 0; i < 8; i++)
        if (at(a, FW_DEVCFG0 + 4 * i))     rdata = devcfg_w[i];
      if (at(a, FW_QC_SEL))                rdata = qc_sel;
      if (at(a, FW_QC_SIZE))               rdata = qc_size;
      if (at(a, FW_QC_MSIX_VECTOR))        rdata = qc_vector;
      if (at(a, FW_QC_DESC_LO))            rdata = qc_desc[31:0];
      if (at(a, FW_QC_DESC_HI))            rdata = qc_desc[63:32];
      if (at(a, FW_QC_DRIVER_LO))          rdata = qc_driver[31:0];
      if (at(a, FW_QC_DRIVER_HI))          rdata = qc_driver[63:32];
      if (at(a, FW_QC_DEVICE_LO))          rdata = qc_device[31:0];
      if (at(a, FW_QC_DEVICE_HI))          rdata = qc_device[63:32];
      if (at(a, FW_QC_BASE))               rdata = 32'(qc_base);
      if (at(a, FW_QC_COAL))               rdata = qc_coal;
      if (at(a, FW_QC_STATE))              rdata = {ctx_rd_inflight, 13'h0, ctx_rd_state};
      if (at(a, FW_QC_INDICES))            rdata = ctx_rd_indices;
      if (at(a, FW_DEV_CTRL))              rdata = dev_ctrl;
      if (at(a, FW_DEV_IDLE))              rdata = (dev_idle && !fdma_busy) ? DEV_IDLE_IDLE : 32'h0;
      if (at(a, FW_RX_QUEUE_PAIRS))        rdata = rxqp;
      if (at(a, FW_FDMA_ADDR_LO))          rdata = fdma_addr_reg[31:0];
      if (at(a, FW_FDMA_ADDR_HI))          rdata = fdma_addr_reg[63:32];
      if (at(a, FW_FDMA_LEN))              rdata = fdma_len_reg;
      if (at(a, FW_FDMA_STATUS))           rdata = fdma_busy ? FDMA_STATUS_BUSY : 32'h0;
      if (a >= 12'(FW_FDMA_DATA0) && 32'(a) < FW_FDMA_DATA0 + FDMA_MAX)
                                           rdata = fdma_data[32*fdma_data_idx +: 32];
      if (at(a, FW_FW_BOOT_STATUS))        rdata = boot_status;
      if (at(a, FW_MBOX_STATUS))           rdata = mbox_status;
      if (at(a, FW_MBOX_CMD))              rdata = mbox_cmd;
      if (at(a, FW_MBOX_ARG0))             rdata = mbox_arg0;
      if (at(a, FW_MBOX_ARG1))             rdata = mbox_arg1;
      if (in_mb)                           rdata = mb_rdata;
      if (in_fl)                           rdata = fl_rdata;
      if (at(a, FW_LINK_STATUS))           rdata = {31'd0, link_up};
      if (at(a, FW_CNT_TX_PKTS))           rdata = c_tx_pkts;
      if (at(a, FW_CNT_TX_BYTES))          rdata = c_tx_bytes;
      if (at(a, FW_CNT_RX_PKTS))           rdata = c_rx_pkts;
      if (at(a, FW_CNT_RX_BYTES))          rdata = c_rx_bytes;
      if (at(a, FW_CNT_RX_DROPS))          rdata = c_rx_drops;
      if (at(a, FW_CNT_DMA_RD))            rdata = c_dma_rd;
      if (at(a, FW_CNT_DMA_WR))            rdata = c_dma_wr;
      if (at(a, FW_CNT_DMA_DROPS))         rdata = c_dma_drop;
      if (at(a, FW_CNT_RX_FILTERED))       rdata = c_rx_filt;
      if (at(a, FW_CNT_RX_CSUM_BAD))       rdata = c_rx_csum_bad;
      if (at(a, FW_RXF_CTRL))              rdata = rxf_ctrl_q;
      if (at(a, FW_RSS_CTRL))              rdata = rss_ctrl_q;
    end
  end
endmodule
`default_nettype wire
