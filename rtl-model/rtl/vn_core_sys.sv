// vn_core_sys: the embedded RV32IM core with its memories.  Boot ROM at CORE_ROM_BASE (the
// reset vector), IMEM and DMEM, the FW CSR window at CORE_CSR_BASE (a master on the
// firmware bus: the same registers host mode reaches through vn_model_fw_read/write), a
// read-only window over the flash array at CORE_FLASH_BASE and its controller registers
// at CORE_FLASH_CTRL.  Anything else answers bus_err.
//
// Memories answer in the cycle of the request (the core runs at CPI 2); a CSR read takes
// one more cycle because the firmware bus registers its read data.  Each CSR access is
// issued exactly once on the firmware bus, since reads there have side effects (FLASH_DATA
// advances the address, CYCLE_LO latches CYCLE_HI).
//
// The arrays are public to the C++ wrapper: it loads the ROM and IMEM in zero time.
// core_rst resets only the core: the memories keep their contents and the ROM runs again.
`default_nettype none
module vn_core_sys
  import vionic_regs_pkg::*;
(
  input  wire logic        clk,
  input  wire logic        rst_n,
  input  wire logic        core_rst,      // the core alone, synchronous, active high
  // firmware bus master (CSR window)
  output logic             fw_valid,
  output logic             fw_write,
  output logic [11:0]      fw_addr,
  output logic [31:0]      fw_wdata,
  input  wire logic [31:0] fw_rdata,      // registered: valid the cycle after the read
  // flash array, read port (word index, combinational); fl_hold: busy this cycle
  input  wire logic        fl_hold,
  output logic [16:0]      fl_widx,
  input  wire logic [31:0] fl_rdata,
  // status for the model
  output logic [31:0]      dbg_pc,
  output logic [63:0]      dbg_instret,
  output logic             evt_seen       // the firmware has read EVT_INFO since core reset
);
  localparam int unsigned ROM_WORDS  = CORE_ROM_SIZE / 4;
  localparam int unsigned IMEM_WORDS = CORE_IMEM_SIZE / 4;
  localparam int unsigned DMEM_WORDS = CORE_DMEM_SIZE / 4;
  localparam int unsigned FLASH_BYTES = FLASH_SECTORS * FLASH_SECTOR_BYTES;
  localparam int unsigned FLREG_BYTES = FW_FLASH_INFO + 4 - FW_FLASH_ADDR;
  localparam int RW = $clog2(ROM_WORDS);
  localparam int IW = $clog2(IMEM_WORDS);
  localparam int DW = $clog2(DMEM_WORDS);

  if ((1 << RW) != ROM_WORDS || (1 << IW) != IMEM_WORDS || (1 << DW) != DMEM_WORDS ||
      CORE_ROM_BASE % CORE_ROM_SIZE != 0 || CORE_IMEM_BASE % CORE_IMEM_SIZE != 0 ||
      CORE_DMEM_BASE % CORE_DMEM_SIZE != 0 || FW_SIZE > 'h1000 ||
      FLASH_BYTES > (1 << 19)) begin : g_bad_map
    $error("vn_core_sys: memories must be powers of two, aligned to their size; CSR window <= 4 KiB");
  end

  logic [31:0] rom  [ROM_WORDS]  /*verilator public_flat_rw*/;
  logic [31:0] imem [IMEM_WORDS] /*verilator public_flat_rw*/;
  logic [31:0] dmem [DMEM_WORDS] /*verilator public_flat_rw*/;

  logic        req, we, fetch, ack, err;
  logic [31:0] addr, wdata, rdata;
  logic [3:0]  wstrb;
  logic        trap_illegal;

  logic rst_core_n;
  assign rst_core_n = rst_n && !core_rst;

  vn_rv32_core #(.RESET_PC(CORE_ROM_BASE)) u_cpu (
    .clk, .rst_n(rst_core_n),
    .bus_req(req), .bus_we(we), .bus_addr(addr), .bus_wdata(wdata), .bus_wstrb(wstrb),
    .bus_fetch(fetch), .bus_ack(ack), .bus_rdata(rdata), .bus_err(err),
    .trap_illegal, .dbg_pc, .dbg_instret
  );

  function automatic logic in_win(input logic [31:0] a, input int unsigned base, input int unsigned len);
    return a - base < len;  // base <= a < base + len, without a comparison that may be constant
  endfunction

  logic s_rom, s_imem, s_dmem, s_csr, s_flash, s_flreg;
  assign s_rom   = in_win(addr, CORE_ROM_BASE, CORE_ROM_SIZE);
  assign s_imem  = in_win(addr, CORE_IMEM_BASE, CORE_IMEM_SIZE);
  assign s_dmem  = in_win(addr, CORE_DMEM_BASE, CORE_DMEM_SIZE);
  assign s_csr   = in_win(addr, CORE_CSR_BASE, FW_SIZE);
  assign s_flash = in_win(addr, CORE_FLASH_BASE, FLASH_BYTES);
  assign s_flreg = in_win(addr, CORE_FLASH_CTRL, FLREG_BYTES);

  logic [RW-1:0] ri;
  logic [IW-1:0] ii;
  logic [DW-1:0] di;
  assign ri = addr[RW+1:2];
  assign ii = addr[IW+1:2];
  assign di = addr[DW+1:2];

  // the CSR window and the flash controller registers are full words on the firmware bus
  logic        reg_acc, reg_ok, csr_pend;
  logic [31:0] reg_off;
  assign reg_acc = req && !fetch && (s_csr || s_flreg);
  assign reg_off = s_csr ? addr - CORE_CSR_BASE : addr - CORE_FLASH_CTRL + FW_FLASH_ADDR;
  assign reg_ok  = addr[1:0] == 2'd0 && (!we || wstrb == 4'hf);

  assign fw_valid = reg_acc && reg_ok && !csr_pend;
  assign fw_write = we;
  assign fw_addr  = reg_off[11:0];
  assign fw_wdata = wdata;

  assign fl_widx = 17'((addr - CORE_FLASH_BASE) >> 2);

  always_comb begin
    ack = 1'b0;
    err = 1'b0;
    rdata = 32'd0;
    if (req) begin
      ack = 1'b1;
      if (fetch && !(s_rom || s_imem)) begin
        err = 1'b1;                              // code runs from ROM and IMEM only
      end else if (s_rom) begin
        err = we;                                // read-only
        rdata = rom[ri];
      end else if (s_imem) begin
        rdata = imem[ii];
      end else if (s_dmem) begin
        rdata = dmem[di];
      end else if (s_flash) begin
        err = we;
        ack = we || !fl_hold;
        rdata = fl_rdata;
      end else if (reg_acc) begin
        err = !reg_ok;
        ack = we || !reg_ok || csr_pend;         // a read answers the cycle after
        rdata = fw_rdata;
      end else begin
        err = 1'b1;
      end
    end
  end

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] wd,
                                        input logic [3:0] m);
    logic [31:0] r;
    for (int i = 0; i < 4; i++) r[8*i +: 8] = m[i] ? wd[8*i +: 8] : old[8*i +: 8];
    return r;
  endfunction

  always_ff @(posedge clk) begin
    if (req && we && !fetch) begin
      if (s_imem) imem[ii] <= merge(imem[ii], wdata, wstrb);
      if (s_dmem) dmem[di] <= merge(dmem[di], wdata, wstrb);
    end
  end

  always_ff @(posedge clk) begin
    if (!rst_core_n) begin
      csr_pend <= 1'b0;
      evt_seen <= 1'b0;
    end else begin
      csr_pend <= fw_valid && !we;
      if (fw_valid && !we && 32'(fw_addr) == FW_EVT_INFO) evt_seen <= 1'b1;
    end
  end

  wire logic unused = &{1'b0, trap_illegal, reg_off[31:12]};
endmodule
`default_nettype wire
