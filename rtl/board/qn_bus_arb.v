// qn_bus_arb.v : shares the core's byte bus between the command engine (writes) and the
// transmitter (reads).  One access at a time; a read waits for o_bus_rvalid, or gives up
// after READ_TIMEOUT clocks with data 0 so that a silent core cannot wedge the board.
// The requesters hold address and data in registers until o_wr_ack / o_rd_done, so the bus
// takes them from there (a registered select, one mux): the strobes are registered.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"

module qn_bus_arb #(
    parameter integer READ_TIMEOUT = 63
) (
    // clock and reset
    input  wire                          i_clk,
    input  wire                          i_rst,
    // write port: held until o_wr_ack
    input  wire                          i_wr_valid,
    input  wire [`SNN_BUS_ADDR_BITS-1:0] i_wr_addr,
    input  wire [7:0]                    i_wr_data,
    output reg                           o_wr_ack,
    // read port: held until o_rd_done, which comes with o_rd_data
    input  wire                          i_rd_valid,
    input  wire [`SNN_BUS_ADDR_BITS-1:0] i_rd_addr,
    output reg                           o_rd_done,
    output reg  [7:0]                    o_rd_data,
    output reg                           o_rd_timeout,  // pulse: a read was not answered
    // the core's byte bus
    output reg                           o_bus_we,
    output reg                           o_bus_re,
    output wire [`SNN_BUS_ADDR_BITS-1:0] o_bus_addr,
    output wire [7:0]                    o_bus_wdata,
    input  wire [7:0]                    i_bus_rdata,
    input  wire                          i_bus_rvalid
);
    reg       rd_out_r;    // a read is outstanding
    reg       sel_rd_r;    // the address on the bus is the read port's
    reg [5:0] wait_r;
    assign o_bus_addr  = sel_rd_r ? i_rd_addr : i_wr_addr;
    assign o_bus_wdata = i_wr_data;

    // strobes, acks, sel_rd_r, rd_out_r, wait_r: writes first, then reads
    always @(posedge i_clk) begin
        o_bus_we     <= 1'b0;
        o_bus_re     <= 1'b0;
        o_wr_ack     <= 1'b0;
        o_rd_done    <= 1'b0;
        o_rd_timeout <= 1'b0;
        if (i_rst) begin
            rd_out_r    <= 1'b0;
            sel_rd_r    <= 1'b0;
            wait_r      <= 6'd0;
            o_rd_data   <= 8'd0;
        end else if (rd_out_r) begin
            wait_r <= wait_r + 1'b1;
            if (i_bus_rvalid || wait_r == 6'(READ_TIMEOUT)) begin
                rd_out_r     <= 1'b0;
                o_rd_done    <= 1'b1;
                o_rd_data    <= i_bus_rvalid ? i_bus_rdata : 8'd0;
                o_rd_timeout <= !i_bus_rvalid;
            end
        end else if (i_wr_valid && !o_wr_ack) begin
            o_bus_we    <= 1'b1;
            sel_rd_r    <= 1'b0;
            o_wr_ack    <= 1'b1;
        end else if (i_rd_valid && !o_rd_done) begin
            o_bus_re   <= 1'b1;
            sel_rd_r   <= 1'b1;
            rd_out_r   <= 1'b1;
            wait_r     <= 6'd0;
        end
    end
endmodule
