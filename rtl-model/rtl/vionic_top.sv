// vionic_top: one virtio-net PCI function.  The PCIe side (completer, config space,
// BAR0 registers, MSI-X, DMA port), the firmware's register window, and the queue
// engines behind them.  The port list is the RTL boundary of docs/architecture.md.
`default_nettype none
module vionic_top
  import vionic_regs_pkg::*;
#(
  parameter int QP = 4  // queue pairs: data queues 0..2*QP-1, control queue 2*QP
) (
  input  wire logic         clk,
  input  wire logic         rst_n,
  // completer (PCIe target)
  input  wire logic         tgt_req_valid,
  output logic              tgt_req_ready,
  input  wire logic         tgt_req_cfg,
  input  wire logic         tgt_req_write,
  input  wire logic [2:0]   tgt_req_bar,
  input  wire logic [31:0]  tgt_req_addr,
  input  wire logic [2:0]   tgt_req_size,
  input  wire logic [31:0]  tgt_req_wdata,
  output logic              tgt_rsp_valid,
  output logic [31:0]       tgt_rsp_rdata,
  // DMA read
  output logic              dma_rd_valid,
  input  wire logic         dma_rd_ready,
  output logic [63:0]       dma_rd_addr,
  output logic [12:0]       dma_rd_len,
  output logic [8:0]        dma_rd_tag,
  input  wire logic         dma_cpl_valid,
  input  wire logic [511:0] dma_cpl_data,
  input  wire logic [8:0]   dma_cpl_tag,
  input  wire logic         dma_cpl_last,
  // DMA write (posted, in order)
  output logic              dma_wr_valid,
  input  wire logic         dma_wr_ready,
  output logic [63:0]       dma_wr_addr,
  output logic [511:0]      dma_wr_data,
  output logic [6:0]        dma_wr_len,
  // firmware bus (host mode: ignored while core_en)
  input  wire logic         fw_req_valid,
  input  wire logic         fw_req_write,
  input  wire logic [11:0]  fw_req_addr,
  input  wire logic [31:0]  fw_req_wdata,
  output logic [31:0]       fw_rsp_rdata,
  output logic              fw_irq,
  // MAC
  output logic              m_axis_tx_tvalid,
  input  wire logic         m_axis_tx_tready,
  output logic [511:0]      m_axis_tx_tdata,
  output logic [63:0]       m_axis_tx_tkeep,
  output logic              m_axis_tx_tlast,
  input  wire logic         s_axis_rx_tvalid,
  output logic              s_axis_rx_tready,
  input  wire logic [511:0] s_axis_rx_tdata,
  input  wire logic [63:0]  s_axis_rx_tkeep,
  input  wire logic         s_axis_rx_tlast,
  // embedded core: core_en (static) makes it the firmware bus master; without it the
  // core's clock is stopped.  core_rst_req restarts it in the boot ROM.
  input  wire logic         core_en,
  input  wire logic         core_rst_req,
  output logic [31:0]       core_pc,
  output logic [63:0]       core_instret,
  output logic              core_evt_seen,   // the core's firmware has polled the event FIFO
  // MAC link state (a change is a firmware event)
  input  wire logic         mac_link_up,
  // flash: power cut, and the model's backdoor (word index; read data combinational)
  input  wire logic         flash_cut,
  input  wire logic         flash_bd_sel,    // the backdoor owns the array's port this cycle
  input  wire logic         flash_bd_we,
  input  wire logic [16:0]  flash_bd_widx,
  input  wire logic [31:0]  flash_bd_wdata,
  output logic [31:0]       flash_bd_rdata
);
  localparam int NQ = 2 * QP + 1;
  localparam int NV = 2 * QP + 2;
  if (QP < 1 || QP > 64) begin : g_bad_qp
    $error("vionic_top: QP must be 1..64");
  end

  // ---- completer and config space -----------------------------------------------------
  logic        cfg_valid, cfg_write;
  logic [5:0]  cfg_dw;
  logic [3:0]  cfg_be;
  logic [31:0] cfg_wdata, cfg_rdata;
  logic        mem_en, master_en, msix_enable, msix_maskall;
  logic [7:0]  win_bar;
  logic [31:0] win_off, win_len;
  logic        bar_valid, bar_write, bar_done;
  logic [14:0] bar_addr;
  logic [2:0]  bar_size;
  logic [31:0] bar_wdata, bar_rdata;

  tgt_port u_tgt (
    .clk, .rst_n,
    .tgt_req_valid, .tgt_req_ready, .tgt_req_cfg, .tgt_req_write, .tgt_req_bar,
    .tgt_req_addr, .tgt_req_size, .tgt_req_wdata, .tgt_rsp_valid, .tgt_rsp_rdata,
    .cfg_valid, .cfg_write, .cfg_dw, .cfg_be, .cfg_wdata, .cfg_rdata,
    .mem_en, .win_bar, .win_off, .win_len,
    .bar_valid, .bar_write, .bar_addr, .bar_size, .bar_wdata, .bar_done, .bar_rdata
  );

  pci_cfg #(.NQ(NQ), .NV(NV)) u_cfg (
    .clk, .rst_n,
    .acc_valid(cfg_valid), .acc_write(cfg_write), .acc_dw(cfg_dw), .acc_be(cfg_be),
    .acc_wdata(cfg_wdata), .acc_rdata(cfg_rdata),
    .mem_en, .master_en, .msix_enable, .msix_maskall, .win_bar, .win_off, .win_len
  );

  // ---- the firmware bus master: the host's port or the embedded core -----------------
  logic        fwb_valid, fwb_write, c_fw_valid, c_fw_write;
  logic [11:0] fwb_addr, c_fw_addr;
  logic [31:0] fwb_wdata, c_fw_wdata, fwb_rdata;
  logic        core_reset, core_rst_q;
  logic [16:0] c_fl_widx;
  assign fwb_valid = core_en ? c_fw_valid : fw_req_valid;
  assign fwb_write = core_en ? c_fw_write : fw_req_write;
  assign fwb_addr  = core_en ? c_fw_addr  : fw_req_addr;
  assign fwb_wdata = core_en ? c_fw_wdata : fw_req_wdata;
  assign fw_rsp_rdata = fwb_rdata;

  // CORE_RESET acts after the write that asked for it has completed
  always_ff @(posedge clk) begin
    if (!rst_n) core_rst_q <= 1'b0;
    else        core_rst_q <= core_reset;
  end

  // host mode stops the core's clock (a clock gate in silicon): its logic costs nothing
  // there, in hardware and in the model
  logic core_clk;
  assign core_clk = clk && core_en;

  vn_core_sys u_core (
    .clk(core_clk), .rst_n, .core_rst(core_rst_q || core_rst_req),
    .fw_valid(c_fw_valid), .fw_write(c_fw_write), .fw_addr(c_fw_addr), .fw_wdata(c_fw_wdata),
    .fw_rdata(fwb_rdata),
    .fl_hold(flash_bd_sel), .fl_widx(c_fl_widx), .fl_rdata(flash_bd_rdata),
    .dbg_pc(core_pc), .dbg_instret(core_instret), .evt_seen(core_evt_seen)
  );

  logic link_q;
  always_ff @(posedge clk) link_q <= mac_link_up;

  // ---- mailbox data RAM and flash -----------------------------------------------------
  logic        mba_we, mb_we;
  logic [5:0]  mba_idx, mb_idx;
  logic [3:0]  mba_be;
  logic [31:0] mba_wdata, mba_rdata, mb_wdata, mb_rdata;
  logic        mbox_cmd_wr;
  logic [31:0] mbox_cmd_val, mbox_arg0, mbox_arg1, mbox_status, mbox_cmd, boot_status;
  logic        fl_wr, fl_rd;
  logic [2:0]  fl_idx;
  logic [31:0] fl_wdata, fl_rdata;

  mbox_ram u_mbox (
    .clk,
    .a_we(mba_we), .a_idx(mba_idx), .a_be(mba_be), .a_wdata(mba_wdata), .a_rdata(mba_rdata),
    .b_we(mb_we), .b_idx(mb_idx), .b_wdata(mb_wdata), .b_rdata(mb_rdata)
  );

  // the core's flash window shares the backdoor port; a core read waits while the
  // model's backdoor holds it
  vn_flash u_flash (
    .clk, .rst_n, .cut(flash_cut),
    .reg_wr(fl_wr), .reg_rd(fl_rd), .reg_idx(fl_idx), .reg_wdata(fl_wdata), .reg_rdata(fl_rdata),
    .bd_we(flash_bd_we), .bd_widx(flash_bd_sel ? flash_bd_widx : c_fl_widx), .bd_wdata(flash_bd_wdata),
    .bd_rdata(flash_bd_rdata)
  );

  // ---- BAR0 registers and the event FIFO ----------------------------------------------
  logic        evt_push, evt_pop, evt_empty, evt_full;
  logic [79:0] evt_push_data, evt_head;
  logic        qerr_valid;
  logic [15:0] qerr_queue, qerr_reason;
  logic        db_valid;
  logic [15:0] db_queue;
  logic [31:0] cc_device_feature0, cc_device_feature1, cc_driver_feature0, cc_driver_feature1;
  logic [15:0] cc_config_msix_vector, cc_num_queues;
  logic [7:0]  cc_device_status, cc_config_generation;
  logic [15:0] queue_select;
  logic [15:0] qs_size, qs_msix_vector, qs_enable, qs_reset;
  logic [63:0] qs_desc, qs_driver, qs_device;
  logic [255:0] devcfg;
  logic [31:0] fw_version, hwcfg, cnt_tx_pkts, cnt_rx_pkts, cnt_rx_drops, cnt_rx_filtered;
  logic        isr_set_queue, isr_set_config, dev_reset;
  logic        mx_wr;
  logic [9:0]  mx_dw;
  logic [3:0]  mx_be;
  logic [31:0] mx_wdata, mx_tbl_rdata, mx_pba_rdata;

  bar_regs #(.QP(QP)) u_bar (
    .clk, .rst_n,
    .req_valid(bar_valid), .req_write(bar_write), .req_addr(bar_addr), .req_size(bar_size),
    .req_wdata(bar_wdata), .req_done(bar_done), .req_rdata(bar_rdata),
    .evt_push, .evt_push_data, .evt_empty, .evt_full,
    .qerr_valid, .qerr_queue, .qerr_reason,
    .db_valid, .db_queue,
    .cc_device_feature0, .cc_device_feature1, .cc_driver_feature0, .cc_driver_feature1,
    .cc_config_msix_vector, .cc_num_queues, .cc_device_status, .cc_config_generation,
    .queue_select,
    .qs_size, .qs_msix_vector, .qs_enable, .qs_reset, .qs_desc, .qs_driver, .qs_device,
    .devcfg, .fw_version, .hwcfg, .cnt_tx_pkts, .cnt_rx_pkts, .cnt_rx_drops, .cnt_rx_filtered,
    .isr_set_queue, .isr_set_config, .isr_clear(dev_reset),
    .mx_wr, .mx_dw, .mx_be, .mx_wdata, .mx_tbl_rdata, .mx_pba_rdata,
    .boot_status, .mbox_status, .mbox_cmd, .mbox_cmd_wr, .mbox_cmd_val, .mbox_arg0, .mbox_arg1,
    .mba_we, .mba_idx, .mba_be, .mba_wdata, .mba_rdata, .link_up(link_q)
  );

  evt_fifo #(.DEPTH(EVT_FIFO_DEPTH), .W(80)) u_evt (
    .clk, .rst_n,
    .push(evt_push), .push_data(evt_push_data), .pop(evt_pop),
    .head(evt_head), .empty(evt_empty), .full(evt_full)
  );
  assign fw_irq = !evt_empty;

  // ---- firmware window ----------------------------------------------------------------
  logic        datapath_en, rx_mrg, ind_en, dev_idle, tx_csum, rx_csum, hdr_hash, cw_valid, ev_en, pk;
  logic [11:0] cw_addr;
  logic [31:0] cw_data, rxf_ctrl_q, rss_ctrl_q;
  logic        cnt_rx_filt, cnt_rx_csum_bad;
  logic [7:0]  rx_queue_pairs;
  logic        ctx_cmd_valid;
  logic [1:0]  ctx_cmd;
  logic [15:0] ctx_q, ctx_size, ctx_vector;
  logic [63:0] ctx_desc, ctx_driver, ctx_device;
  logic [15:0] ctx_base;
  logic [31:0] ctx_coal;
  logic [2:0]  ctx_rd_state;
  logic [15:0] ctx_rd_inflight;
  logic [31:0] ctx_rd_indices;
  logic        msi_send, cfg_irq;
  logic [15:0] msi_send_vector;
  logic        fdma_cmd_valid, fdma_data_wr, fdma_busy;
  logic [31:0] fdma_cmd, fdma_len, fdma_data_wdata;
  logic [63:0] fdma_addr;
  logic [3:0]  fdma_data_idx;
  logic [511:0] fdma_data;
  logic        cnt_tx_pkt, cnt_rx_pkt, cnt_rx_drop, cnt_dma_rd, cnt_dma_wr, cnt_dma_drop;
  logic [15:0] cnt_tx_bytes, cnt_rx_bytes;
  logic        eng_idle, dma_idle;

  fw_csr #(.QP(QP)) u_fw (
    .clk, .rst_n,
    .fw_req_valid(fwb_valid), .fw_req_write(fwb_write), .fw_req_addr(fwb_addr),
    .fw_req_wdata(fwb_wdata), .fw_rsp_rdata(fwb_rdata),
    .evt_empty, .evt_head, .evt_pop,
    .cc_device_feature0, .cc_device_feature1, .cc_driver_feature0, .cc_driver_feature1,
    .cc_config_msix_vector, .cc_num_queues, .cc_device_status, .cc_config_generation,
    .qs_rd_q(queue_select), .qs_rd_size(qs_size), .qs_rd_msix_vector(qs_msix_vector),
    .qs_rd_enable(qs_enable), .qs_rd_reset(qs_reset), .qs_rd_desc(qs_desc),
    .qs_rd_driver(qs_driver), .qs_rd_device(qs_device),
    .devcfg, .fw_version, .hwcfg,
    .datapath_en, .rx_mrg, .ind_en, .tx_csum, .rx_csum, .hdr_hash, .ev_en, .pk, .cw_valid, .cw_addr,
    .cw_data, .rxf_ctrl_q, .rss_ctrl_q, .rx_queue_pairs, .dev_reset, .dev_idle,
    .ctx_cmd_valid, .ctx_cmd, .ctx_q, .ctx_size, .ctx_vector, .ctx_desc, .ctx_driver,
    .ctx_device, .ctx_base, .ctx_coal, .ctx_rd_state, .ctx_rd_inflight, .ctx_rd_indices,
    .msi_send, .msi_send_vector, .cfg_irq,
    .fdma_cmd_valid, .fdma_cmd, .fdma_addr, .fdma_len, .fdma_data_wr, .fdma_data_idx,
    .fdma_data_wdata, .fdma_busy, .fdma_data,
    .cnt_tx_pkt, .cnt_tx_bytes, .cnt_rx_pkt, .cnt_rx_bytes, .cnt_rx_drop,
    .cnt_rx_filt, .cnt_rx_csum_bad, .cnt_dma_rd, .cnt_dma_wr, .cnt_dma_drop,
    .cnt_tx_pkts, .cnt_rx_pkts, .cnt_rx_drops, .cnt_rx_filtered,
    .core_mode(core_en), .boot_status, .mbox_cmd_wr, .mbox_cmd_val, .mbox_arg0, .mbox_arg1,
    .mbox_status, .mbox_cmd, .mb_we, .mb_idx, .mb_wdata, .mb_rdata,
    .fl_wr, .fl_rd, .fl_idx, .fl_wdata, .fl_rdata, .core_reset, .link_up(link_q)
  );
  assign dev_idle = eng_idle && dma_idle;

  // ---- MSI-X --------------------------------------------------------------------------
  logic        eng_msi_valid, eng_msi_ready;
  logic [15:0] eng_msi_vector;
  logic        msg_valid, msg_ready;
  logic [63:0] msg_addr;
  logic [31:0] msg_data;

  msix #(.NV(NV)) u_msix (
    .clk, .rst_n, .msix_enable, .msix_maskall, .master_en,
    .tbl_wr(mx_wr), .tbl_dw(mx_dw), .tbl_be(mx_be), .tbl_wdata(mx_wdata),
    .tbl_rdata(mx_tbl_rdata), .pba_rdata(mx_pba_rdata),
    .eng_valid(eng_msi_valid), .eng_ready(eng_msi_ready), .eng_vector(eng_msi_vector),
    .fw_valid(msi_send), .fw_vector(msi_send_vector),
    .cfg_valid(cfg_irq), .cfg_vector(cc_config_msix_vector),
    .msg_valid, .msg_ready, .msg_addr, .msg_data
  );
  assign isr_set_queue  = (eng_msi_valid && eng_msi_ready) || msi_send;
  assign isr_set_config = cfg_irq;

  // ---- the boundary: every stream input lands in a register ----------------------------
  // Completions have no back-pressure: one pipeline stage.  Read requests, writes and the
  // MAC streams pass register slices, so no input of the device reaches combinational
  // logic (timing closure, and a cheap input settle in the Verilated model).
  logic         cpl_valid_q, cpl_last_q;
  logic [511:0] cpl_data_q;
  logic [8:0]   cpl_tag_q;
  always_ff @(posedge clk) begin
    if (!rst_n) cpl_valid_q <= 1'b0;
    else        cpl_valid_q <= dma_cpl_valid;
  end
  always_ff @(posedge clk) begin
    if (dma_cpl_valid) begin
      cpl_data_q <= dma_cpl_data;
      cpl_tag_q  <= dma_cpl_tag;
      cpl_last_q <= dma_cpl_last;
    end
  end

  logic         rd_valid, rd_ready;
  logic [63:0]  rd_addr;
  logic [12:0]  rd_len;
  logic [8:0]   rd_tag;
  reg_slice #(.W(64 + 13 + 9)) u_rd_slice (
    .clk, .rst_n,
    .s_valid(rd_valid), .s_ready(rd_ready), .s_data({rd_addr, rd_len, rd_tag}),
    .m_valid(dma_rd_valid), .m_ready(dma_rd_ready), .m_data({dma_rd_addr, dma_rd_len, dma_rd_tag})
  );

  logic         wr_valid, wr_ready;
  logic [63:0]  wr_addr;
  logic [511:0] wr_data;
  logic [6:0]   wr_len;
  reg_slice #(.W(64 + 512 + 7)) u_wr_slice (
    .clk, .rst_n,
    .s_valid(wr_valid), .s_ready(wr_ready), .s_data({wr_addr, wr_data, wr_len}),
    .m_valid(dma_wr_valid), .m_ready(dma_wr_ready), .m_data({dma_wr_addr, dma_wr_data, dma_wr_len})
  );

  logic         tx_tvalid, tx_tready, tx_tlast;
  logic [511:0] tx_tdata;
  logic [63:0]  tx_tkeep;
  reg_slice #(.W(512 + 64 + 1)) u_tx_slice (
    .clk, .rst_n,
    .s_valid(tx_tvalid), .s_ready(tx_tready), .s_data({tx_tdata, tx_tkeep, tx_tlast}),
    .m_valid(m_axis_tx_tvalid), .m_ready(m_axis_tx_tready),
    .m_data({m_axis_tx_tdata, m_axis_tx_tkeep, m_axis_tx_tlast})
  );

  logic         rx_tvalid, rx_tready, rx_tlast;
  logic [511:0] rx_tdata;
  logic [63:0]  rx_tkeep;
  reg_slice #(.W(512 + 64 + 1)) u_rx_slice (
    .clk, .rst_n,
    .s_valid(s_axis_rx_tvalid), .s_ready(s_axis_rx_tready),
    .s_data({s_axis_rx_tdata, s_axis_rx_tkeep, s_axis_rx_tlast}),
    .m_valid(rx_tvalid), .m_ready(rx_tready), .m_data({rx_tdata, rx_tkeep, rx_tlast})
  );

  // ---- FDMA mailbox and the DMA port --------------------------------------------------
  logic         f_rd_valid, f_rd_ready, f_cpl_valid, f_cpl_last, f_wr_valid, f_wr_ready;
  logic [63:0]  f_rd_addr, f_wr_addr;
  logic [12:0]  f_rd_len;
  logic [511:0] f_wr_data, cpl_data;
  logic [6:0]   f_wr_len;
  logic         e_rd_valid, e_rd_ready, e_cpl_valid, e_cpl_last, e_wr_valid, e_wr_ready;
  logic [63:0]  e_rd_addr, e_wr_addr;
  logic [12:0]  e_rd_len;
  logic [7:0]   e_rd_tag, e_cpl_tag;
  logic [511:0] e_wr_data;
  logic [6:0]   e_wr_len;

  fdma u_fdma (
    .clk, .rst_n,
    .cmd_valid(fdma_cmd_valid), .cmd(fdma_cmd), .addr(fdma_addr), .len(fdma_len),
    .data_wr(fdma_data_wr), .data_idx(fdma_data_idx), .data_wdata(fdma_data_wdata),
    .busy(fdma_busy), .data(fdma_data),
    .rd_valid(f_rd_valid), .rd_ready(f_rd_ready), .rd_addr(f_rd_addr), .rd_len(f_rd_len),
    .cpl_valid(f_cpl_valid), .cpl_data(cpl_data), .cpl_last(f_cpl_last),
    .wr_valid(f_wr_valid), .wr_ready(f_wr_ready), .wr_addr(f_wr_addr), .wr_data(f_wr_data),
    .wr_len(f_wr_len)
  );

  dma_if u_dma (
    .clk, .rst_n, .master_en,
    .e_rd_valid, .e_rd_ready, .e_rd_addr, .e_rd_len, .e_rd_tag,
    .e_cpl_valid, .e_cpl_tag, .e_cpl_last,
    .f_rd_valid, .f_rd_ready, .f_rd_addr, .f_rd_len, .f_cpl_valid, .f_cpl_last,
    .cpl_data,
    .dma_rd_valid(rd_valid), .dma_rd_ready(rd_ready), .dma_rd_addr(rd_addr),
    .dma_rd_len(rd_len), .dma_rd_tag(rd_tag),
    .dma_cpl_valid(cpl_valid_q), .dma_cpl_data(cpl_data_q), .dma_cpl_tag(cpl_tag_q),
    .dma_cpl_last(cpl_last_q),
    .m_wr_valid(msg_valid), .m_wr_ready(msg_ready), .m_wr_addr(msg_addr), .m_wr_data(msg_data),
    .f_wr_valid, .f_wr_ready, .f_wr_addr, .f_wr_data, .f_wr_len,
    .e_wr_valid, .e_wr_ready, .e_wr_addr, .e_wr_data, .e_wr_len,
    .dma_wr_valid(wr_valid), .dma_wr_ready(wr_ready), .dma_wr_addr(wr_addr),
    .dma_wr_data(wr_data), .dma_wr_len(wr_len),
    .cnt_rd(cnt_dma_rd), .cnt_wr(cnt_dma_wr), .cnt_drop(cnt_dma_drop), .idle(dma_idle)
  );

  // ---- the data path ------------------------------------------------------------------
  vq_engines #(.QP(QP)) u_vq (
    .clk, .rst_n,
    .datapath_en, .rx_mrg, .ind_en, .tx_csum, .rx_csum, .hdr_hash, .ev_en, .pk, .cw_valid, .cw_addr,
    .cw_data, .rxf_ctrl_q, .rss_ctrl_q, .rx_queue_pairs, .dev_reset, .dev_idle(eng_idle),
    .db_valid, .db_queue,
    .ctx_cmd_valid, .ctx_cmd, .ctx_q, .ctx_size, .ctx_vector, .ctx_desc, .ctx_driver,
    .ctx_device, .ctx_base, .ctx_coal, .ctx_rd_q(ctx_q), .ctx_rd_state, .ctx_rd_inflight, .ctx_rd_indices,
    .qerr_valid, .qerr_queue, .qerr_reason,
    .rd_req_valid(e_rd_valid), .rd_req_ready(e_rd_ready), .rd_req_addr(e_rd_addr),
    .rd_req_len(e_rd_len), .rd_req_tag(e_rd_tag),
    .rd_cpl_valid(e_cpl_valid), .rd_cpl_data(cpl_data), .rd_cpl_tag(e_cpl_tag),
    .rd_cpl_last(e_cpl_last),
    .wr_valid(e_wr_valid), .wr_ready(e_wr_ready), .wr_addr(e_wr_addr), .wr_data(e_wr_data),
    .wr_len(e_wr_len),
    .msi_valid(eng_msi_valid), .msi_ready(eng_msi_ready), .msi_vector(eng_msi_vector),
    .m_axis_tx_tvalid(tx_tvalid), .m_axis_tx_tready(tx_tready), .m_axis_tx_tdata(tx_tdata),
    .m_axis_tx_tkeep(tx_tkeep), .m_axis_tx_tlast(tx_tlast),
    .s_axis_rx_tvalid(rx_tvalid), .s_axis_rx_tready(rx_tready), .s_axis_rx_tdata(rx_tdata),
    .s_axis_rx_tkeep(rx_tkeep), .s_axis_rx_tlast(rx_tlast),
    .cnt_tx_pkt, .cnt_tx_bytes, .cnt_rx_pkt, .cnt_rx_bytes, .cnt_rx_drop, .cnt_rx_filt,
    .cnt_rx_csum_bad
  );
endmodule
`default_nettype wire
