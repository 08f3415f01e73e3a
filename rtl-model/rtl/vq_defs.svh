// vq_defs.svh: encodings shared by the virtqueue engine submodules, included inside each
// module that needs them (a file found through the module search path, unlike a
// package).  Not part of the register map: nothing outside rtl-model/rtl/vq_* sees them.

/* verilator lint_off UNUSEDPARAM */
// what the chain walker says about a chain it retires
localparam logic [2:0] CH_OK      = 3'd0;  // every descriptor read, within the limits
localparam logic [2:0] CH_TOOLONG = 3'd1;  // more descriptors than the engine keeps
localparam logic [2:0] CH_STALE   = 3'd2;  // the queue was reset: drop without a trace
localparam logic [2:0] CH_NOBUF   = 3'd3;  // RX: no chain was available for the frame
localparam logic [2:0] CH_ERR     = 3'd4;  // driver error (reason beside it)
// how a job enters the walker
localparam logic [1:0] JOB_WALK   = 2'd0;
localparam logic [1:0] JOB_NOBUF  = 2'd1;
localparam logic [1:0] JOB_STALE  = 2'd2;
/* verilator lint_on UNUSEDPARAM */
