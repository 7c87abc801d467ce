// tb_snn_mem.v : memory wrappers under one top for the unit bench: snn_ram with write-enable
// slices (the pixel RAM shape) and snn_spram (behavioural SB_SPRAM256KA).
// SPDX-License-Identifier: MIT
`default_nettype none

module tb_snn_mem (
    input  wire        i_clk,
    input  wire [7:0]  i_we,
    input  wire [7:0]  i_waddr,
    input  wire [63:0] i_wdata,
    input  wire [7:0]  i_raddr,
    output wire [63:0] o_rdata,
    input  wire [13:0] i_sp_addr,
    input  wire [15:0] i_sp_wdata,
    input  wire [3:0]  i_sp_wmask,
    input  wire        i_sp_we,
    output wire [15:0] o_sp_rdata
);
    snn_ram #(.AW(8), .DW(64), .NWE(8)) ram (
        .i_clk(i_clk), .i_we(i_we), .i_waddr(i_waddr), .i_wdata(i_wdata), .i_raddr(i_raddr), .o_rdata(o_rdata)
    );
    snn_spram spram (
        .i_clk(i_clk), .i_addr(i_sp_addr), .i_wdata(i_sp_wdata), .i_wmask(i_sp_wmask), .i_we(i_sp_we),
        .o_rdata(o_sp_rdata)
    );
endmodule
