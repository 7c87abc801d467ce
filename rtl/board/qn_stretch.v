// qn_stretch.v : holds o_on for 2..3 ticks after the last i_pulse (LED driver; the tick is a
// slow prescaler, so no long counter sits on the core clock).
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_stretch (
    input  wire i_clk,
    input  wire i_rst,
    input  wire i_tick,
    input  wire i_pulse,
    output wire o_on
);
    reg [1:0] cnt_r;
    reg       pulse_r;
    assign o_on = (cnt_r != 2'd0);

    // pulse_r: i_pulse a clock late, so that the pulse's logic (status flags from across the
    // board) ends at a flip-flop instead of running on into the counter
    // cnt_r: reloaded by every pulse, counts ticks down to 0 (off)
    always @(posedge i_clk) begin
        pulse_r <= i_pulse;
        if (i_rst)              cnt_r <= 2'd0;
        else if (pulse_r)       cnt_r <= 2'd3;
        else if (i_tick && o_on) cnt_r <= cnt_r - 1'b1;
    end
endmodule
