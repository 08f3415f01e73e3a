// vq_rdmux: the engines' side of the tagged DMA read port.  Clients present one request
// each (valid held until ready); a round-robin grant moves it into the output register
// with a free tag.  The tag table remembers who asked, for which queue, and the client's
// cookie, so completions (which may come back in any order, beats of different tags
// interleaved) are routed by tag with the beat's index inside its read.  Per-queue
// issued/completed counters (two RAMs, one writer each) give the reads in flight per
// queue that the drain step of a queue reset waits on.
`default_nettype none
module vq_rdmux #(
  parameter int NC   = 5,     // clients
  parameter int NQ   = 8,     // queues (global virtqueue index)
  parameter int CKW  = 40,    // client cookie bits
  parameter int NTAG = 256    // tags the host accepts at once (<= 256)
) (
  input  wire logic                     clk,
  input  wire logic                     rst_n,
  input  wire logic [NC-1:0]            c_valid,
  output logic      [NC-1:0]            c_ready,
  input  wire logic [NC-1:0][63:0]      c_addr,
  input  wire logic [NC-1:0][12:0]      c_len,
  input  wire logic [NC-1:0][15:0]      c_q,
  input  wire logic [NC-1:0][CKW-1:0]   c_cookie,
  // host port (through dma_if)
  output logic              rd_req_valid,
  input  wire logic         rd_req_ready,
  output logic [63:0]       rd_req_addr,
  output logic [12:0]       rd_req_len,
  output logic [7:0]        rd_req_tag,
  input  wire logic         rd_cpl_valid,
  input  wire logic [511:0] rd_cpl_data,
  input  wire logic [7:0]   rd_cpl_tag,
  input  wire logic         rd_cpl_last,
  // completions, routed
  output logic [NC-1:0]     cpl_valid,
  output logic [CKW-1:0]    cpl_cookie,
  output logic [6:0]        cpl_beat,
  output logic [511:0]      cpl_data,
  output logic              cpl_last,
  // reads in flight for queue iq_q[i]
  input  wire logic [2:0][15:0] iq_q,
  output logic      [2:0][15:0] iq_cnt,
  output logic              idle     // no read outstanding or waiting in the output register
);
  localparam int CW = (NC > 1) ? $clog2(NC) : 1;
  localparam int QW = (NQ > 1) ? $clog2(NQ) : 1;
  if (NTAG < 2 || NTAG > 256 || (NTAG & (NTAG - 1)) != 0) begin : g_bad_ntag
    $error("vq_rdmux: NTAG must be a power of two in 2..256");
  end

  // ---- tag table ----------------------------------------------------------------------
  logic [CW-1:0]  t_client [NTAG];
  logic [QW-1:0]  t_q      [NTAG];
  logic [CKW-1:0] t_cookie [NTAG];
  logic [6:0]     t_beat   [NTAG];

  logic [15:0] issued [NQ];
  logic [15:0] done   [NQ];
  logic [8:0]  outstanding;   // tags handed out and not yet returned
  // after reset the counter RAMs are zeroed one queue a cycle; nothing is granted meanwhile
  logic          init;
  logic [QW-1:0] init_q;

  // free tags: never-used ones from a counter first, then recycled ones
  logic [8:0] fresh;
  logic       fr_empty, fr_push, fr_pop;
  logic [7:0] fr_head;
  logic [$clog2(NTAG):0] unused_fr_count;
  logic       unused_fr_full;
  vq_fifo #(.W(8), .DEPTH(NTAG)) u_free (
    .clk, .rst_n, .push(fr_push), .din(rd_cpl_tag), .pop(fr_pop), .dout(fr_head),
    .empty(fr_empty), .full(unused_fr_full), .count(unused_fr_count));

  logic tag_avail;
  logic [7:0] new_tag;
  assign tag_avail = (fresh < 9'(NTAG)) || !fr_empty;
  assign new_tag   = (fresh < 9'(NTAG)) ? fresh[7:0] : fr_head;

  // ---- round-robin grant into the output register ------------------------------------
  logic [CW-1:0] rr, g;
  logic          gv, load;
  always_comb begin
    gv = 1'b0;
    g  = '0;
    for (int i = 0; i < NC; i++) begin
      logic [CW:0] c;
      c = (CW+1)'(rr) + (CW+1)'(i);
      if (c >= (CW+1)'(NC)) c = c - (CW+1)'(NC);
      if (!gv && c_valid[c[CW-1:0]]) begin
        gv = 1'b1;
        g  = c[CW-1:0];
      end
    end
  end
  assign load = !init && gv && tag_avail && (!rd_req_valid || rd_req_ready);
  always_comb begin
    c_ready = '0;
    if (load) c_ready[g] = 1'b1;
  end
  assign fr_pop = load && !(fresh < 9'(NTAG));

  // ---- completions --------------------------------------------------------------------
  logic [CW-1:0] cc;
  assign cc         = t_client[rd_cpl_tag];
  assign cpl_cookie = t_cookie[rd_cpl_tag];
  assign cpl_beat   = t_beat[rd_cpl_tag];
  assign cpl_data   = rd_cpl_data;
  assign cpl_last   = rd_cpl_last;
  always_comb begin
    cpl_valid = '0;
    if (rd_cpl_valid) cpl_valid[cc] = 1'b1;
  end
  assign fr_push = rd_cpl_valid && rd_cpl_last;

  for (genvar i = 0; i < 3; i++) begin : g_iq
    assign iq_cnt[i] = (iq_q[i] < 16'(NQ)) ? issued[iq_q[i][QW-1:0]] - done[iq_q[i][QW-1:0]] : '0;
  end
  assign idle = outstanding == '0 && !rd_req_valid && !init;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      rd_req_valid <= 1'b0;
      rd_req_addr  <= '0;
      rd_req_len   <= '0;
      rd_req_tag   <= '0;
      rr           <= '0;
      fresh        <= '0;
      outstanding  <= '0;
      init         <= 1'b1;
      init_q       <= '0;
    end else begin
      if (init) begin
        issued[init_q] <= '0;
        done[init_q]   <= '0;
        init_q <= init_q + 1'b1;
        if (int'(init_q) == NQ - 1) init <= 1'b0;
      end
      if (rd_req_valid && rd_req_ready) rd_req_valid <= 1'b0;
      if (load) begin
        rd_req_valid <= 1'b1;
        rd_req_addr  <= c_addr[g];
        rd_req_len   <= c_len[g];
        rd_req_tag   <= new_tag;
        t_client[new_tag] <= g;
        t_q[new_tag]      <= c_q[g][QW-1:0];
        t_cookie[new_tag] <= c_cookie[g];
        t_beat[new_tag]   <= '0;
        issued[c_q[g][QW-1:0]] <= issued[c_q[g][QW-1:0]] + 1'b1;
        rr <= (int'(g) == NC - 1) ? '0 : g + 1'b1;
        if (fresh < 9'(NTAG)) fresh <= fresh + 1'b1;
      end
      if (rd_cpl_valid) begin
        // a tag is never reused before its last beat, so this cannot meet the load above
        t_beat[rd_cpl_tag] <= t_beat[rd_cpl_tag] + 1'b1;
        if (rd_cpl_last) done[t_q[rd_cpl_tag]] <= done[t_q[rd_cpl_tag]] + 1'b1;
      end
      outstanding <= outstanding + 9'(load) - 9'(rd_cpl_valid && rd_cpl_last);
    end
  end
endmodule
`default_nettype wire
