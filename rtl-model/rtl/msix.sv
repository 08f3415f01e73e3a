// msix: MSI-X table, pending bits and message generation.  Every interrupt request only
// sets the vector's pending bit; a scanner sends the lowest pending vector that is not
// masked as a 4-byte posted write.  So a masked vector stays pending (visible in the PBA)
// and goes out when unmasked, and requests are never refused (msi_ready is constant).
`default_nettype none
module msix
  import vionic_regs_pkg::*;
#(
  parameter int NV = 10  // vectors (2*QP+2)
) (
  input  wire logic        clk,
  input  wire logic        rst_n,
  input  wire logic        msix_enable,
  input  wire logic        msix_maskall,
  input  wire logic        master_en,
  // table / PBA access from bar_regs (dword index inside the region)
  input  wire logic        tbl_wr,
  input  wire logic [9:0]  tbl_dw,
  input  wire logic [3:0]  tbl_be,
  input  wire logic [31:0] tbl_wdata,
  output logic [31:0]      tbl_rdata,
  output logic [31:0]      pba_rdata,
  // interrupt requests
  input  wire logic        eng_valid,
  output logic             eng_ready,
  input  wire logic [15:0] eng_vector,
  input  wire logic        fw_valid,    // MSI_SEND
  input  wire logic [15:0] fw_vector,
  input  wire logic        cfg_valid,   // CFG_IRQ
  input  wire logic [15:0] cfg_vector,  // CC_CONFIG_MSIX_VECTOR
  // message: a 4-byte posted write
  output logic             msg_valid,
  input  wire logic        msg_ready,
  output logic [63:0]      msg_addr,
  output logic [31:0]      msg_data
);
  localparam int VW     = $clog2(NV);
  localparam int PBA_W  = ((NV + 63) / 64) * 64;
  localparam int WORDS  = MSIX_ENTRY_SIZE / 4;  // addr lo, addr hi, data, vector control
  localparam logic [1:0] F_ADDR_LO = 2'(MSIX_ENT_ADDR_LO / 4);
  localparam logic [1:0] F_ADDR_HI = 2'(MSIX_ENT_ADDR_HI / 4);
  localparam logic [1:0] F_DATA    = 2'(MSIX_ENT_DATA / 4);
  localparam logic [1:0] F_CTRL    = 2'(MSIX_ENT_CTRL / 4);
  if (NV < 2 || NV > 256 || NV * MSIX_ENTRY_SIZE > MSIX_TABLE_SIZE || WORDS != 4) begin : g_bad_nv
    $error("msix: NV must be 2..256, fit the table region, and an entry be 4 dwords");
  end

  logic [31:0] addr_lo [NV];
  logic [31:0] addr_hi [NV];
  logic [31:0] data    [NV];
  logic [NV-1:0] masked;   // vector control bit 0
  logic [NV-1:0] pending;

  // table port
  logic [7:0]  ent;
  logic [1:0]  fld;
  logic        ent_ok;
  assign ent    = tbl_dw[9:2];
  assign fld    = tbl_dw[1:0];
  assign ent_ok = 32'(ent) < NV;

  function automatic logic [31:0] merge(input logic [31:0] old, input logic [31:0] wd,
                                        input logic [3:0] m);
    logic [31:0] r;
    for (int i = 0; i < 4; i++) r[8*i +: 8] = m[i] ? wd[8*i +: 8] : old[8*i +: 8];
    return r;
  endfunction

  always_comb begin
    tbl_rdata = '0;
    if (ent_ok) begin
      if (fld == F_ADDR_LO) tbl_rdata = addr_lo[ent[VW-1:0]];
      if (fld == F_ADDR_HI) tbl_rdata = addr_hi[ent[VW-1:0]];
      if (fld == F_DATA)    tbl_rdata = data[ent[VW-1:0]];
      if (fld == F_CTRL)    tbl_rdata = masked[ent[VW-1:0]] ? MSIX_ENT_CTRL_MASK : 32'h0;
    end
  end

  logic [PBA_W-1:0] pba_flat;
  assign pba_flat  = PBA_W'(pending);
  assign pba_rdata = 32'(tbl_dw) < PBA_W / 32 ? pba_flat[32*tbl_dw[$clog2(PBA_W/32+1)-1:0] +: 32] : 32'h0;

  // requests: valid vector, MSI-X on and bus master set, else nothing happens
  logic on;
  assign on = msix_enable && master_en;
  assign eng_ready = 1'b1;

  logic [NV-1:0] set_bits;
  always_comb begin
    set_bits = '0;
    if (on) begin
      if (eng_valid && 32'(eng_vector) < NV) set_bits[eng_vector[VW-1:0]] = 1'b1;
      if (fw_valid && 32'(fw_vector) < NV)   set_bits[fw_vector[VW-1:0]] = 1'b1;
      if (cfg_valid && 32'(cfg_vector) < NV) set_bits[cfg_vector[VW-1:0]] = 1'b1;
    end
  end

  // scanner: lowest pending vector that may be sent
  logic [NV-1:0] sendable;
  logic          pick_any;
  logic [VW-1:0] pick;
  assign sendable = (on && !msix_maskall) ? (pending & ~masked) : '0;
  // the model evaluates this every cycle: skip the scan while nothing is pending
  always_comb begin
    pick_any = 1'b0;
    pick     = '0;
    if (sendable != '0) begin
      for (int v = NV - 1; v >= 0; v--) begin
        if (sendable[v]) begin
          pick_any = 1'b1;
          pick     = VW'(v);
        end
      end
    end
  end

  logic load;
  assign load = pick_any && (!msg_valid || msg_ready);

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      masked    <= '1;  // PCIe: every vector masked after reset
      pending   <= '0;
      msg_valid <= 1'b0;
    end else begin
      if (tbl_wr && ent_ok && fld == F_CTRL)
        masked[ent[VW-1:0]] <= (merge(masked[ent[VW-1:0]] ? MSIX_ENT_CTRL_MASK : 32'h0, tbl_wdata, tbl_be)
                                & MSIX_ENT_CTRL_MASK) != 0;
      pending <= (pending & ~(load ? (NV'(1) << pick) : '0)) | set_bits;
      if (load) msg_valid <= 1'b1;
      else if (msg_ready) msg_valid <= 1'b0;
    end
  end

  always_ff @(posedge clk) begin
    if (tbl_wr && ent_ok) begin
      if (fld == F_ADDR_LO) addr_lo[ent[VW-1:0]] <= merge(addr_lo[ent[VW-1:0]], tbl_wdata, tbl_be);
      if (fld == F_ADDR_HI) addr_hi[ent[VW-1:0]] <= merge(addr_hi[ent[VW-1:0]], tbl_wdata, tbl_be);
      if (fld == F_DATA)    data[ent[VW-1:0]]    <= merge(data[ent[VW-1:0]], tbl_wdata, tbl_be);
    end
    if (load) begin
      msg_addr <= {addr_hi[pick], addr_lo[pick]};
      msg_data <= data[pick];
    end
  end
endmodule
`default_nettype wire
