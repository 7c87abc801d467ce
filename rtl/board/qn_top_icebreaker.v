// qn_top_icebreaker.v : iCEBreaker (iCE40UP5K-SG48) top level: PLL, reset, board, LEDs.
// Pins in constraints/icebreaker.pcf.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_protocol.vh"

module qn_top_icebreaker #(
    // one definition (protocol/snn_protocol.def): the PLL, the UART divisors and INFO all follow it
    parameter integer CLK_HZ   = `PROTO_DEFAULT_CLK_HZ,
    parameter [31:0]  BUILD_ID = 32'd0
) (
    input  wire CLK,       // 12 MHz oscillator, pin 35
    input  wire RX,        // UART from the FT2232H channel B (FPGA input)
    output wire TX,        // UART to the FT2232H
    input  wire BTN_N,     // user button: reset while pressed
    output wire LEDR_N,    // red: a NAK or line error in the last 1/10 s
    output wire LEDG_N     // green: activity
);
    wire clk, locked;
    qn_pll #(.CLK_HZ(CLK_HZ)) pll (.i_clk_pad(CLK), .o_clk(clk), .o_locked(locked));

    wire rst;
    qn_reset reset (.i_clk(clk), .i_locked(locked), .i_btn_n(BTN_N), .o_rst(rst));

    wire led_act, led_err;
    qn_board #(.CLK_HZ(CLK_HZ), .BUILD_ID(BUILD_ID)) board (
        .i_clk(clk), .i_rst(rst), .i_rx(RX), .o_tx(TX),
        .o_led_act(led_act), .o_led_err(led_err), .o_idle()
    );
    assign LEDG_N = !led_act;
    assign LEDR_N = !led_err;
endmodule
