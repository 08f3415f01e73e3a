// reg_slice: a full-throughput register slice (two-entry skid buffer) for a valid/ready
// stream.  Both sides see only registers: m_ready reaches nothing but flops, s_ready is
// a flop.  At the device boundary this keeps the outside world's inputs out of the
// combinational logic, which is also what lets the Verilated model settle its inputs
// cheaply every cycle.
`default_nettype none
module reg_slice #(
  parameter int W = 8  // payload bits
) (
  input  wire logic         clk,
  input  wire logic         rst_n,
  input  wire logic         s_valid,
  output logic              s_ready,
  input  wire logic [W-1:0] s_data,
  output logic              m_valid,
  input  wire logic         m_ready,
  output logic [W-1:0]      m_data
);
  if (W < 1) begin : g_bad_w
    $error("reg_slice: W must be at least 1");
  end

  logic         main_valid, skid_valid;
  logic [W-1:0] main_data, skid_data;

  assign s_ready = !skid_valid;
  assign m_valid = main_valid;
  assign m_data  = main_data;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      main_valid <= 1'b0;
      skid_valid <= 1'b0;
    end else if (m_ready || !main_valid) begin
      // the output register is free this edge: refill it, from the skid entry first
      if (skid_valid) begin
        main_valid <= 1'b1;
        skid_valid <= 1'b0;
      end else begin
        main_valid <= s_valid;
      end
    end else if (s_valid && !skid_valid) begin
      skid_valid <= 1'b1;
    end
  end

  always_ff @(posedge clk) begin
    if (m_ready || !main_valid) begin
      if (skid_valid) main_data <= skid_data;
      else if (s_valid) main_data <= s_data;
    end else if (s_valid && !skid_valid) begin
      skid_data <= s_data;
    end
  end
endmodule
`default_nettype wire
