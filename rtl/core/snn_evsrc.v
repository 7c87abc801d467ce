// snn_evsrc.v : event source: walks a spike bitmap and issues one op per (input spike, lane group).
// SPDX-License-Identifier: MIT
// The bitmap (one byte per 8 inputs) sits in a synchronous RAM read through o_raddr.  Schedule,
// independent of where the spikes are (the cycle model relies on it): every word costs one
// look cycle, then each set bit (lowest first) costs i_groups issue cycles; the pass ends with
// o_last high in its final cycle.  i_start is the cycle before the first look.
// Issue cycle outputs: o_addr = SPRAM word of (row idx, group) = i_wbase + idx * G + group.
`default_nettype none

module snn_evsrc (
    input  wire        i_clk,
    input  wire        i_rst,
    // pass parameters (stable from the cycle after i_start)
    input  wire        i_start,
    input  wire [8:0]  i_words,     // W >= 1 bitmap words
    input  wire [7:0]  i_groups,    // G >= 1 issue cycles per event
    input  wire [13:0] i_wbase,     // SPRAM word of row 0
    input  wire [79:0] i_tbl,       // b * G for b = 0..7, 10 bits each
    input  wire [13:0] i_step8,     // 8 * G: SPRAM words per bitmap word
    // bitmap RAM
    output wire [6:0]  o_raddr,
    input  wire [7:0]  i_rdata,
    // issued op
    output wire        o_op,
    output wire [13:0] o_addr,
    output wire [7:0]  o_group,
    output wire        o_last
);
    reg        run_r, look_r;
    reg [8:0]  w_r;
    reg [7:0]  bits_r, g_r;
    reg [13:0] wrow_r, addr_r;

    wire [7:0]  d = look_r ? i_rdata : bits_r;
    wire [7:0]  lb = d & (~d + 8'd1);               // lowest set bit, one-hot
    wire [2:0]  b = {|(lb & 8'hF0), |(lb & 8'hCC), |(lb & 8'hAA)};
    wire [13:0] base = (w_r == 9'd0) ? i_wbase : wrow_r;
    wire [13:0] nxt_addr = base + {4'd0, i_tbl[10*b +: 10]};
    wire        last_word = (w_r == i_words - 9'd1);
    wire        grp_end = (g_r == i_groups - 8'd1);
    wire        word_end = look_r ? (d == 8'd0) : (grp_end && bits_r == 8'd0);
    wire        take = look_r ? (d != 8'd0) : (grp_end && bits_r != 8'd0);

    assign o_raddr = i_start ? 7'd0 : w_r[6:0] + 7'd1;
    assign o_op    = run_r && !look_r;
    assign o_addr  = addr_r;
    assign o_group = g_r;
    assign o_last  = run_r && word_end && last_word;

    // run_r, look_r, w_r, wrow_r: which word is looked at or issued; bits_r, addr_r, g_r: the event in issue
    always @(posedge i_clk) begin
        if (i_rst) begin
            run_r  <= 1'b0;
            look_r <= 1'b0;
        end else if (i_start) begin
            run_r  <= 1'b1;
            look_r <= 1'b1;
            w_r    <= 9'd0;
        end else if (run_r) begin
            if (take) begin
                addr_r <= nxt_addr;
                g_r    <= 8'd0;
                bits_r <= d & ~lb;
                look_r <= 1'b0;
            end else if (word_end) begin
                if (last_word) begin
                    run_r <= 1'b0;
                end else begin
                    w_r    <= w_r + 9'd1;
                    wrow_r <= base + i_step8;
                    look_r <= 1'b1;
                end
            end else begin
                addr_r <= addr_r + 14'd1;
                g_r    <= g_r + 8'd1;
            end
        end
    end
endmodule
