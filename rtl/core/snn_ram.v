// snn_ram.v : simple dual-port RAM with a synchronous read and per-slice write enables (infers EBR).
// SPDX-License-Identifier: MIT
// DW bits wide, 2^AW words, NWE write-enable slices of DW/NWE bits.  A read of the word being
// written in the same clock returns the old word; the core never relies on that case.
`default_nettype none

module snn_ram #(
    parameter integer AW  = 8,
    parameter integer DW  = 16,
    parameter integer NWE = 1
) (
    input  wire           i_clk,
    input  wire [NWE-1:0] i_we,
    input  wire [AW-1:0]  i_waddr,
    input  wire [DW-1:0]  i_wdata,
    input  wire [AW-1:0]  i_raddr,
    output reg  [DW-1:0]  o_rdata
);
    localparam integer SW = DW / NWE;
    (* no_rw_check *) reg [DW-1:0] mem [0:(1 << AW) - 1];
    integer k;

    // mem: the enabled slices of the written word
    always @(posedge i_clk)
        for (k = 0; k < NWE; k = k + 1)
            if (i_we[k]) mem[i_waddr][k*SW +: SW] <= i_wdata[k*SW +: SW];

    // o_rdata: registered read
    always @(posedge i_clk)
        o_rdata <= mem[i_raddr];
endmodule
