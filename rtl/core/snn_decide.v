// snn_decide.v : the decision over the output layer, one neuron per clock (docs/arith.md "Decision").
// SPDX-License-Identifier: MIT
// class = argmax count; ties -> larger final membrane; remaining ties -> lower index.  A neuron's
// key {count, V with its sign bit flipped} is an unsigned 24-bit number: the neuron in stage 2 is
// compared with the best so far and committed in the same clock when it is the first or its key
// is larger (a tie keeps the lower index).  The best key is stored inverted, so the compare is the
// carry out of key + ~best, one carry chain from flip-flops to the enables.  o_class is final the
// clock after the last neuron's stage 2.  o_we/o_j/o_count copy the count into the result buffer.
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
    reg  [15:0] v2_r;        // V of the stage-2 neuron, its sign bit flipped
    reg  [23:0] nbest_r;     // ~key of the best neuron so far
    wire [24:0] gt = {1'b0, o_count, v2_r} + {1'b0, nbest_r};   // bit 24: key > best
    wire        take = o_we && (o_j == 8'd0 || gt[24]);

    // o_we, o_j, o_count, v2_r: the neuron in stage 2
    always @(posedge i_clk) begin
        o_we    <= i_v;
        o_j     <= i_j;
        o_count <= i_count;
        v2_r    <= {~i_v_final[15], i_v_final[14:0]};
    end

    // nbest_r, o_class: the key and index of the best neuron so far
    always @(posedge i_clk)
        if (take) begin
            nbest_r <= ~{o_count, v2_r};
            o_class <= o_j;
        end
endmodule
