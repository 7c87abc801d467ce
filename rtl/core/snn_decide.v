// snn_decide.v : the decision over the output layer, one neuron per clock (docs/arith.md "Decision").
// SPDX-License-Identifier: MIT
// class = argmax count; ties -> larger final membrane; remaining ties -> lower index.
// Stage 1 inputs, stage 2 compare; o_we/o_j/o_count copy the count into the result buffer.
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
    reg        [7:0]  best_count_r;   // the best neuron's count and final membrane
    reg signed [15:0] best_v_r;
    // better: order by count, then by V (two compares side by side, not one 24-bit chain)
    wire better = (o_count > best_count_r) || (o_count == best_count_r && v2_r > best_v_r);

    // o_we, o_j, o_count, v2_r: the neuron in stage 2
    always @(posedge i_clk) begin
        o_we    <= i_v;
        o_j     <= i_j;
        o_count <= i_count;
        v2_r    <= i_v_final;
    end

    // o_class, best_count_r, best_v_r: the best neuron so far (neuron 0 starts the search; a tie
    // keeps the lower index)
    always @(posedge i_clk)
        if (o_we && (o_j == 8'd0 || better)) begin
            o_class      <= o_j;
            best_count_r <= o_count;
            best_v_r     <= v2_r;
        end
endmodule
