// qn_pll.v : 12 MHz oscillator pad -> core clock (SB_PLL40_PAD).  Yosys's simulation model of
// the PLL is an empty module, so with `SIM the input clock passes straight through and LOCK is
// high: the simulation then drives i_clk at the core clock.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_pll #(
    // icepll -i 12 -o 48: 12 MHz * (DIVF + 1) / (DIVR + 1) / 2^DIVQ = 48 MHz, VCO 768 MHz
    parameter [3:0] DIVR = 4'd0,
    parameter [6:0] DIVF = 7'd63,
    parameter [2:0] DIVQ = 3'd4,
    parameter [2:0] FILTER_RANGE = 3'd1
) (
    input  wire i_clk_pad,
    output wire o_clk,
    output wire o_locked
);
`ifdef SIM
    assign o_clk    = i_clk_pad;
    assign o_locked = 1'b1;
`else
    SB_PLL40_PAD #(
        .FEEDBACK_PATH("SIMPLE"),
        .DIVR(DIVR),
        .DIVF(DIVF),
        .DIVQ(DIVQ),
        .FILTER_RANGE(FILTER_RANGE)
    ) pll (
        .PACKAGEPIN(i_clk_pad),
        .PLLOUTGLOBAL(o_clk),
        .LOCK(o_locked),
        .RESETB(1'b1),
        .BYPASS(1'b0)
    );
`endif
endmodule
