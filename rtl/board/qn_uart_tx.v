// qn_uart_tx.v : UART transmitter, 8N1, CLKS_PER_BIT clocks per bit.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_uart_tx #(
    parameter integer CLKS_PER_BIT = 16
) (
    // clock and reset
    input  wire       i_clk,
    input  wire       i_rst,
    // data
    input  wire       i_valid,     // take i_data when o_ready
    input  wire [7:0] i_data,
    output wire       o_ready,
    // line
    output wire       o_tx
);
    localparam integer CW = $clog2(CLKS_PER_BIT + 1);
    localparam [CW-1:0] FULL = CW'(CLKS_PER_BIT - 1);

    reg [8:0]    shift_r;   // {stop bit, data}: shifted out LSB first after the start bit
    reg [3:0]    left_r;    // bits still on the line, counting the one being sent
    reg [CW-1:0] cnt_r;
    reg          tx_r;
    assign o_ready = (left_r == 4'd0);
    assign o_tx    = tx_r;

    // tx_r, shift_r, left_r, cnt_r: start bit, 8 data bits, stop bit, CLKS_PER_BIT clocks each;
    // the line idles high (the stop bit level), so a byte can follow immediately
    always @(posedge i_clk) begin
        if (i_rst) begin
            shift_r <= 9'h1ff;
            left_r  <= 4'd0;
            cnt_r   <= '0;
            tx_r    <= 1'b1;
        end else if (left_r == 4'd0) begin
            if (i_valid) begin
                tx_r    <= 1'b0;
                shift_r <= {1'b1, i_data};
                left_r  <= 4'd10;
                cnt_r   <= FULL;
            end
        end else if (cnt_r != 0) begin
            cnt_r <= cnt_r - 1'b1;
        end else begin
            left_r <= left_r - 1'b1;
            if (left_r != 4'd1) begin
                tx_r    <= shift_r[0];
                shift_r <= {1'b1, shift_r[8:1]};
                cnt_r   <= FULL;
            end
        end
    end
endmodule
