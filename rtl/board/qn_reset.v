// qn_reset.v : the board's synchronous reset: held for 16 clocks after the PLL locks, and while
// the (active-low, asynchronous) button is pressed.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_reset (
    input  wire i_clk,
    input  wire i_locked,
    input  wire i_btn_n,    // tie high on a board without a reset button
    output reg  o_rst
);
    reg [1:0] btn_r;
    reg [3:0] por_r;
    initial begin
        por_r = 4'd0;
        o_rst = 1'b1;
        btn_r = 2'b11;
    end
    // btn_r: the button through two flops; por_r: clocks since lock and release; o_rst
    always @(posedge i_clk) begin
        btn_r <= {btn_r[0], i_btn_n};
        if (!i_locked || !btn_r[1]) por_r <= 4'd0;
        else if (por_r != 4'hf) por_r <= por_r + 1'b1;
        o_rst <= (por_r != 4'hf);
    end
endmodule
