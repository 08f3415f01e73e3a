// vn_flash: the NOR flash behind the FW_FLASH_* registers.  Erase sets a sector to all
// ones over FLASH_ERASE_CYCLES, program ANDs a word in over FLASH_PROGRAM_CYCLES.  The
// erase clears words one after another in step with the elapsed time, so a power cut
// (`cut`, or rst_n) in the middle leaves the sector partly erased, as a real part would;
// a cut program leaves its word as it was.  Neither cut nor reset touches the array.
// The backdoor (bd_*) is the model's way to load and inspect the array in zero time.
`default_nettype none
module vn_flash
  import vionic_regs_pkg::*;
(
  input  wire logic        clk,
  input  wire logic        rst_n,
  input  wire logic        cut,     // power cut: abort the operation in progress
  input  wire logic        reg_wr,
  input  wire logic        reg_rd,
  input  wire logic [2:0]  reg_idx, // 0 ADDR 1 DATA 2 CMD 3 STATUS 4 INFO
  input  wire logic [31:0] reg_wdata,
  output logic      [31:0] reg_rdata, // combinational: valid the cycle of reg_rd
  input  wire logic        bd_we,
  input  wire logic [16:0] bd_widx,
  input  wire logic [31:0] bd_wdata,
  output logic      [31:0] bd_rdata
);
  localparam int unsigned SECTOR_WORDS = FLASH_SECTOR_BYTES / 4;
  localparam int unsigned WORDS = FLASH_SECTORS * SECTOR_WORDS;
  localparam int unsigned BYTES = FLASH_SECTORS * FLASH_SECTOR_BYTES;
  localparam int unsigned SW_LOG2 = $clog2(SECTOR_WORDS);
  localparam int unsigned CYC_W = $clog2(FLASH_ERASE_CYCLES + FLASH_PROGRAM_CYCLES + 1);
  localparam int unsigned ACC_W = $clog2(FLASH_ERASE_CYCLES + SECTOR_WORDS + 1);

  localparam logic [2:0] R_ADDR = 3'd0, R_DATA = 3'd1, R_CMD = 3'd2, R_STATUS = 3'd3,
                         R_INFO = 3'd4;

  // The erase clears at most one word a cycle (a Bresenham step of SECTOR_WORDS per
  // ERASE_CYCLES), which needs the erase to be slower than one cycle a word.
  if (SECTOR_WORDS > FLASH_ERASE_CYCLES || (1 << SW_LOG2) != SECTOR_WORDS) begin : g_bad_timing
    $error("vn_flash: FLASH_ERASE_CYCLES must be >= the words of a sector, a power of two");
  end
  if (WORDS > (1 << 17)) begin : g_bad_size
    $error("vn_flash: the backdoor index is 17 bits wide");
  end

  logic [31:0] mem [WORDS];

  logic [31:0] addr, data;
  logic        busy, error;
  logic        op_erase;          // the operation in progress: 1 erase, 0 program
  logic [16:0] op_widx;           // program: the word; erase: the next word to clear
  logic [31:0] op_data;
  logic [CYC_W-1:0] op_left;      // cycles until the operation completes
  logic [ACC_W-1:0] acc;          // erase pacing

  wire logic in_range = addr < BYTES;
  wire logic [16:0] addr_widx = addr[18:2];
  wire logic [31:0] cur_word = in_range ? mem[addr_widx] : 32'hffff_ffff;
  wire logic [SW_LOG2-1:0] unused_lo = addr[SW_LOG2+1:2];

  always_comb begin
    case (reg_idx)
      R_ADDR:   reg_rdata = addr;
      R_DATA:   reg_rdata = cur_word;
      R_STATUS: reg_rdata = {30'd0, error, busy} & (FLASH_STATUS_BUSY | FLASH_STATUS_ERROR);
      R_INFO:   reg_rdata = {16'(FLASH_SECTOR_BYTES / 1024), 16'(FLASH_SECTORS)};
      default:  reg_rdata = 32'd0;
    endcase
  end

  assign bd_rdata = 32'(bd_widx) < WORDS ? mem[bd_widx] : 32'd0;

  // the array: the backdoor, the erase steps and the program at its last cycle
  wire logic erase_step = busy && op_erase && 32'(acc) + SECTOR_WORDS >= FLASH_ERASE_CYCLES;
  wire logic program_done = busy && !op_erase && op_left == 1;
  always_ff @(posedge clk) begin
    if (bd_we && 32'(bd_widx) < WORDS)
      mem[bd_widx] <= bd_wdata;
    else if (rst_n && !cut && erase_step)
      mem[op_widx] <= 32'hffff_ffff;
    else if (rst_n && !cut && program_done)
      mem[op_widx] <= mem[op_widx] & op_data;
  end

  wire logic [31:0] cmd = reg_wdata;
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      addr <= '0;
      data <= '0;
      busy <= 1'b0;
      error <= 1'b0;
      op_erase <= 1'b0;
      op_widx <= '0;
      op_data <= '0;
      op_left <= '0;
      acc <= '0;
    end else begin
      if (busy) begin
        op_left <= op_left - 1'b1;
        if (op_left == 1)
          busy <= 1'b0;
        if (op_erase) begin
          if (erase_step) begin
            acc <= ACC_W'(32'(acc) + SECTOR_WORDS - FLASH_ERASE_CYCLES);
            op_widx <= op_widx + 1'b1;
          end else begin
            acc <= acc + ACC_W'(SECTOR_WORDS);
          end
        end
      end
      if (cut)
        busy <= 1'b0;   // the array keeps whatever the operation had done so far
      if (reg_rd && reg_idx == R_DATA)
        addr <= addr + 32'd4;
      if (reg_wr) begin
        case (reg_idx)
          R_ADDR: addr <= {reg_wdata[31:2], 2'b00};
          R_DATA: data <= reg_wdata;
          R_CMD: begin
            if (busy || (cmd != FLASH_CMD_ERASE && cmd != FLASH_CMD_PROGRAM) || !in_range) begin
              error <= 1'b1;   // ignored; an operation in progress goes on
            end else if (!cut) begin
              error <= 1'b0;
              busy <= 1'b1;
              op_data <= data;
              acc <= '0;
              if (cmd == FLASH_CMD_ERASE) begin
                op_erase <= 1'b1;
                op_widx <= {addr_widx[16:SW_LOG2], SW_LOG2'(0)};
                op_left <= CYC_W'(FLASH_ERASE_CYCLES);
              end else begin
                op_erase <= 1'b0;
                op_widx <= addr_widx;
                op_left <= CYC_W'(FLASH_PROGRAM_CYCLES);
                addr <= addr + 32'd4;
              end
            end
          end
          default: ;
        endcase
      end
    end
  end

  wire logic unused = &{1'b0, unused_lo, addr[31:19] == 0};
endmodule
`default_nettype wire
