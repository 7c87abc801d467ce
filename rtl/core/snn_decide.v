// snn_decide.v : the decision over the output layer, one neuron per clock (docs/arith.md "Decision").
// SPDX-License-Identifier: MIT
// class = argmax count; ties -> larger final membrane; remaining ties -> lower index.
// Even and odd neurons each keep their own best, so a neuron is compared in one clock (stage 2:
// the compares alone, registered) and committed in the next (stage 3) before the next neuron of
// its parity is compared: no compare feeds back into itself within a clock.  The two bests are compared once per clock
// (stage 4) and the winner registered (stage 5): o_class is final 3 clocks after the last
// neuron's stage 2.  o_we/o_j/o_count copy the count into the result buffer.
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
    reg               p_we_r, p_first_r;   // stage 3: the neuron of last clock, the first of its parity
    reg        [1:0]  p_gtc_r, p_eqc_r, p_gtv_r;  // its count >, count ==, V > the best of parity q
    reg        [7:0]  p_j_r, p_count_r;
    reg signed [15:0] p_v_r;
    reg        [7:0]  best_j_r     [0:1];  // best even / odd neuron so far
    reg        [7:0]  best_count_r [0:1];
    reg signed [15:0] best_v_r     [0:1];
    reg               odd_seen_r;          // an odd neuron has been committed in this pass
    reg               odd_wins_r, f_odd_r; // stage 4: the odd best beats the even one

    // p_gtc_r, p_eqc_r, p_gtv_r: the stage-2 neuron against the best of parity q
    genvar q;
    generate
        for (q = 0; q < 2; q = q + 1) begin : g_cmp
            always @(posedge i_clk) begin
                p_gtc_r[q] <= o_count > best_count_r[q];
                p_eqc_r[q] <= o_count == best_count_r[q];
                p_gtv_r[q] <= v2_r > best_v_r[q];
            end
        end
    endgenerate
    // take: the stage-3 neuron is its parity's best so far (by count, then by V)
    wire par  = p_j_r[0];
    wire take = p_we_r && (p_first_r || p_gtc_r[par] || (p_eqc_r[par] && p_gtv_r[par]));

    // o_we, o_j, o_count, v2_r: the neuron in stage 2
    always @(posedge i_clk) begin
        o_we    <= i_v;
        o_j     <= i_j;
        o_count <= i_count;
        v2_r    <= i_v_final;
    end

    // p_*: stage 3; best_*: the neuron committed if it is the first of its parity or beats its
    // parity's best (a tie keeps the lower index)
    always @(posedge i_clk) begin
        p_we_r    <= o_we;
        p_first_r <= o_j[7:1] == 7'd0;
        p_j_r     <= o_j;
        p_count_r <= o_count;
        p_v_r     <= v2_r;
        if (take) begin
            best_j_r[par]     <= p_j_r;
            best_count_r[par] <= p_count_r;
            best_v_r[par]     <= p_v_r;
        end
        if (p_we_r && p_j_r == 8'd0)
            odd_seen_r <= 1'b0;
        else if (p_we_r && p_j_r == 8'd1)
            odd_seen_r <= 1'b1;
    end

    // odd_wins_r, o_class: the better of the two bests (equal keys: the lower index)
    always @(posedge i_clk) begin
        f_odd_r    <= odd_seen_r;
        odd_wins_r <= (best_count_r[1] > best_count_r[0]) ||
                      (best_count_r[1] == best_count_r[0] &&
                       (best_v_r[1] > best_v_r[0] || (best_v_r[1] == best_v_r[0] && best_j_r[1] < best_j_r[0])));
        o_class    <= (f_odd_r && odd_wins_r) ? best_j_r[1] : best_j_r[0];
    end
endmodule
