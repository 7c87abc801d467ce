// qn_uart_tx.v : UART transmitter, 8N1, i_div clocks per bit (set at run time); bytes follow
// each other without a gap.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_uart_tx #(
    parameter integer CW = 5                 // width of the clocks-per-bit count
) (
    // clock and reset
    input  wire       i_clk,
    input  wire       i_rst,
    // bit timing
    input  wire [CW-1:0] i_div,              // clocks per bit
    // data
    input  wire       i_valid,     // take i_data when o_ready
    input  wire [7:0] i_data,
    output wire       o_ready,
    // line
    output wire       o_tx
);
    wire [CW-1:0] full = i_div - 1'b1;

    reg [8:0]    shift_r;   // {stop bit, data}: shifted out LSB first after the start bit
    reg [3:0]    left_r;    // bits still on the line, counting the one being sent
    reg [CW-1:0] cnt_r;
    reg          tx_r;
    // the stop bit's last clock can take the next byte: characters follow back to back
    wire   last = (left_r == 4'd1) && (cnt_r == 0);
    assign o_ready = (left_r == 4'd0) || last;
    assign o_tx    = tx_r;

    // tx_r, shift_r, left_r, cnt_r: start bit, 8 data bits, stop bit, i_div clocks each;
    // the line idles high (the stop bit level), so a byte can follow immediately
    always @(posedge i_clk) begin
        if (i_rst) begin
            shift_r <= 9'h1ff;
            left_r  <= 4'd0;
            cnt_r   <= '0;
            tx_r    <= 1'b1;
        end else if (left_r == 4'd0 || last) begin
            if (i_valid) begin
                tx_r    <= 1'b0;
                shift_r <= {1'b1, i_data};
                left_r  <= 4'd10;
                cnt_r   <= full;
            end else if (last) begin
                left_r <= 4'd0;
            end
        end else if (cnt_r != 0) begin
            cnt_r <= cnt_r - 1'b1;
        end else begin
            left_r  <= left_r - 1'b1;
            tx_r    <= shift_r[0];
            shift_r <= {1'b1, shift_r[8:1]};
            cnt_r   <= full;
        end
    end
endmodule
