// qn_infer_seq.v : keeps INFER requests in order: one image waiting in the pixel buffer, one in
// the core, one result being sent.  The next image starts once the last result has been read.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_infer_seq (
    // clock and reset
    input  wire       i_clk,
    input  wire       i_rst,          // power-up or RESET command
    // from the command engine
    input  wire       i_accept,       // pulse: pixels + seed of request i_seq are in the buffer
    input  wire [7:0] i_seq,
    // the core
    output reg        o_start,
    input  wire       i_core_busy,
    input  wire       i_core_done,
    // the transmitter
    output wire       o_res_valid,    // a result is readable: send it
    output wire [7:0] o_res_seq,
    input  wire       i_res_read,     // pulse: the result region has been read out
    // status
    output wire       o_full,         // the pixel buffer holds an image not yet started
    output wire       o_busy          // anything in flight
);
    reg       pend_r, run_r, res_r;
    // run_r and res_r are never both set (a start waits for the result to be read), so the
    // running image's seq and the result's share run_seq_r
    reg [7:0] pend_seq_r, run_seq_r;
    assign o_res_valid = res_r;
    assign o_res_seq   = run_seq_r;
    assign o_full      = pend_r;
    assign o_busy      = pend_r || run_r || res_r || i_core_busy;

    // pend_r -> run_r -> res_r: a request moves on when the stage after it is free
    always @(posedge i_clk) begin
        o_start <= 1'b0;
        if (i_rst) begin
            pend_r <= 1'b0;
            run_r  <= 1'b0;
            res_r  <= 1'b0;
        end else begin
            if (i_accept) begin
                pend_r     <= 1'b1;
                pend_seq_r <= i_seq;
            end
            if (pend_r && !run_r && !res_r && !i_core_busy && !o_start) begin
                o_start   <= 1'b1;
                pend_r    <= 1'b0;
                run_r     <= 1'b1;
                run_seq_r <= pend_seq_r;
            end
            if (run_r && i_core_done) begin
                run_r     <= 1'b0;
                res_r     <= 1'b1;
            end
            if (i_res_read) res_r <= 1'b0;
        end
    end
endmodule
