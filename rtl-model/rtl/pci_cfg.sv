// pci_cfg: the function's type-0 configuration header and capability list.  Every
// read-only value comes from the register map; the few writable bits (COMMAND, BAR0,
// the PCI_CFG window fields, MSI-X enable and function mask) live here and steer the
// rest of the device.  Accesses are whole dwords with byte enables; the caller aligns.
`default_nettype none
module pci_cfg
  import vionic_regs_pkg::*;
#(
  parameter int NQ = 9,   // virtqueues the notify capability must cover (2*QP+1)
  parameter int NV = 10   // MSI-X vectors (2*QP+2)
) (
  input  wire logic        clk,
  input  wire logic        rst_n,
  input  wire logic        acc_valid,   // one-cycle strobe
  input  wire logic        acc_write,
  input  wire logic [5:0]  acc_dw,      // dword index in the 256-byte header
  input  wire logic [3:0]  acc_be,
  input  wire logic [31:0] acc_wdata,   // byte lanes as in the dword
  output logic [31:0]      acc_rdata,   // dword at acc_dw, no side effects
  output logic             mem_en,
  output logic             master_en,
  output logic             msix_enable,
  output logic             msix_maskall,
  output logic [7:0]       win_bar,     // PCI_CFG capability: the BAR access it describes
  output logic [31:0]      win_off,
  output logic [31:0]      win_len
);
  // Structure sizes follow from the field offsets of the map (the last field is 4 bytes).
  localparam int unsigned VCAP_SIZE        = VCAP_LENGTH + 4;       // virtio_pci_cap
  localparam int unsigned VCAP_NOTIFY_SIZE = VCAP_NOTIFY_MULT + 4;  // virtio_pci_notify_cap
  localparam int unsigned VCAP_PCICFG_SIZE = VCAP_PCICFG_DATA + 4;  // virtio_pci_cfg_cap
  localparam int unsigned MSIX_CAP_SIZE    = MSIX_CAP_PBA + 4;
  localparam int unsigned NOTIFY_LEN       = NQ * NOTIFY_MULT;
  localparam logic [15:0] CMD_RW   = 16'(PCI_CMD_MEM | PCI_CMD_MASTER | PCI_CMD_INTX_DISABLE);
  localparam logic [31:0] BAR0_RW  = ~(BAR0_SIZE - 1);  // low bits 0: 32-bit memory BAR
  localparam logic [15:0] MSIX_RW  = 16'(MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
  localparam logic [31:0] INTX_PIN = 32'h1 << 8;        // INTERRUPT_PIN = INTA#, next to LINE

  // ---- elaboration checks: the map's capability layout must be consistent --------------
  if (NQ < 3 || NV != NQ + 1) begin : g_bad_queues
    $error("pci_cfg: NQ must be 2*QP+1 and NV 2*QP+2");
  end
  if (((CAP_COMMON | CAP_NOTIFY | CAP_ISR | CAP_DEVICE | CAP_PCICFG | CAP_MSIX | CAP_VENDOR) & 3) != 0)
  begin : g_bad_align
    $error("pci_cfg: capabilities must be dword aligned");
  end
  if (CAP_COMMON < 'h40 || CAP_COMMON + VCAP_SIZE > CAP_NOTIFY ||
      CAP_NOTIFY + VCAP_NOTIFY_SIZE > CAP_ISR || CAP_ISR + VCAP_SIZE > CAP_DEVICE ||
      CAP_DEVICE + VCAP_SIZE > CAP_PCICFG || CAP_PCICFG + VCAP_PCICFG_SIZE > CAP_MSIX ||
      CAP_MSIX + MSIX_CAP_SIZE > CAP_VENDOR || CAP_VENDOR + VCAP_SIZE > CFG_SIZE) begin : g_bad_caps
    $error("pci_cfg: capabilities overlap or leave the header");
  end
  if ((MSIX_TABLE_BASE & MSIX_BIR_MASK) != 0 || (MSIX_PBA_BASE & MSIX_BIR_MASK) != 0 ||
      NOTIFY_LEN > NOTIFY_SIZE || NV * MSIX_ENTRY_SIZE > MSIX_TABLE_SIZE || NV > 2048 ||
      (BAR0_SIZE & (BAR0_SIZE - 1)) != 0 || BAR0_SIZE < 'h80) begin : g_bad_bar
    $error("pci_cfg: BAR0 regions too small for the queue count");
  end

  logic [15:0] command_reg;
  logic [31:0] bar0_reg;
  logic [7:0]  int_line_reg;
  logic [7:0]  win_bar_reg;
  logic [31:0] win_off_reg, win_len_reg;
  logic [15:0] msix_ctrl_reg;  // only the enable and function-mask bits are stored

  assign mem_en       = (command_reg & 16'(PCI_CMD_MEM)) != 0;
  assign master_en    = (command_reg & 16'(PCI_CMD_MASTER)) != 0;
  assign msix_enable  = (msix_ctrl_reg & 16'(MSIX_CTRL_ENABLE)) != 0;
  assign msix_maskall = (msix_ctrl_reg & 16'(MSIX_CTRL_MASKALL)) != 0;
  assign win_bar      = win_bar_reg;
  assign win_off      = win_off_reg;
  assign win_len      = win_len_reg;

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] wd,
                                        input logic [3:0] be, input logic [31:0] rw);
    logic [31:0] m;
    for (int i = 0; i < 4; i++) m[8*i +: 8] = be[i] ? wd[8*i +: 8] : old[8*i +: 8];
    return (m & rw) | (old & ~rw);
  endfunction

  // first dword of a capability: id, next, length, and the virtio cfg_type
  function automatic logic [31:0] cap_hdr(input int unsigned id, input int unsigned next,
                                          input int unsigned len, input int unsigned cfg_type);
    return (32'(id) << (8 * VCAP_VNDR)) | (32'(next) << (8 * VCAP_NEXT)) |
           (32'(len) << (8 * VCAP_LEN)) | (32'(cfg_type) << (8 * VCAP_CFG_TYPE));
  endfunction

  localparam int unsigned BAR_SHIFT = 8 * (VCAP_BAR - 4);  // bar and id share the 2nd dword
  function automatic logic [5:0] dw(input int unsigned byte_off);
    return 6'(byte_off >> 2);
  endfunction

  logic [15:0] status_word;
  assign status_word = 16'(PCI_STATUS_CAPLIST);

  // decoded only for an access: the model evaluates combinational logic every cycle
  always_comb begin
    acc_rdata = '0;
    if (acc_valid) begin
      // type-0 header
      if (acc_dw == dw(CFG_VENDOR_ID))   acc_rdata = {16'(PCI_DEVICE_ID), 16'(PCI_VENDOR_ID)};
      if (acc_dw == dw(CFG_COMMAND))     acc_rdata = {status_word, command_reg};
      if (acc_dw == dw(CFG_REVISION_CLASS)) acc_rdata = {24'(PCI_CLASS_CODE), 8'(PCI_REVISION)};
      if (acc_dw == dw(CFG_BAR0))        acc_rdata = bar0_reg;
      if (acc_dw == dw(CFG_SUBSYS_VENDOR_ID)) acc_rdata = {16'(PCI_SUBSYS_ID), 16'(PCI_SUBSYS_VENDOR_ID)};
      if (acc_dw == dw(CFG_CAP_PTR))     acc_rdata = 32'(CAP_COMMON);
      if (acc_dw == dw(CFG_INTERRUPT_LINE)) acc_rdata = INTX_PIN | 32'(int_line_reg);
      // virtio capabilities, in list order
      if (acc_dw == dw(CAP_COMMON))      acc_rdata = cap_hdr(PCI_CAP_ID_VNDR, CAP_NOTIFY, VCAP_SIZE, VIRTIO_PCI_CAP_COMMON_CFG);
      if (acc_dw == dw(CAP_COMMON + VCAP_OFFSET)) acc_rdata = COMMON_BASE;
      if (acc_dw == dw(CAP_COMMON + VCAP_LENGTH)) acc_rdata = COMMON_LEN;
      if (acc_dw == dw(CAP_NOTIFY))      acc_rdata = cap_hdr(PCI_CAP_ID_VNDR, CAP_ISR, VCAP_NOTIFY_SIZE, VIRTIO_PCI_CAP_NOTIFY_CFG);
      if (acc_dw == dw(CAP_NOTIFY + VCAP_OFFSET)) acc_rdata = NOTIFY_BASE;
      if (acc_dw == dw(CAP_NOTIFY + VCAP_LENGTH)) acc_rdata = NOTIFY_LEN;
      if (acc_dw == dw(CAP_NOTIFY + VCAP_NOTIFY_MULT)) acc_rdata = NOTIFY_MULT;
      if (acc_dw == dw(CAP_ISR))         acc_rdata = cap_hdr(PCI_CAP_ID_VNDR, CAP_DEVICE, VCAP_SIZE, VIRTIO_PCI_CAP_ISR_CFG);
      if (acc_dw == dw(CAP_ISR + VCAP_OFFSET)) acc_rdata = ISR_BASE;
      if (acc_dw == dw(CAP_ISR + VCAP_LENGTH)) acc_rdata = ISR_SIZE;
      if (acc_dw == dw(CAP_DEVICE))      acc_rdata = cap_hdr(PCI_CAP_ID_VNDR, CAP_PCICFG, VCAP_SIZE, VIRTIO_PCI_CAP_DEVICE_CFG);
      if (acc_dw == dw(CAP_DEVICE + VCAP_OFFSET)) acc_rdata = DEVICE_BASE;
      if (acc_dw == dw(CAP_DEVICE + VCAP_LENGTH)) acc_rdata = DEVICE_LEN;
      if (acc_dw == dw(CAP_PCICFG))      acc_rdata = cap_hdr(PCI_CAP_ID_VNDR, CAP_MSIX, VCAP_PCICFG_SIZE, VIRTIO_PCI_CAP_PCI_CFG);
      if (acc_dw == dw(CAP_PCICFG + 4))  acc_rdata = 32'(win_bar_reg) << BAR_SHIFT;
      if (acc_dw == dw(CAP_PCICFG + VCAP_OFFSET)) acc_rdata = win_off_reg;
      if (acc_dw == dw(CAP_PCICFG + VCAP_LENGTH)) acc_rdata = win_len_reg;
      // pci_cfg_data is served by tgt_port (it is a BAR access); reading it here gives 0
      if (acc_dw == dw(CAP_MSIX))        acc_rdata = ((32'(msix_ctrl_reg) | ((NV - 1) & MSIX_CTRL_TSIZE_MASK))
                                                      << (8 * MSIX_CAP_CTRL)) |
                                                     (32'(CAP_VENDOR) << (8 * VCAP_NEXT)) | PCI_CAP_ID_MSIX;
      if (acc_dw == dw(CAP_MSIX + MSIX_CAP_TABLE)) acc_rdata = MSIX_TABLE_BASE;  // BIR 0
      if (acc_dw == dw(CAP_MSIX + MSIX_CAP_PBA))   acc_rdata = MSIX_PBA_BASE;    // BIR 0
      if (acc_dw == dw(CAP_VENDOR))      acc_rdata = cap_hdr(PCI_CAP_ID_VNDR, 0, VCAP_SIZE, VIRTIO_PCI_CAP_VENDOR_CFG);
      if (acc_dw == dw(CAP_VENDOR + VCAP_OFFSET)) acc_rdata = VENDOR_BASE;
      if (acc_dw == dw(CAP_VENDOR + VCAP_LENGTH)) acc_rdata = VENDOR_SIZE;
    end
  end

  logic wr;
  assign wr = acc_valid && acc_write;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      command_reg   <= '0;
      bar0_reg      <= '0;
      int_line_reg  <= '0;
      win_bar_reg   <= '0;
      win_off_reg   <= '0;
      win_len_reg   <= '0;
      msix_ctrl_reg <= '0;
    end else if (wr) begin
      if (acc_dw == dw(CFG_COMMAND))
        command_reg <= 16'(merge({16'h0, command_reg}, acc_wdata, acc_be, {16'h0, CMD_RW}));
      if (acc_dw == dw(CFG_BAR0))
        bar0_reg <= merge(bar0_reg, acc_wdata, acc_be, BAR0_RW);
      if (acc_dw == dw(CFG_INTERRUPT_LINE))
        int_line_reg <= 8'(merge({24'h0, int_line_reg}, acc_wdata, acc_be, 32'hff));
      if (acc_dw == dw(CAP_PCICFG + 4))
        win_bar_reg <= 8'(merge(32'(win_bar_reg) << BAR_SHIFT, acc_wdata, acc_be,
                                   32'hff << BAR_SHIFT) >> BAR_SHIFT);
      if (acc_dw == dw(CAP_PCICFG + VCAP_OFFSET))
        win_off_reg <= merge(win_off_reg, acc_wdata, acc_be, '1);
      if (acc_dw == dw(CAP_PCICFG + VCAP_LENGTH))
        win_len_reg <= merge(win_len_reg, acc_wdata, acc_be, '1);
      if (acc_dw == dw(CAP_MSIX))
        msix_ctrl_reg <= 16'(merge(32'(msix_ctrl_reg) << (8 * MSIX_CAP_CTRL), acc_wdata, acc_be,
                                   32'(MSIX_RW) << (8 * MSIX_CAP_CTRL)) >> (8 * MSIX_CAP_CTRL));
    end
  end

endmodule
`default_nettype wire
