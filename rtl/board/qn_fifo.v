// qn_fifo.v : byte FIFO in one EBR, first-word-fall-through output (a byte every third clock at
// most: the UART delivers one every 10 bit times), sticky overflow flag.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_fifo #(
    parameter integer DEPTH = 512,
    parameter [7:0]   MATCH = 8'h00   // o_match compares the output byte with this (registered)
) (
    // clock and reset
    input  wire       i_clk,
    input  wire       i_rst,
    // push side
    input  wire       i_push,
    input  wire [7:0] i_data,
    // pop side: o_data is the oldest byte while o_valid; i_pop takes it
    output reg        o_valid,
    output wire [7:0] o_data,
    output reg        o_match,        // o_data == MATCH, decided as the byte is loaded
    input  wire       i_pop,
    // status
    input  wire       i_clr_overflow,
    output reg        o_overflow,     // a push found the FIFO full since the last clear
    output wire       o_empty         // nothing stored and nothing on the output
);
    localparam integer AW = $clog2(DEPTH);

    generate
        if ((1 << AW) != DEPTH) begin : g_bad_depth
            // the pointers wrap at 2^AW: elaboration stops here
            qn_fifo_DEPTH_must_be_a_power_of_2 bad ();
        end
    endgenerate

    // pointers one bit wider than the RAM address: equal = empty, equal but for the top bit = full
    reg  [AW:0]   wptr_r, rptr_r;
    reg           full_r, empty_r;     // registered, from compares of the registers only
    reg           rd_pend_r;
    wire          wr = i_push && !full_r;
    // prefetch only into an empty output register: one byte per three clocks, and i_pop
    // stays off the RAM's read-enable path
    wire          rd = !rd_pend_r && !o_valid && !empty_r;
    wire [AW:0]   wptr_inc = wptr_r + 1'b1;
    wire [AW:0]   rptr_inc = rptr_r + 1'b1;
    wire [7:0]    q;
    assign o_empty = !o_valid && !rd_pend_r && empty_r;
    // the output byte is the RAM's read register: it is read only into an empty output, so it
    // holds still while o_valid (no copy register)
    assign o_data = q;

    qn_ram_sdp #(.W(8), .DEPTH(DEPTH)) ram (
        .i_clk(i_clk),
        .i_we(wr), .i_waddr(wptr_r[AW-1:0]), .i_wdata(i_data),
        .i_re(rd), .i_raddr(rptr_r[AW-1:0]), .o_rdata(q)
    );

    // wptr_r, rptr_r, full_r, empty_r, o_overflow: occupancy; a push into a full FIFO is
    // dropped and remembered.  The flags compare registers (the incremented pointer with the
    // other one); wr and rd only choose which verdict applies
    always @(posedge i_clk) begin
        if (i_rst) begin
            wptr_r     <= '0;
            rptr_r     <= '0;
            full_r     <= 1'b0;
            empty_r    <= 1'b1;
            o_overflow <= 1'b0;
        end else begin
            if (wr) wptr_r <= wptr_inc;
            if (rd) rptr_r <= rptr_inc;
            if (wr && !rd) begin
                empty_r <= 1'b0;
                full_r  <= (wptr_inc == {~rptr_r[AW], rptr_r[AW-1:0]});
            end else if (rd && !wr) begin
                empty_r <= (rptr_inc == wptr_r);
                full_r  <= 1'b0;
            end
            if (i_push && full_r) o_overflow <= 1'b1;
            else if (i_clr_overflow) o_overflow <= 1'b0;
        end
    end

    // rd_pend_r, o_valid, o_match: prefetch the oldest byte to the output
    always @(posedge i_clk) begin
        if (i_rst) begin
            rd_pend_r <= 1'b0;
            o_valid   <= 1'b0;
            o_match   <= 1'b0;
        end else begin
            rd_pend_r <= rd;
            if (rd_pend_r) begin
                o_valid <= 1'b1;
                o_match <= (q == MATCH);
            end else if (i_pop) begin
                o_valid <= 1'b0;
            end
        end
    end
endmodule
