// vn_rv32_core: a small multi-cycle RV32IM + Zicsr core, machine mode only, for the
// firmware.  One shared bus with one access in flight: FETCH reads the instruction, EXEC
// decodes and executes it in one cycle (multiply included), then MEM for loads and stores
// or DIV (a 32-step restoring divider) when needed.  CPI is 2 plus bus wait states, 3 for
// loads and stores, 35 for divides.  No interrupts; every exception goes to mtvec (direct).
`default_nettype none
module vn_rv32_core #(parameter logic [31:0] RESET_PC = 32'h0) (
  input  wire logic        clk,
  input  wire logic        rst_n,
  output logic             bus_req,
  output logic             bus_we,
  output logic [31:0]      bus_addr,
  output logic [31:0]      bus_wdata,
  output logic [3:0]       bus_wstrb,
  output logic             bus_fetch,
  input  wire logic        bus_ack,
  input  wire logic [31:0] bus_rdata,
  input  wire logic        bus_err,
  output logic             trap_illegal,
  output logic [31:0]      dbg_pc,
  output logic [63:0]      dbg_instret
);
  typedef enum logic [1:0] {S_FETCH, S_EXEC, S_MEM, S_DIV} state_t;

  localparam logic [6:0] OP_LUI = 7'b0110111, OP_AUIPC = 7'b0010111, OP_JAL = 7'b1101111,
                         OP_JALR = 7'b1100111, OP_BRANCH = 7'b1100011, OP_LOAD = 7'b0000011,
                         OP_STORE = 7'b0100011, OP_IMM = 7'b0010011, OP_REG = 7'b0110011,
                         OP_FENCE = 7'b0001111, OP_SYSTEM = 7'b1110011;
  // misa: MXL=32, I and M
  localparam logic [31:0] MISA = 32'h4000_1100;

  state_t      state;
  logic [31:0] pc, ir;
  logic [31:0] rf [32];
  logic [63:0] mcycle, minstret;
  logic        mie, mpie;
  logic [31:0] mtvec, mscratch, mepc, mcause, mtval;
  logic [31:0] m_addr, m_wdata;        // the data access in flight
  logic [3:0]  m_wstrb;
  logic        m_we;
  logic [31:0] d_quo, d_dvs;           // divider: quotient/dividend shift register, divisor
  logic [31:0] d_rem;
  logic [5:0]  d_cnt;
  logic        d_negq, d_negr, d_isrem;

  // ---- decode -------------------------------------------------------------------------
  logic [6:0]  opc, f7;
  logic [2:0]  f3;
  logic [4:0]  rd, rs1, rs2;
  logic [31:0] rs1v, rs2v, imm_i, imm_s, imm_b, imm_u, imm_j;
  assign opc = ir[6:0];
  assign rd  = ir[11:7];
  assign f3  = ir[14:12];
  assign rs1 = ir[19:15];
  assign rs2 = ir[24:20];
  assign f7  = ir[31:25];
  assign rs1v = rs1 == 5'd0 ? 32'd0 : rf[rs1];
  assign rs2v = rs2 == 5'd0 ? 32'd0 : rf[rs2];
  assign imm_i = {{20{ir[31]}}, ir[31:20]};
  assign imm_s = {{20{ir[31]}}, ir[31:25], ir[11:7]};
  assign imm_b = {{20{ir[31]}}, ir[7], ir[30:25], ir[11:8], 1'b0};
  assign imm_u = {ir[31:12], 12'd0};
  assign imm_j = {{12{ir[31]}}, ir[19:12], ir[20], ir[30:21], 1'b0};

  // ---- ALU (OP and OP-IMM) ------------------------------------------------------------
  logic [31:0] alu_b, alu_r;
  logic [4:0]  shamt;
  assign alu_b = opc == OP_REG ? rs2v : imm_i;
  assign shamt = alu_b[4:0];
  always_comb begin
    unique case (f3)
      3'd0: alu_r = (opc == OP_REG && f7[5]) ? rs1v - alu_b : rs1v + alu_b;
      3'd1: alu_r = rs1v << shamt;
      3'd2: alu_r = {31'd0, $signed(rs1v) < $signed(alu_b)};
      3'd3: alu_r = {31'd0, rs1v < alu_b};
      3'd4: alu_r = rs1v ^ alu_b;
      3'd5: alu_r = f7[5] ? 32'($signed(rs1v) >>> shamt) : rs1v >> shamt;
      3'd6: alu_r = rs1v | alu_b;
      default: alu_r = rs1v & alu_b;
    endcase
  end

  // multiply: operands sign- or zero-extended to 64 bits, so the low 64 bits of the
  // product are right for every signedness combination
  logic        mul_sa, mul_sb;
  logic [63:0] mul_p;
  assign mul_sa = f3 == 3'd1 || f3 == 3'd2;      // mulh, mulhsu
  assign mul_sb = f3 == 3'd1;                    // mulh
  assign mul_p  = {{32{mul_sa & rs1v[31]}}, rs1v} * {{32{mul_sb & rs2v[31]}}, rs2v};

  // ---- branches -----------------------------------------------------------------------
  logic br_take;
  always_comb begin
    unique case (f3)
      3'd0: br_take = rs1v == rs2v;
      3'd1: br_take = rs1v != rs2v;
      3'd4: br_take = $signed(rs1v) < $signed(rs2v);
      3'd5: br_take = $signed(rs1v) >= $signed(rs2v);
      3'd6: br_take = rs1v < rs2v;
      default: br_take = rs1v >= rs2v;
    endcase
  end

  // ---- CSRs ---------------------------------------------------------------------------
  logic [11:0] csr_a;
  logic [31:0] csr_rv, csr_src, csr_wv;
  logic        csr_ok, csr_wr;
  assign csr_a   = ir[31:20];
  assign csr_src = f3[2] ? {27'd0, rs1} : rs1v;
  // csrrs/csrrc with x0 / uimm 0 do not write, so they may read read-only CSRs
  assign csr_wr  = f3[1:0] == 2'b01 || rs1 != 5'd0;
  always_comb begin
    csr_ok = 1'b1;
    unique case (csr_a)
      12'h300: csr_rv = {19'd0, 2'b11, 3'd0, mpie, 3'd0, mie, 3'd0};   // MPP reads M
      12'h301: csr_rv = MISA;
      12'h305: csr_rv = mtvec;
      12'h340: csr_rv = mscratch;
      12'h341: csr_rv = mepc;
      12'h342: csr_rv = mcause;
      12'h343: csr_rv = mtval;
      12'hB00, 12'hC00: csr_rv = mcycle[31:0];
      12'hB80, 12'hC80: csr_rv = mcycle[63:32];
      12'hB02, 12'hC02: csr_rv = minstret[31:0];
      12'hB82, 12'hC82: csr_rv = minstret[63:32];
      12'hF11, 12'hF12, 12'hF13, 12'hF14: csr_rv = 32'd0;   // vendor, arch, impl, hart
      default: begin csr_rv = 32'd0; csr_ok = 1'b0; end
    endcase
    unique case (f3[1:0])
      2'b01:   csr_wv = csr_src;
      2'b10:   csr_wv = csr_rv | csr_src;
      default: csr_wv = csr_rv & ~csr_src;
    endcase
  end

  // ---- execute: what the instruction in ir does --------------------------------------
  logic [31:0] ex_addr, ex_tgt, ex_wb, ex_cause, ex_tval;
  logic        ex_jump, ex_wr, ex_trap, ex_ill, ex_mem, ex_div, ex_csr, ex_mret, ex_misal;
  always_comb begin
    ex_addr = rs1v + (opc == OP_STORE ? imm_s : imm_i);
    ex_tgt  = pc + (opc == OP_JAL ? imm_j : imm_b);
    ex_jump = 1'b0; ex_wr = 1'b0; ex_ill = 1'b0; ex_mem = 1'b0; ex_div = 1'b0;
    ex_csr = 1'b0; ex_mret = 1'b0; ex_misal = 1'b0;
    ex_wb = alu_r;
    ex_cause = 32'd0; ex_tval = 32'd0;
    unique case (opc)
      OP_LUI:   begin ex_wr = 1'b1; ex_wb = imm_u; end
      OP_AUIPC: begin ex_wr = 1'b1; ex_wb = pc + imm_u; end
      OP_JAL:   begin ex_wr = 1'b1; ex_wb = pc + 32'd4; ex_jump = 1'b1; end
      OP_JALR:  begin
        ex_wr = 1'b1; ex_wb = pc + 32'd4; ex_jump = 1'b1; ex_ill = f3 != 3'd0;
        ex_tgt = {ex_addr[31:1], 1'b0};
      end
      OP_BRANCH: begin ex_jump = br_take; ex_ill = f3[2:1] == 2'b01; end
      OP_LOAD: begin
        ex_mem = 1'b1;
        ex_ill = f3 == 3'd3 || f3[2:1] == 2'b11;
        ex_misal = (f3[1:0] == 2'd1 && ex_addr[0]) || (f3[1:0] == 2'd2 && ex_addr[1:0] != 2'd0);
        ex_cause = 32'd4;
      end
      OP_STORE: begin
        ex_mem = 1'b1;
        ex_ill = f3[2] || f3[1:0] == 2'd3;
        ex_misal = (f3[1:0] == 2'd1 && ex_addr[0]) || (f3[1:0] == 2'd2 && ex_addr[1:0] != 2'd0);
        ex_cause = 32'd6;
      end
      OP_IMM: begin
        ex_wr = 1'b1;
        ex_ill = (f3 == 3'd1 && f7 != 7'd0) || (f3 == 3'd5 && {f7[6], f7[4:0]} != 6'd0);
      end
      OP_REG: begin
        ex_wr = 1'b1;
        if (f7 == 7'b0000001) begin
          if (f3[2]) begin ex_wr = 1'b0; ex_div = 1'b1; end
          else ex_wb = f3 == 3'd0 ? mul_p[31:0] : mul_p[63:32];
        end else begin
          ex_ill = !(f7 == 7'd0 || (f7 == 7'b0100000 && (f3 == 3'd0 || f3 == 3'd5)));
        end
      end
      OP_FENCE: ex_ill = f3[2:1] != 2'b00;
      OP_SYSTEM: begin
        if (f3 == 3'd0) begin
          unique case (ir)
            32'h0000_0073: ex_cause = 32'd11;                                  // ecall
            32'h0010_0073: begin ex_cause = 32'd3; ex_tval = pc; end           // ebreak
            32'h3020_0073: ex_mret = 1'b1;
            32'h1050_0073: ;                                                   // wfi: nop
            default: ex_ill = 1'b1;
          endcase
        end else begin
          ex_csr = 1'b1; ex_wr = 1'b1; ex_wb = csr_rv;
          ex_ill = f3 == 3'd4 || !csr_ok || (csr_wr && csr_a[11:10] == 2'b11);
        end
      end
      default: ex_ill = 1'b1;
    endcase
    if (ir[1:0] != 2'b11) ex_ill = 1'b1;
    ex_trap = 1'b0;
    if (ex_ill) begin
      ex_trap = 1'b1; ex_cause = 32'd2; ex_tval = ir;
    end else if (ex_misal) begin
      ex_trap = 1'b1; ex_tval = ex_addr;
    end else if (ex_jump && ex_tgt[1]) begin
      ex_trap = 1'b1; ex_cause = 32'd0; ex_tval = ex_tgt;
    end else if (opc == OP_SYSTEM && f3 == 3'd0 && (ex_cause == 32'd11 || ex_cause == 32'd3)) begin
      ex_trap = 1'b1;
    end
  end

  // ---- loads: extract and extend the addressed bytes ---------------------------------
  logic [31:0] ld_sh, ld_v;
  assign ld_sh = bus_rdata >> {m_addr[1:0], 3'b000};
  always_comb begin
    unique case (f3)
      3'd0: ld_v = {{24{ld_sh[7]}}, ld_sh[7:0]};
      3'd1: ld_v = {{16{ld_sh[15]}}, ld_sh[15:0]};
      3'd4: ld_v = {24'd0, ld_sh[7:0]};
      3'd5: ld_v = {16'd0, ld_sh[15:0]};
      default: ld_v = ld_sh;
    endcase
  end

  // divider: one restoring step per cycle on magnitudes; sign fixed at the end
  logic [32:0] d_trial;
  logic [31:0] d_q, d_r, d_a, d_b;
  assign d_trial = {d_rem, d_quo[31]} - {1'b0, d_dvs};
  // divide by zero: quotient all ones whatever the signs; remainder the dividend
  assign d_q = d_negq ? -d_quo : d_quo;
  assign d_r = d_negr ? -d_rem : d_rem;
  assign d_a = (!f3[0] && rs1v[31]) ? -rs1v : rs1v;
  assign d_b = (!f3[0] && rs2v[31]) ? -rs2v : rs2v;

  // ---- traps from any state -----------------------------------------------------------
  logic        tr_take;
  logic [31:0] tr_cause, tr_val;
  always_comb begin
    tr_take = 1'b0; tr_cause = ex_cause; tr_val = ex_tval;
    unique case (state)
      S_FETCH: if (bus_ack && bus_err) begin tr_take = 1'b1; tr_cause = 32'd1; tr_val = pc; end
      S_EXEC:  tr_take = ex_trap;
      S_MEM:   if (bus_ack && bus_err) begin
        tr_take = 1'b1; tr_cause = m_we ? 32'd7 : 32'd5; tr_val = m_addr;
      end
      default: ;
    endcase
  end

  assign bus_req      = state == S_FETCH || state == S_MEM;
  assign bus_fetch    = state == S_FETCH;
  assign bus_we       = state == S_MEM && m_we;
  assign bus_addr     = state == S_MEM ? m_addr : pc;
  assign bus_wdata    = m_wdata;
  assign bus_wstrb    = state == S_MEM && m_we ? m_wstrb : 4'd0;
  assign trap_illegal = state == S_EXEC && ex_ill;
  assign dbg_pc       = pc;
  assign dbg_instret  = minstret;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      state <= S_FETCH;
      pc <= RESET_PC;
      ir <= 32'd0;
      mcycle <= 64'd0; minstret <= 64'd0;
      mie <= 1'b0; mpie <= 1'b0;
      mtvec <= 32'd0; mscratch <= 32'd0; mepc <= 32'd0; mcause <= 32'd0; mtval <= 32'd0;
      m_addr <= 32'd0; m_wdata <= 32'd0; m_wstrb <= 4'd0; m_we <= 1'b0;
      d_quo <= 32'd0; d_dvs <= 32'd0; d_rem <= 32'd0; d_cnt <= 6'd0;
      d_negq <= 1'b0; d_negr <= 1'b0; d_isrem <= 1'b0;
    end else begin
      mcycle <= mcycle + 64'd1;
      if (tr_take) begin
        mepc <= pc; mcause <= tr_cause; mtval <= tr_val;
        mpie <= mie; mie <= 1'b0;
        pc <= {mtvec[31:2], 2'b00};
        state <= S_FETCH;
      end else begin
        unique case (state)
          S_FETCH: if (bus_ack) begin ir <= bus_rdata; state <= S_EXEC; end
          S_EXEC: begin
            state <= S_FETCH;
            if (ex_wr && rd != 5'd0) rf[rd] <= ex_wb;
            pc <= ex_jump ? ex_tgt : pc + 32'd4;
            if (!ex_mem && !ex_div) minstret <= minstret + 64'd1;
            if (ex_mret) begin pc <= mepc; mie <= mpie; mpie <= 1'b1; end
            if (ex_mem) begin
              state <= S_MEM;
              pc <= pc;
              m_addr <= ex_addr;
              m_we <= opc == OP_STORE;
              m_wdata <= f3[1:0] == 2'd0 ? {4{rs2v[7:0]}} :
                         f3[1:0] == 2'd1 ? {2{rs2v[15:0]}} : rs2v;
              m_wstrb <= (f3[1:0] == 2'd0 ? 4'b0001 : f3[1:0] == 2'd1 ? 4'b0011 : 4'b1111)
                         << ex_addr[1:0];
            end
            if (ex_div) begin
              state <= S_DIV;
              pc <= pc;
              d_quo <= d_a; d_dvs <= d_b; d_rem <= 32'd0; d_cnt <= 6'd32;
              d_isrem <= f3[1];
              d_negq <= !f3[0] && (rs1v[31] ^ rs2v[31]) && rs2v != 32'd0;
              d_negr <= !f3[0] && rs1v[31];
            end
            if (ex_csr && csr_wr) begin
              unique case (csr_a)
                12'h300: begin mie <= csr_wv[3]; mpie <= csr_wv[7]; end
                12'h305: mtvec <= {csr_wv[31:2], 2'b00};
                12'h340: mscratch <= csr_wv;
                12'h341: mepc <= {csr_wv[31:2], 2'b00};
                12'h342: mcause <= csr_wv;
                12'h343: mtval <= csr_wv;
                12'hB00: mcycle[31:0] <= csr_wv;
                12'hB80: mcycle[63:32] <= csr_wv;
                12'hB02: minstret[31:0] <= csr_wv;
                12'hB82: minstret[63:32] <= csr_wv;
                default: ;   // misa: WARL, writes ignored
              endcase
            end
          end
          S_MEM: if (bus_ack) begin
            if (!m_we && rd != 5'd0) rf[rd] <= ld_v;
            pc <= pc + 32'd4;
            minstret <= minstret + 64'd1;
            state <= S_FETCH;
          end
          default: begin   // S_DIV
            if (d_cnt != 6'd0) begin
              d_cnt <= d_cnt - 6'd1;
              d_quo <= {d_quo[30:0], !d_trial[32]};
              d_rem <= d_trial[32] ? {d_rem[30:0], d_quo[31]} : d_trial[31:0];
            end else begin
              if (rd != 5'd0) rf[rd] <= d_isrem ? d_r : d_q;
              pc <= pc + 32'd4;
              minstret <= minstret + 64'd1;
              state <= S_FETCH;
            end
          end
        endcase
      end
    end
  end
endmodule
`default_nettype wire
