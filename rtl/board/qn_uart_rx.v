// qn_uart_rx.v : UART receiver, 8N1, i_div clocks per bit (3 or more, set at run time: the
// board switches baud rates), sampled once per bit, as close to mid-bit as whole clocks allow.
// The start edge is known to one clock, so the sample lands between floor((N-1)/2) and
// floor((N-1)/2) + 1 clocks into each bit of N clocks: a margin of floor((N-1)/2) / N bit on
// either side (docs/protocol.md lists it per rate).
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_uart_rx #(
    parameter integer CW = 5                 // width of the clocks-per-bit count
) (
    // clock and reset
    input  wire       i_clk,
    input  wire       i_rst,
    // bit timing: clocks per bit (>= 3) and the start bit's first wait, floor((i_div-1)/2) - 1
    input  wire [CW-1:0] i_div,
    input  wire [CW-1:0] i_half,
    // line
    input  wire       i_rx,
    // data
    output reg        o_valid,      // pulse: o_data holds a byte with a good stop bit
    output wire [7:0] o_data,       // (until the next character's first data bit)
    output reg        o_frame_err,  // pulse: stop bit was 0 (byte dropped; noise or break)
    output wire       o_busy        // a character is being received
);
    wire [CW-1:0] full = i_div - 1'b1;

    // sync_r: two-flop synchroniser of the asynchronous line (idle high)
    reg [1:0] sync_r;
    always @(posedge i_clk)
        if (i_rst) sync_r <= 2'b11;
        else       sync_r <= {sync_r[0], i_rx};
    wire rx = sync_r[1];

    // state_r: 0 idle, 1 start bit, 2 data bits, 3 stop bit
    reg [1:0]    state_r;
    reg [CW-1:0] cnt_r;
    reg [2:0]    bit_r;
    reg [7:0]    shift_r;
    assign o_busy = (state_r != 2'd0);
    // the byte is read from the shift register: it holds still from the stop bit to the next
    // character's first data bit, long after the o_valid pulse (no copy register)
    assign o_data = shift_r;

    // state_r, cnt_r, bit_r, shift_r, outputs: one character per start edge
    always @(posedge i_clk) begin
        o_valid     <= 1'b0;
        o_frame_err <= 1'b0;
        if (i_rst) begin
            state_r <= 2'd0;
            cnt_r   <= '0;
            bit_r   <= 3'd0;
            shift_r <= 8'd0;
        end else if (state_r == 2'd0) begin
            if (!rx) begin
                state_r <= 2'd1;
                cnt_r   <= i_half;
            end
        end else if (cnt_r != 0) begin
            cnt_r <= cnt_r - 1'b1;
        end else begin
            cnt_r <= full;
            case (state_r)
                2'd1: state_r <= rx ? 2'd0 : 2'd2;   // glitch shorter than half a bit: ignore
                2'd2: begin
                    shift_r <= {rx, shift_r[7:1]};
                    bit_r   <= bit_r + 1'b1;
                    if (bit_r == 3'd7) state_r <= 2'd3;
                end
                default: begin
                    state_r     <= 2'd0;
                    o_valid     <= rx;
                    o_frame_err <= !rx;
                end
            endcase
        end
    end
endmodule
