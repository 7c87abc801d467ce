// snn_exit.v : the early-exit check (docs/arith.md "Early exit"), fed by the output layer's fire pass.
// SPDX-License-Identifier: MIT
// a = the largest new count, b = the largest among the other neurons, tracked as the fire unit
// writes the counts back (one per clock, neuron 0 first; i_clear in the clock before the first).  After step t = i_step + 1:
//   exact: exit iff a - b > T - t, i.e. a >= b + (T - t + 1);  lead: exit iff t >= M and a >= b + K.
// o_exit is valid SNN_EXIT_CLOCKS = 3 clocks after the last count: a/b registered, then b + Q,
// then the compare (each one carry chain).
`default_nettype none
`include "snn_config.vh"

module snn_exit (
    input  wire       i_clk,
    // configuration (stable while busy) and the step of the pass (stable for the pass)
    input  wire [1:0] i_mode,
    input  wire [7:0] i_lead,
    input  wire [7:0] i_min,
    input  wire [7:0] i_steps,     // T
    input  wire [7:0] i_step,      // t - 1
    // the output layer's new counts
    input  wire       i_clear,
    input  wire       i_we,
    input  wire [7:0] i_count,
    output reg        o_exit
);
    reg [7:0] a_r, b_r;
    reg [8:0] q_r, bq_r;
    reg       lead_ok_r;

    // a_r, b_r: the two largest counts so far (a tie of the largest makes b = a)
    always @(posedge i_clk)
        if (i_clear) begin
            a_r <= 8'd0;
            b_r <= 8'd0;
        end else if (i_we) begin
            if (i_count > a_r) begin
                a_r <= i_count;
                b_r <= a_r;
            end else if (i_count > b_r) begin
                b_r <= i_count;
            end
        end

    // q_r, lead_ok_r: the lead needed after this step, and t >= M (from the pass's step)
    always @(posedge i_clk) begin
        q_r       <= (i_mode == 2'(`SNN_EXIT_EXACT)) ? {1'b0, i_steps} - {1'b0, i_step} : {1'b0, i_lead};   // T - t + 1
        lead_ok_r <= (i_mode == 2'(`SNN_EXIT_EXACT)) || i_step >= i_min - 8'd1;   // M >= 1
    end

    // bq_r, o_exit: b + Q, then the compare
    always @(posedge i_clk) begin
        bq_r   <= {1'b0, b_r} + q_r;
        o_exit <= i_mode != 2'(`SNN_EXIT_OFF) && lead_ok_r && {1'b0, a_r} >= bq_r;
    end
endmodule
