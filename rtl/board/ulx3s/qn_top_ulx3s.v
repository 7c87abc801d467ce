// qn_top_ulx3s.v : ULX3S (ECP5 LFE5U-85F) top level: PLL, reset, board, LEDs.  Pins in
// constraints/ulx3s.lpf; the UART is the FT231X (the board's only USB port, /dev/ttyUSB0).
// Built by `make bitstream BOARD=ulx3s`; never run on a board here (see docs/board.md).
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_protocol.vh"

module qn_top_ulx3s #(
    parameter integer CLK_HZ   = 30000000,   // ULX3S_MHZ in mk/board.mk; qn_pll_ulx3s checks it
    parameter integer MAX_BAUD = 3000000,    // the FT231X's fastest rate
    parameter [31:0]  BUILD_ID = 32'd0
) (
    input  wire       clk_25mhz,
    input  wire       ftdi_txd,    // UART from the FT231X (FPGA input)
    output wire       ftdi_rxd,    // UART to the FT231X
    output wire       wifi_gpio0,
    output wire [1:0] led          // 0: activity, 1: a NAK or line error in the last 1/10 s
);
    wire clk, locked;
    qn_pll_ulx3s #(.CLK_HZ(CLK_HZ)) pll (.i_clk_25m(clk_25mhz), .o_clk(clk), .o_locked(locked));

    wire rst;
    qn_reset reset (.i_clk(clk), .i_locked(locked), .i_btn_n(1'b1), .o_rst(rst));

    qn_board #(.CLK_HZ(CLK_HZ), .MAX_BAUD(MAX_BAUD), .BUILD_ID(BUILD_ID)) board (
        .i_clk(clk), .i_rst(rst), .i_rx(ftdi_txd), .o_tx(ftdi_rxd),
        .o_led_act(led[0]), .o_led_err(led[1]), .o_idle()
    );
    assign wifi_gpio0 = 1'b1;
endmodule
