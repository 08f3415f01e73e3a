// tgt_port: the PCIe completer.  Takes one request at a time, sends config accesses to
// pci_cfg and BAR0 accesses to bar_regs (which may hold them), turns accesses to the
// PCI_CFG capability's pci_cfg_data into the BAR access the capability describes, and
// answers every request (writes too) with a one-cycle response.
`default_nettype none
module tgt_port
  import vionic_regs_pkg::*;
(
  input  wire logic        clk,
  input  wire logic        rst_n,
  // completer
  input  wire logic        tgt_req_valid,
  output logic             tgt_req_ready,
  input  wire logic        tgt_req_cfg,
  input  wire logic        tgt_req_write,
  input  wire logic [2:0]  tgt_req_bar,
  input  wire logic [31:0] tgt_req_addr,
  input  wire logic [2:0]  tgt_req_size,
  input  wire logic [31:0] tgt_req_wdata,
  output logic             tgt_rsp_valid,
  output logic [31:0]      tgt_rsp_rdata,
  // config space
  output logic             cfg_valid,
  output logic             cfg_write,
  output logic [5:0]       cfg_dw,
  output logic [3:0]       cfg_be,
  output logic [31:0]      cfg_wdata,
  input  wire logic [31:0] cfg_rdata,
  input  wire logic        mem_en,
  input  wire logic [7:0]  win_bar,
  input  wire logic [31:0] win_off,
  input  wire logic [31:0] win_len,
  // BAR0
  output logic             bar_valid,
  output logic             bar_write,
  output logic [14:0]      bar_addr,
  output logic [2:0]       bar_size,
  output logic [31:0]      bar_wdata,
  input  wire logic        bar_done,
  input  wire logic [31:0] bar_rdata
);
  localparam int unsigned WIN_DATA = CAP_PCICFG + VCAP_PCICFG_DATA;
  if ((WIN_DATA & 3) != 0 || BAR0_SIZE > 'h8000) begin : g_bad_win
    $error("tgt_port: pci_cfg_data must be a dword and BAR0 at most 32 KiB");
  end

  typedef enum logic [1:0] { S_IDLE, S_DEC, S_BAR } state_e;
  state_e      state;
  logic        r_cfg, r_write, r_win;
  logic [2:0]  r_bar, r_size;
  logic [31:0] r_addr, r_wdata;
  logic [14:0] b_addr;
  logic [2:0]  b_size;
  logic [31:0] b_wdata;

  function automatic logic [31:0] size_mask(input logic [2:0] s);
    return s == 3'd1 ? 32'hff : s == 3'd2 ? 32'hffff : 32'hffff_ffff;
  endfunction

  logic [1:0]  lane;
  logic [31:0] smask;
  assign lane  = r_addr[1:0];
  assign smask = size_mask(r_size);

  // decode of the held request
  logic is_win, win_ok, bar_ok;
  assign is_win = r_cfg && r_addr[31:2] == 30'(WIN_DATA >> 2);
  assign win_ok = win_bar == 8'd0 && (win_len == 1 || win_len == 2 || win_len == 4) &&
                  (win_off & (win_len - 1)) == 0 && win_off < BAR0_SIZE;
  assign bar_ok = !r_cfg && r_bar == 3'd0 && mem_en && r_addr < BAR0_SIZE;

  assign tgt_req_ready = state == S_IDLE;

  assign cfg_valid = state == S_DEC && r_cfg && !is_win && r_addr < CFG_SIZE;
  assign cfg_write = r_write;
  assign cfg_dw    = r_addr[7:2];
  assign cfg_be    = (r_size == 3'd1 ? 4'h1 : r_size == 3'd2 ? 4'h3 : 4'hf) << lane;
  assign cfg_wdata = (r_wdata & smask) << (8 * lane);

  assign bar_valid = state == S_BAR;
  assign bar_write = r_write;
  assign bar_addr  = b_addr;
  assign bar_size  = b_size;
  assign bar_wdata = b_wdata;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state         <= S_IDLE;
      tgt_rsp_valid <= 1'b0;
      tgt_rsp_rdata <= '0;
      r_cfg <= 1'b0; r_write <= 1'b0; r_win <= 1'b0; r_bar <= '0; r_size <= '0;
      r_addr <= '0; r_wdata <= '0; b_addr <= '0; b_size <= '0; b_wdata <= '0;
    end else begin
      tgt_rsp_valid <= 1'b0;
      case (state)
        S_IDLE:
          if (tgt_req_valid) begin
            r_cfg   <= tgt_req_cfg;
            r_write <= tgt_req_write;
            r_bar   <= tgt_req_bar;
            r_addr  <= tgt_req_addr;
            r_size  <= tgt_req_size;
            r_wdata <= tgt_req_wdata;
            state   <= S_DEC;
          end
        S_DEC: begin
          r_win <= is_win;
          if (is_win && win_ok) begin
            // the window's data field is the BAR access: byte 0 of pci_cfg_data is the
            // first byte accessed
            b_addr  <= win_off[14:0];
            b_size  <= win_len[2:0];
            b_wdata <= (r_wdata & smask) << (8 * lane);
            state   <= S_BAR;
          end else if (bar_ok) begin
            b_addr  <= r_addr[14:0];
            b_size  <= r_size;
            b_wdata <= r_wdata;
            state   <= S_BAR;
          end else begin
            // config header, extended config (reads 0), or nothing behind it (all-ones)
            tgt_rsp_valid <= 1'b1;
            if (!r_cfg || is_win)          tgt_rsp_rdata <= smask;
            else if (r_addr < CFG_SIZE)    tgt_rsp_rdata <= (cfg_rdata >> (8 * lane)) & smask;
            else                           tgt_rsp_rdata <= '0;
            state <= S_IDLE;
          end
        end
        S_BAR:
          if (bar_done) begin
            tgt_rsp_valid <= 1'b1;
            tgt_rsp_rdata <= r_win ? (bar_rdata >> (8 * lane)) & smask : bar_rdata;
            state <= S_IDLE;
          end
        default: state <= S_IDLE;
      endcase
    end
  end
endmodule
`default_nettype wire
