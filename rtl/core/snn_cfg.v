// snn_cfg.v : the configuration (SNN_REGION_CONFIG): every byte in one block RAM, the global
// fields (layers, steps, encoding, early exit) also in registers.
// SPDX-License-Identifier: MIT
// The block RAM holds the bytes exactly as written (read-back returns them); its one read port,
// 16 bits wide, serves the bus while the core is idle and the sequencer's layer-record fetches
// while it is busy (snn_seq.v).  Field offsets come from snn_config.vh (SNN_CFG_*).
`default_nettype none
`include "snn_config.vh"

module snn_cfg (
    input  wire        i_clk,
    input  wire        i_rst,
    // byte write at a region offset
    input  wire        i_we,
    input  wire [6:0]  i_waddr,
    input  wire [7:0]  i_wdata,
    // word read (bytes 2 * i_raddr, 2 * i_raddr + 1), registered
    input  wire [5:0]  i_raddr,
    output wire [15:0] o_rdata,
    // the global fields
    output reg  [`SNN_NLAYERS_BITS-1:0] o_n_layers,
    output reg  [7:0]  o_steps,
    output reg         o_direct,
    output reg  [1:0]  o_exit_mode,   // SNN_EXIT_*
    output reg  [7:0]  o_exit_lead,   // K
    output reg  [7:0]  o_exit_min     // M
);
    snn_ram #(.AW(8), .DW(16), .NWE(2)) bytes (
        .i_clk(i_clk), .i_we(i_we ? (i_waddr[0] ? 2'b10 : 2'b01) : 2'b00),
        .i_waddr({2'd0, i_waddr[6:1]}), .i_wdata({i_wdata, i_wdata}),
        .i_raddr({2'd0, i_raddr}), .o_rdata(o_rdata)
    );

    // o_n_layers .. o_exit_min: the global fields (a reset clears them; the RAM keeps the old
    // bytes, but a board accepts no INFER until a new configuration is written)
    always @(posedge i_clk)
        if (i_rst) begin
            o_n_layers  <= 3'd0;
            o_steps     <= 8'd0;
            o_direct    <= 1'b0;
            o_exit_mode <= 2'd0;
            o_exit_lead <= 8'd0;
            o_exit_min  <= 8'd0;
        end else if (i_we) begin
            case (i_waddr)
                `SNN_CFG_N_LAYERS:  o_n_layers  <= i_wdata[2:0];
                `SNN_CFG_STEPS:     o_steps     <= i_wdata;
                `SNN_CFG_ENCODING:  o_direct    <= i_wdata[0];
                `SNN_CFG_EXIT_MODE: o_exit_mode <= i_wdata[1:0];
                `SNN_CFG_EXIT_LEAD: o_exit_lead <= i_wdata;
                `SNN_CFG_EXIT_MIN:  o_exit_min  <= i_wdata;
                default: ;
            endcase
        end
endmodule
