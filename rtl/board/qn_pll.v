// qn_pll.v : 12 MHz oscillator pad -> core clock CLK_HZ (SB_PLL40_PAD).  Yosys's simulation
// model of the PLL is an empty module, so with `SIM the input clock passes straight through and
// LOCK is high: the simulation then drives i_clk at the core clock.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_protocol.vh"

module qn_pll #(
    // a multiple of 3 MHz from 36 to 66 MHz (VCO = 16 x CLK_HZ must stay within 533..1066 MHz);
    // the board's one definition is PROTO_DEFAULT_CLK_HZ in protocol/snn_protocol.def
    parameter integer CLK_HZ = `PROTO_DEFAULT_CLK_HZ
) (
    input  wire i_clk_pad,
    output wire o_clk,
    output wire o_locked
);
    // icepll -i 12 -o F: 12 MHz * (DIVF + 1) / (DIVR + 1) / 2^DIVQ with DIVR = 0, DIVQ = 4,
    // FILTER_RANGE = 1, so DIVF + 1 = F / 0.75 MHz (48 MHz: DIVF 63; 36 MHz: DIVF 47)
    localparam integer DIVF = CLK_HZ / 750000 - 1;

    generate
        if (CLK_HZ % 3000000 != 0 || CLK_HZ < 36000000 || CLK_HZ > 66000000) begin : g_bad_clk
            // elaboration stops here: no such module
            qn_pll_CLK_HZ_must_be_a_multiple_of_3MHz_from_36_to_66MHz bad ();
        end
    endgenerate

`ifdef SIM
    assign o_clk    = i_clk_pad;
    assign o_locked = 1'b1;
`else
    SB_PLL40_PAD #(
        .FEEDBACK_PATH("SIMPLE"),
        .DIVR(4'd0),
        .DIVF(7'(DIVF)),
        .DIVQ(3'd4),
        .FILTER_RANGE(3'd1)
    ) pll (
        .PACKAGEPIN(i_clk_pad),
        .PLLOUTGLOBAL(o_clk),
        .LOCK(o_locked),
        .RESETB(1'b1),
        .BYPASS(1'b0)
    );
`endif
endmodule
