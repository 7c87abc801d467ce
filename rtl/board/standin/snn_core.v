// snn_core.v (stand-in) : a small module with snn_core's ports and bus timing, for measuring the
// board logic alone in `make bitstream BOARD_CORE=standin`.  Not the accelerator: one EBR
// answers reads 3 clocks after i_bus_re, i_start runs a 1024-clock counter.  Never simulated
// against the golden model; kept out of rtl/board/*.v so the real core is the default.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"

module snn_core (
    // clock and reset
    input  wire                          i_clk,
    input  wire                          i_rst,
    // byte bus
    input  wire                          i_bus_we,
    input  wire                          i_bus_re,
    input  wire [`SNN_BUS_ADDR_BITS-1:0] i_bus_addr,
    input  wire [7:0]                    i_bus_wdata,
    output wire [7:0]                    o_bus_rdata,
    output wire                          o_bus_rvalid,
    // inference
    input  wire                          i_start,
    output wire                          o_busy,
    output wire                          o_done
);
    (* no_rw_check *) reg [7:0] mem_r [0:511];   // collisions undefined, as in SB_RAM40_4K
    reg [7:0] q_r, rdata_r;
    reg [2:0] rv_r;
    reg [10:0] cnt_r;
    reg        done_r;

    // mem_r, q_r, rdata_r, rv_r: one EBR, read answered 3 clocks after i_bus_re
    always @(posedge i_clk) begin
        if (i_bus_we) mem_r[i_bus_addr[8:0] ^ i_bus_addr[19:11]] <= i_bus_wdata;
        q_r     <= mem_r[i_bus_addr[8:0]];
        rdata_r <= q_r ^ {cnt_r[7:0]};
        rv_r    <= i_rst ? 3'd0 : {rv_r[1:0], i_bus_re};
    end

    // cnt_r, done_r: busy for 1024 clocks after i_start
    always @(posedge i_clk) begin
        done_r <= 1'b0;
        if (i_rst) cnt_r <= 11'd0;
        else if (cnt_r != 11'd0) begin
            cnt_r  <= cnt_r + 1'b1;
            done_r <= (cnt_r == 11'h7ff);
        end else if (i_start) cnt_r <= 11'd1;
    end

    assign o_bus_rdata  = rdata_r;
    assign o_bus_rvalid = rv_r[2];
    assign o_busy       = (cnt_r != 11'd0) || done_r;
    assign o_done       = done_r;
endmodule
