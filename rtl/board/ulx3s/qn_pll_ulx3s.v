// qn_pll_ulx3s.v : ULX3S 25 MHz oscillator -> 30 MHz core clock (ECP5 EHXPLLL).
// 25 MHz / CLKI_DIV 5 = 5 MHz at the phase detector (>= 3.125 MHz), x CLKFB_DIV 6 = 30 MHz,
// VCO = 30 MHz x CLKOP_DIV 20 = 600 MHz (400..800 MHz).  30 MHz is 10 clocks per bit at 3 Mbaud;
// the iCE40's 36 MHz is not reachable from 25 MHz with a legal phase-detector frequency.
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_pll_ulx3s #(
    parameter integer CLK_HZ = 30000000   // the only frequency the dividers below make
) (
    input  wire i_clk_25m,
    output wire o_clk,
    output wire o_locked
);
    generate
        if (CLK_HZ != 30000000) begin : g_bad_clk
            // elaboration stops here: no such module
            qn_pll_ulx3s_makes_30MHz_only bad ();
        end
    endgenerate

    wire clkop;
    (* FREQUENCY_PIN_CLKI = "25" *) (* FREQUENCY_PIN_CLKOP = "30" *)
    (* ICP_CURRENT = "12" *) (* LPF_RESISTOR = "8" *) (* MFG_ENABLE_FILTEROPAMP = "1" *) (* MFG_GMCREF_SEL = "2" *)
    EHXPLLL #(
        .PLLRST_ENA("DISABLED"), .INTFB_WAKE("DISABLED"), .STDBY_ENABLE("DISABLED"),
        .DPHASE_SOURCE("DISABLED"), .OUTDIVIDER_MUXA("DIVA"),
        .CLKI_DIV(5), .CLKFB_DIV(6), .FEEDBK_PATH("CLKOP"),
        .CLKOP_ENABLE("ENABLED"), .CLKOP_DIV(20), .CLKOP_CPHASE(19), .CLKOP_FPHASE(0)
    ) pll (
        .RST(1'b0), .STDBY(1'b0), .CLKI(i_clk_25m), .CLKFB(clkop), .CLKOP(clkop),
        .PHASESEL0(1'b0), .PHASESEL1(1'b0), .PHASEDIR(1'b1), .PHASESTEP(1'b1),
        .PHASELOADREG(1'b1), .PLLWAKESYNC(1'b0), .ENCLKOP(1'b0), .LOCK(o_locked)
    );
    assign o_clk = clkop;
endmodule
