// snn_decide.v : the decision over the output layer, one neuron per clock (docs/arith.md "Decision").
// SPDX-License-Identifier: MIT
// class = argmax count; ties -> larger final membrane; remaining ties -> lower index.  The neuron
// in stage 2 is compared with the best so far and committed in the same clock when it is the
// first or beats it (a tie keeps the lower index).  The best count and V (its sign bit flipped:
// an unsigned compare) are stored inverted, so "count > best" and "V > best" are the carries out
// of count + ~best and V + ~best: two carry chains side by side, from flip-flops to the enables.
// o_class is final the clock after the last neuron's stage 2.  o_we/o_j/o_count copy the count
// into the result buffer.
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
    reg         first_r;     // the stage-2 neuron is neuron 0
    reg  [7:0]  nbc_r;       // ~count of the best neuron so far
    reg  [15:0] nbv_r;       // ~V (sign flipped) of the best neuron so far
    wire [8:0]  gtc = {1'b0, o_count} + {1'b0, nbc_r};   // bit 8: count > best
    wire [16:0] gtv = {1'b0, v2_r} + {1'b0, nbv_r};      // bit 16: V > best
    wire        eqc = (o_count ^ nbc_r) == 8'hFF;
    wire        take = o_we && (first_r || gtc[8] || (eqc && gtv[16]));

    // o_we, o_j, o_count, v2_r, first_r: the neuron in stage 2
    always @(posedge i_clk) begin
        o_we    <= i_v;
        o_j     <= i_j;
        o_count <= i_count;
        v2_r    <= {~i_v_final[15], i_v_final[14:0]};
        first_r <= i_j == 8'd0;
    end

    // nbc_r, nbv_r, o_class: the best neuron so far
    always @(posedge i_clk)
        if (take) begin
            nbc_r   <= ~o_count;
            nbv_r   <= ~v2_r;
            o_class <= o_j;
        end
endmodule
