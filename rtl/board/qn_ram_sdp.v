// qn_ram_sdp.v : simple dual-port RAM, one write and one synchronous read port (infers EBR).
// SPDX-License-Identifier: MIT
`default_nettype none

module qn_ram_sdp #(
    parameter integer W     = 8,
    parameter integer DEPTH = 512
) (
    input  wire                     i_clk,
    // write port
    input  wire                     i_we,
    input  wire [$clog2(DEPTH)-1:0] i_waddr,
    input  wire [W-1:0]             i_wdata,
    // read port: o_rdata is mem[i_raddr] one clock after i_re
    input  wire                     i_re,
    input  wire [$clog2(DEPTH)-1:0] i_raddr,
    output reg  [W-1:0]             o_rdata
);
    // no_rw_check: reading the address being written in the same clock is left undefined, as
    // SB_RAM40_4K leaves it; without it Yosys adds a bypass around the EBR (~40 LCs per RAM).
    // Users never do it (the FIFO reads only stored bytes, the payload buffer is written and
    // read in different states).
    (* no_rw_check *) reg [W-1:0] mem_r [0:DEPTH-1];

    // mem_r, o_rdata: registered write and read, the shape Yosys maps to SB_RAM40_4K
    always @(posedge i_clk) begin
        if (i_we) mem_r[i_waddr] <= i_wdata;
        if (i_re) o_rdata <= mem_r[i_raddr];
    end
endmodule
