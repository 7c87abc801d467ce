// snn_cfg.v : the configuration registers (SNN_REGION_CONFIG) and their byte read-back.
// SPDX-License-Identifier: MIT
// Only the bits the core uses are kept; read-back returns them (a field written with more bits
// than it holds reads back truncated).  Field offsets come from snn_config.vh (SNN_CFG_*).
`default_nettype none
`include "snn_config.vh"

module snn_cfg (
    input  wire                          i_clk,
    input  wire                          i_rst,
    // byte write / read at a region offset
    input  wire                          i_we,
    input  wire [6:0]                    i_waddr,
    input  wire [7:0]                    i_wdata,
    input  wire [6:0]                    i_raddr,
    output reg  [7:0]                    o_rdata,
    // fields
    output reg  [2:0]                    o_n_layers,
    output reg  [7:0]                    o_steps,
    output reg                           o_direct,
    output wire [4*11-1:0]               o_n_in,     // (L) inputs
    output wire [4*10-1:0]               o_n_out,    // (L) neurons
    output wire [4*4-1:0]                o_leak,     // (L) leak shift
    output wire [3:0]                    o_reset_zero,
    output wire [3:0]                    o_tneuron,
    output wire [4*14-1:0]               o_wbase,    // (L) weight offset / 8 (SPRAM word)
    output wire [4*10-1:0]               o_toff      // (L) first threshold entry
);
    localparam integer L = `SNN_MAX_LAYERS;
    localparam integer RB = `SNN_CFG_LAYER_BYTES;

    reg [10:0] n_in_r  [0:L-1];
    reg [9:0]  n_out_r [0:L-1];
    reg [3:0]  leak_r  [0:L-1];
    reg        rzero_r [0:L-1];
    reg        tneur_r [0:L-1];
    reg [13:0] wbase_r [0:L-1];
    reg [9:0]  toff_r  [0:L-1];

    genvar l;
    generate
        for (l = 0; l < L; l = l + 1) begin : g_layer
            localparam [6:0] B = 7'(`SNN_CFG_LAYER0 + l * RB);
            // the fields of layer l: the written byte's bits
            always @(posedge i_clk)
                if (i_rst) begin
                    n_in_r[l] <= 11'd0; n_out_r[l] <= 10'd0; leak_r[l] <= 4'd0; rzero_r[l] <= 1'b0;
                    tneur_r[l] <= 1'b0; wbase_r[l] <= 14'd0; toff_r[l] <= 10'd0;
                end else if (i_we) begin
                    case (i_waddr)
                        B + `SNN_CFG_L_N_IN:          n_in_r[l][7:0]   <= i_wdata;
                        B + `SNN_CFG_L_N_IN + 1:      n_in_r[l][10:8]  <= i_wdata[2:0];
                        B + `SNN_CFG_L_N_OUT:         n_out_r[l][7:0]  <= i_wdata;
                        B + `SNN_CFG_L_N_OUT + 1:     n_out_r[l][9:8]  <= i_wdata[1:0];
                        B + `SNN_CFG_L_LEAK:          leak_r[l]        <= i_wdata[3:0];
                        B + `SNN_CFG_L_RESET:         rzero_r[l]       <= i_wdata[0];
                        B + `SNN_CFG_L_TMODE:         tneur_r[l]       <= i_wdata[0];
                        B + `SNN_CFG_L_WOFFSET:       wbase_r[l][4:0]  <= i_wdata[7:3];
                        B + `SNN_CFG_L_WOFFSET + 1:   wbase_r[l][12:5] <= i_wdata;
                        B + `SNN_CFG_L_WOFFSET + 2:   wbase_r[l][13]   <= i_wdata[0];
                        B + `SNN_CFG_L_TOFFSET:       toff_r[l][7:0]   <= i_wdata;
                        B + `SNN_CFG_L_TOFFSET + 1:   toff_r[l][9:8]   <= i_wdata[1:0];
                        default: ;
                    endcase
                end
            assign o_n_in[11*l +: 11]  = n_in_r[l];
            assign o_n_out[10*l +: 10] = n_out_r[l];
            assign o_leak[4*l +: 4]    = leak_r[l];
            assign o_reset_zero[l]     = rzero_r[l];
            assign o_tneuron[l]        = tneur_r[l];
            assign o_wbase[14*l +: 14] = wbase_r[l];
            assign o_toff[10*l +: 10]  = toff_r[l];
        end
    endgenerate

    // o_n_layers, o_steps, o_direct: the global fields
    always @(posedge i_clk)
        if (i_rst) begin
            o_n_layers <= 3'd0;
            o_steps    <= 8'd0;
            o_direct   <= 1'b0;
        end else if (i_we) begin
            case (i_waddr)
                `SNN_CFG_N_LAYERS: o_n_layers <= i_wdata[2:0];
                `SNN_CFG_STEPS:    o_steps    <= i_wdata;
                `SNN_CFG_ENCODING: o_direct   <= i_wdata[0];
                default: ;
            endcase
        end

    // o_rdata: read-back of the byte at i_raddr (registered): the layer record is picked first,
    // then the byte inside it (one small mux per field instead of one compare per byte)
    wire [6:0] rel  = i_raddr - 7'(`SNN_CFG_LAYER0);
    wire [6:0] rl   = rel / 7'(RB);
    wire [1:0] ml   = rl[1:0];
    wire [6:0] fo   = rel % 7'(RB);
    wire       in_l = i_raddr >= 7'(`SNN_CFG_LAYER0) && rl < 7'(L);
    reg  [7:0] rb;
    always @(*) begin
        rb = 8'd0;
        if (in_l)
            case (fo)
                7'(`SNN_CFG_L_N_IN):        rb = n_in_r[ml][7:0];
                7'(`SNN_CFG_L_N_IN + 1):    rb = {5'd0, n_in_r[ml][10:8]};
                7'(`SNN_CFG_L_N_OUT):       rb = n_out_r[ml][7:0];
                7'(`SNN_CFG_L_N_OUT + 1):   rb = {6'd0, n_out_r[ml][9:8]};
                7'(`SNN_CFG_L_LEAK):        rb = {4'd0, leak_r[ml]};
                7'(`SNN_CFG_L_RESET):       rb = {7'd0, rzero_r[ml]};
                7'(`SNN_CFG_L_TMODE):       rb = {7'd0, tneur_r[ml]};
                7'(`SNN_CFG_L_WOFFSET):     rb = {wbase_r[ml][4:0], 3'd0};
                7'(`SNN_CFG_L_WOFFSET + 1): rb = wbase_r[ml][12:5];
                7'(`SNN_CFG_L_WOFFSET + 2): rb = {7'd0, wbase_r[ml][13]};
                7'(`SNN_CFG_L_TOFFSET):     rb = toff_r[ml][7:0];
                7'(`SNN_CFG_L_TOFFSET + 1): rb = {6'd0, toff_r[ml][9:8]};
                default: ;
            endcase
        else
            case (i_raddr)
                7'(`SNN_CFG_N_LAYERS): rb = {5'd0, o_n_layers};
                7'(`SNN_CFG_STEPS):    rb = o_steps;
                7'(`SNN_CFG_ENCODING): rb = {7'd0, o_direct};
                default: ;
            endcase
    end
    always @(posedge i_clk)
        o_rdata <= rb;
endmodule
