// snn_core_pnr.v : place-and-route harness for snn_core alone (make core-pnr), not a product top.
// SPDX-License-Identifier: MIT
// The core has more ports than the sg48 package has pins: its inputs come from a shift register
// fed by one pin, its outputs are registered and folded into one pin, so that every core port
// stays live (nothing is optimised away) and the I/O adds no logic paths of its own.
`default_nettype none
`include "snn_config.vh"

module snn_core_pnr (
    input  wire i_clk,
    input  wire i_rst,
    input  wire i_ser,
    output reg  o_ser
);
    localparam integer AW = `SNN_BUS_ADDR_BITS;
    reg  [AW+10:0] sh_r;
    wire [7:0]     rdata;
    wire           rvalid, busy, done;

    // sh_r: the core's inputs, shifted in one bit per clock; o_ser: all of its outputs, folded
    always @(posedge i_clk) begin
        sh_r  <= {sh_r[AW+9:0], i_ser};
        o_ser <= ^{rdata, rvalid, busy, done};
    end

    snn_core core (
        .i_clk(i_clk), .i_rst(i_rst), .i_bus_we(sh_r[0]), .i_bus_re(sh_r[1]),
        .i_bus_addr(sh_r[AW+1:2]), .i_bus_wdata(sh_r[AW+9:AW+2]), .o_bus_rdata(rdata),
        .o_bus_rvalid(rvalid), .i_start(sh_r[AW+10]), .o_busy(busy), .o_done(done)
    );
endmodule
