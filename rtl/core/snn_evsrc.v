// snn_evsrc.v : event source: walks a spike bitmap and issues one op per (input spike, lane group).
// SPDX-License-Identifier: MIT
// The bitmap (one byte per 8 inputs) sits in a synchronous RAM read through o_raddr.  Schedule,
// independent of where the spikes are (the cycle model relies on it): every word costs one
// look cycle, then each set bit (lowest first) costs i_groups_m1 + 1 = max(G, spacing) issue
// cycles; the pass ends with o_last high in its final cycle.  i_start is the cycle before the
// first look.  Issue cycles beyond the G groups are bubbles (o_op low), so two ops on one lane
// word are at least the spacing apart (snn_lane.v).
// Issue cycle outputs: o_addr = SPRAM word of (row idx, group) = i_wbase + idx * G + group;
// o_bword = the bitmap word of idx, o_lb = idx % 8 one-hot (the MAC pass reads its pixel).
`default_nettype none
`include "snn_config.vh"

module snn_evsrc (
    input  wire        i_clk,
    input  wire        i_rst,
    // pass parameters: i_words, i_groups, i_wbase valid from i_start on, the others from the cycle after
    input  wire        i_start,
    input  wire [8:0]  i_words,     // W bitmap words (W = 0 still looks at one)
    input  wire [7:0]  i_groups_m1, // max(G, spacing) - 1 (issue cycles per event - 1)
    input  wire [13:0] i_wbase,     // SPRAM word of row 0
    input  wire [7:0]  i_groups,    // G: SPRAM words per row
    input  wire [7:0]  i_mb,        // first lane word of the layer
    // bitmap RAM
    output wire [6:0]  o_raddr,
    input  wire [7:0]  i_rdata,
    input  wire        i_rdata_any, // i_rdata != 0, stored with the word (keeps the OR off the control path)
    // issued op
    output wire        o_op,
    output wire [13:0] o_addr,
    output wire [7:0]  o_word,      // lane word of the issued group: i_mb + group
    output wire [6:0]  o_bword,
    output reg  [7:0]  o_lb,
    output wire        o_last
);
    reg        run_r, look_r;
    reg [6:0]  w_r;                                 // bitmap word looked at or issued
    reg [8:0]  wrem_r;                              // bitmap words left after this one
    reg [7:0]  bits_r, g_r, word_r;                 // word_r = i_mb + g_r (registered: a lane read address)
    reg [13:0] wrow_r;                              // SPRAM word of the word's row 0 (after word 0)
    reg        first_r;                             // word 0: its rows start at i_wbase
    reg [9:0]  g3_r, g5_r, g7_r;                    // 3G, 5G, 7G
    reg [9:0]  off_r;                               // b * G + g: the issued word relative to the row base
    reg [7:0]  gm1_r;                               // G - 1
    reg        opv_r;                               // g_r < G: this issue cycle is an op
    reg        gend_r;                              // g_r == i_groups_m1: the event's last issue cycle
    reg        bz_r;                                // bits_r == 0, a clock late (see below)
    reg        lastw_r;                             // wrem_r <= 1: the word is the pass's last
    generate
        if (`SNN_EVT_SPACING < 2) begin : g_bad_spacing
            // bz_r is read at an event's last issue cycle, at least 2 clocks after bits_r changed
            snn_evsrc_SNN_EVT_SPACING_must_be_at_least_2 bad ();
        end
    endgenerate

    wire [7:0]  d = look_r ? i_rdata : bits_r;
    // lb: the lowest set bit of d, one-hot; off: its row offset b * G, an AND-OR over the
    // multiples of G (the look clock's path from the bitmap RAM stays a few LUTs deep: no
    // encoder, no adder; 3G, 5G and 7G are registered for the pass, the rest are shifts)
    wire [7:0]  lb = d & ~{d[6:0] | {d[5:0], 1'b0} | {d[4:0], 2'b0} | {d[3:0], 3'b0} |
                           {d[2:0], 4'b0} | {d[1:0], 5'b0} | {d[0], 6'b0}, 1'b0};
    wire [9:0]  g1 = {2'd0, i_groups};
    wire [9:0]  off = ({10{lb[1]}} & g1)                | ({10{lb[2]}} & {g1[8:0], 1'b0}) |
                      ({10{lb[3]}} & g3_r)              | ({10{lb[4]}} & {g1[7:0], 2'b0}) |
                      ({10{lb[5]}} & g5_r)              | ({10{lb[6]}} & {g3_r[8:0], 1'b0}) |
                      ({10{lb[7]}} & g7_r);
    wire [13:0] base = first_r ? i_wbase : wrow_r;
    wire        word_end = look_r ? !i_rdata_any : (gend_r && bz_r);
    wire        take = look_r ? i_rdata_any : (gend_r && !bz_r);

    assign o_raddr = i_start ? 7'd0 : w_r + 7'd1;
    assign o_op    = run_r && !look_r && opv_r;
    assign o_bword = w_r;
    assign o_addr  = base + {4'd0, off_r};
    assign o_word  = word_r;
    assign o_last  = run_r && word_end && lastw_r;

    // run_r, look_r, w_r, wrem_r, first_r, wrow_r: which word is looked at or issued; bits_r,
    // off_r, g_r, word_r, opv_r, gend_r, o_lb: the event in issue (gend_r compares the g_r of the
    // next clock, so that the look/issue control starts at a flip-flop); g3_r, g5_r, g7_r,
    // gm1_r: multiples of G for the pass; bz_r and lastw_r keep the zero tests of bits_r and
    // wrem_r off the path from the event's end to the sequencer's state (bits_r changes only at a
    // take, and the event's last issue cycle is i_groups_m1 >= SNN_EVT_SPACING - 1 clocks later)
    always @(posedge i_clk) begin
        bz_r <= bits_r == 8'd0;
        if (i_start) begin
            gm1_r <= i_groups - 8'd1;
            g3_r <= g1 + {g1[8:0], 1'b0};
            g5_r <= g1 + {g1[7:0], 2'b0};
            g7_r <= {g1[6:0], 3'b0} - g1;
        end
        if (i_rst) begin
            run_r  <= 1'b0;
            look_r <= 1'b0;
        end else if (i_start) begin
            run_r   <= 1'b1;
            look_r  <= 1'b1;
            w_r     <= 7'd0;
            first_r <= 1'b1;
            wrem_r  <= i_words;
            lastw_r <= i_words[8:1] == 8'd0;
        end else if (run_r) begin
            if (take) begin
                off_r  <= off;
                g_r    <= 8'd0;
                gend_r <= i_groups_m1 == 8'd0;
                word_r <= i_mb;
                opv_r  <= 1'b1;
                o_lb   <= lb;
                bits_r <= d & ~lb;
                look_r <= 1'b0;
            end else if (word_end) begin
                if (lastw_r) begin
                    run_r <= 1'b0;
                end else begin
                    w_r     <= w_r + 7'd1;
                    wrem_r  <= wrem_r - 9'd1;
                    lastw_r <= wrem_r == 9'd2;   // wrem_r >= 2 here: the next is the last iff it is 1
                    first_r <= 1'b0;
                    wrow_r  <= base + {3'd0, i_groups, 3'd0};
                    look_r  <= 1'b1;
                end
            end else begin
                off_r  <= off_r + 10'd1;
                g_r    <= g_r + 8'd1;
                gend_r <= g_r + 8'd1 == i_groups_m1;
                opv_r  <= opv_r && g_r != gm1_r;
                word_r <= word_r + 8'd1;
            end
        end
    end
endmodule
