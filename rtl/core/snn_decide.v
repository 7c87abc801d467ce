// snn_decide.v : the decision over the output layer, one neuron per clock (docs/arith.md "Decision").
// SPDX-License-Identifier: MIT
// class = argmax count; ties -> larger final membrane; remaining ties -> lower index.
// Stage 1 inputs, stage 2 compare, stage 3 commit; o_we/o_j/o_count copy the count into the
// result buffer.  No compare feeds back into itself within a clock: neuron j is compared with
// neuron j-1 and with the best of neurons 0..j-2 side by side, and the flag of neuron j-1
// (whether it beat the best before it) picks the answer.  o_class is final 2 clocks after the
// last neuron's stage 2.
`default_nettype none

module snn_decide (
    input  wire        i_clk,
    input  wire        i_v,
    input  wire [7:0]  i_j,
    input  wire [7:0]  i_count,
    input  wire [15:0] i_v_final,
    output reg         o_we,
    output reg  [7:0]  o_j,
    output reg  [7:0]  o_count,
    output reg  [7:0]  o_class
);
    reg signed [15:0] v2_r;
    reg               p_we_r, p_better_r;   // neuron j-1 (stage 3) and whether it beat 0..j-2
    reg        [7:0]  p_j_r, p_count_r;
    reg signed [15:0] p_v_r;
    reg        [7:0]  best_count_r;         // the best of the committed neurons (0..j-2)
    reg signed [15:0] best_v_r;

    // order by count, then by V
    wire beats_prev = (o_count > p_count_r) || (o_count == p_count_r && v2_r > p_v_r);
    wire beats_best = (o_count > best_count_r) || (o_count == best_count_r && v2_r > best_v_r);
    wire better     = (o_j == 8'd0) || (p_better_r ? beats_prev : beats_best);

    // o_we, o_j, o_count, v2_r: the neuron in stage 2
    always @(posedge i_clk) begin
        o_we    <= i_v;
        o_j     <= i_j;
        o_count <= i_count;
        v2_r    <= i_v_final;
    end

    // p_*: stage 3; best_*, o_class: neuron j-1 committed if it beat the best before it (neuron
    // 0 always does; a tie keeps the lower index)
    always @(posedge i_clk) begin
        p_we_r     <= o_we;
        p_better_r <= o_we && better;
        p_j_r      <= o_j;
        p_count_r  <= o_count;
        p_v_r      <= v2_r;
        if (p_we_r && p_better_r) begin
            o_class      <= p_j_r;
            best_count_r <= p_count_r;
            best_v_r     <= p_v_r;
        end
    end
endmodule
