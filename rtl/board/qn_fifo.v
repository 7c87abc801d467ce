// qn_fifo.v : byte FIFO in one EBR, first-word-fall-through output (a byte every third clock at
// most: the UART delivers one every 10 bit times), sticky overflow flag.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_fifo #(
    parameter integer DEPTH = 512
) (
    // clock and reset
    input  wire       i_clk,
    input  wire       i_rst,
    // push side
    input  wire       i_push,
    input  wire [7:0] i_data,
    // pop side: o_data is the oldest byte while o_valid; i_pop takes it
    output reg        o_valid,
    output reg  [7:0] o_data,
    input  wire       i_pop,
    // status
    input  wire       i_clr_overflow,
    output reg        o_overflow,     // a push found the FIFO full since the last clear
    output wire       o_empty         // nothing stored and nothing on the output
);
    localparam integer AW = $clog2(DEPTH);

    reg  [AW-1:0] wptr_r, rptr_r;
    reg  [AW:0]   count_r;             // bytes stored in the RAM
    reg           full_r, empty_r;     // count_r == DEPTH, count_r == 0 (registered: off the enables)
    reg           rd_pend_r;
    wire          wr = i_push && !full_r;
    // prefetch only into an empty output register: one byte per three clocks, and i_pop
    // stays off the RAM's read-enable path
    wire          rd = !rd_pend_r && !o_valid && !empty_r;
    wire [7:0]    q;
    assign o_empty = !o_valid && !rd_pend_r && empty_r;

    qn_ram_sdp #(.W(8), .DEPTH(DEPTH)) ram (
        .i_clk(i_clk),
        .i_we(wr), .i_waddr(wptr_r), .i_wdata(i_data),
        .i_re(rd), .i_raddr(rptr_r), .o_rdata(q)
    );

    // wptr_r, o_overflow: pushes; a push into a full FIFO is dropped and remembered
    always @(posedge i_clk) begin
        if (i_rst) begin
            wptr_r     <= '0;
            o_overflow <= 1'b0;
        end else begin
            if (wr) wptr_r <= wptr_r + 1'b1;
            if (i_push && full_r) o_overflow <= 1'b1;
            else if (i_clr_overflow) o_overflow <= 1'b0;
        end
    end

    // count_r, full_r, empty_r: occupancy, with the flags decided from the old count
    always @(posedge i_clk) begin
        if (i_rst) begin
            count_r <= '0;
            full_r  <= 1'b0;
            empty_r <= 1'b1;
        end else if (wr && !rd) begin
            count_r <= count_r + 1'b1;
            full_r  <= (count_r == (AW+1)'(DEPTH - 1));
            empty_r <= 1'b0;
        end else if (rd && !wr) begin
            count_r <= count_r - 1'b1;
            full_r  <= 1'b0;
            empty_r <= (count_r == (AW+1)'(1));
        end
    end

    // rptr_r, rd_pend_r, o_valid, o_data: prefetch the oldest byte into the output register
    always @(posedge i_clk) begin
        if (i_rst) begin
            rptr_r    <= '0;
            rd_pend_r <= 1'b0;
            o_valid   <= 1'b0;
            o_data    <= 8'd0;
        end else begin
            rd_pend_r <= rd;
            if (rd) rptr_r <= rptr_r + 1'b1;
            if (rd_pend_r) begin
                o_valid <= 1'b1;
                o_data  <= q;
            end else if (i_pop) begin
                o_valid <= 1'b0;
            end
        end
    end
endmodule
