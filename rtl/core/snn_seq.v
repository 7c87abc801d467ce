// snn_seq.v : the core's sequencer: the pass schedule of one image and the parameters of each pass.
// SPDX-License-Identifier: MIT
// Every pass is: one setup clock (per-pass parameters registered), N issue clocks (one op per
// clock), SNN_DRAIN clocks for the deepest pipeline to write back.  docs/accelerator.md lists
// the passes and their N; hls/snn_cycles.c adds them up.
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_seq (
    input  wire         i_clk,
    input  wire         i_rst,
    input  wire         i_start,
    // configuration (snn_cfg; stable while busy)
    input  wire [2:0]   i_n_layers,
    input  wire [7:0]   i_steps,
    input  wire         i_direct,
    input  wire [43:0]  i_n_in,
    input  wire [39:0]  i_n_out,
    input  wire [15:0]  i_leak,
    input  wire [3:0]   i_reset_zero,
    input  wire [3:0]   i_tneuron,
    input  wire [55:0]  i_wbase,
    input  wire [39:0]  i_toff,
    // status
    output wire         o_busy,
    output wire         o_start,      // the clock after i_start: swap buffers, seed the encoder
    output wire         o_done,
    output reg  [31:0]  o_cycles,     // clocks since i_start (valid in the o_done clock)
    // the current pass (valid from the clock after its setup clock)
    output reg  [3:0]   o_pass,
    output wire         o_issue,      // an op of a counted pass (o_cnt) this clock
    output wire [10:0]  o_cnt,
    output reg  [1:0]   o_layer,
    output reg  [2:0]   o_plane,
    output reg  [7:0]   o_step,
    output wire         o_last_step,
    output wire         o_last_layer,
    // per-pass parameters (registered)
    output reg  [9:0]   o_h,          // neurons of the layer
    output reg  [10:0]  o_nin0,       // inputs of layer 0
    output reg  [7:0]   o_mb,         // first membrane word of the layer
    output reg  [9:0]   o_toff,
    output reg          o_tneuron,
    output reg  [3:0]   o_leak,
    output reg          o_reset_zero,
    // static layout (registered)
    output wire [31:0]  o_mb_all,     // (L) first membrane word of each layer
    output wire [43:0]  o_cum_all,    // (L) neurons before layer l; [l=3 .. 0]
    output reg  [10:0]  o_total,      // neurons over the active layers
    output reg  [9:0]   o_h_last,
    // event source (bitmap RAM read port and issued ops)
    output wire [6:0]   o_bm_raddr,
    input  wire [7:0]   i_bm_rdata,
    output wire         o_ev_op,
    output wire [13:0]  o_ev_addr,
    output wire [7:0]   o_ev_group
);
    localparam integer L = `SNN_MAX_LAYERS;
    localparam integer DRAIN = 4;   // the fire unit writes back 4 clocks after its issue clock
    localparam [1:0] ST_IDLE = 2'd0, ST_SETUP = 2'd1, ST_ISSUE = 2'd2, ST_DRAIN = 2'd3;

    reg  [1:0]  st_r;
    reg         done_r, start_r;
    reg  [10:0] cnt_r;
    reg  [1:0]  drain_r;
    reg  [2:0]  n_layers_r;

    // ---- static layout: groups, membrane bases, neuron offsets of every layer
    reg  [7:0]  g_r   [0:L-1];
    reg  [8:0]  w_r   [0:L-1];
    reg  [7:0]  mb_r  [0:L-1];
    reg  [10:0] cum_r [0:L-1];
    reg  [8:0]  gsum_r;
    integer l;
    // g_r, w_r, mb_r, cum_r, gsum_r, o_total, o_h_last, n_layers_r: derived from the configuration every clock
    always @(posedge i_clk) begin : layout
        reg [8:0]  gs;
        reg [10:0] cs;
        reg [7:0]  mbs;
        gs = 9'd0; cs = 11'd0; mbs = 8'd0;
        n_layers_r <= (i_n_layers == 3'd0) ? 3'd1 : (i_n_layers > 3'(L)) ? 3'(L) : i_n_layers;
        for (l = 0; l < L; l = l + 1) begin
            g_r[l]   <= 8'((i_n_out[10*l +: 10] + 10'd7) >> 3);
            w_r[l]   <= 9'((i_n_in[11*l +: 11] + 11'd7) >> 3);
            mb_r[l]  <= mbs;
            cum_r[l] <= cs;
            if (3'(l) < n_layers_r) begin
                gs  = gs + 9'((i_n_out[10*l +: 10] + 10'd7) >> 3);
                mbs = mbs + 8'((i_n_out[10*l +: 10] + 10'd7) >> 3);
                cs  = cs + {1'b0, i_n_out[10*l +: 10]};
            end
        end
        gsum_r   <= gs;
        o_total  <= cs;
        o_h_last <= i_n_out[10*(n_layers_r - 3'd1) +: 10];
    end
    genvar gl;
    generate
        for (gl = 0; gl < L; gl = gl + 1) begin : g_out
            assign o_mb_all[8*gl +: 8]    = mb_r[gl];
            assign o_cum_all[11*gl +: 11] = cum_r[gl];
        end
    endgenerate

    // ---- per-pass parameters, registered from (o_pass, o_layer)
    reg  [10:0] n_r;        // issue clocks of a counted pass
    reg  [8:0]  ev_wm1_r;   // bitmap words - 1 (an empty layer still has one)
    reg  [7:0]  ev_gm1_r;   // issue clocks per event - 1: max(G, 2) - 1
    reg         ev_g1_r;    // one group: events spaced by a bubble
    reg  [13:0] ev_base_r, ev_step8_r;
    reg  [79:0] ev_tbl_r;
    wire        ev_pass = (o_pass == `PASS_EVT) || (o_pass == `PASS_PEVT);
    integer b;
    // n_r, ev_*_r and the o_* pass parameters: the active layer's fields
    always @(posedge i_clk) begin
        o_h          <= i_n_out[10*o_layer +: 10];
        o_nin0       <= i_n_in[10:0];
        o_mb         <= mb_r[o_layer];
        o_toff       <= i_toff[10*o_layer +: 10];
        o_tneuron    <= i_tneuron[o_layer];
        o_leak       <= i_leak[4*o_layer +: 4];
        o_reset_zero <= i_reset_zero[o_layer];
        case (o_pass)
            `PASS_CLEAR:  n_r <= {2'd0, gsum_r};
            `PASS_PSCAN, `PASS_SCAN: n_r <= {2'd0, w_r[0]};
            `PASS_FIRE, `PASS_CINIT: n_r <= {1'b0, i_n_out[10*o_layer +: 10]};
            `PASS_DECIDE: n_r <= {1'b0, o_h_last};
            default:     n_r <= {3'd0, g_r[0]};
        endcase
        ev_wm1_r   <= (w_r[o_layer] == 9'd0) ? 9'd0 : w_r[o_layer] - 9'd1;
        ev_gm1_r   <= (g_r[o_layer] <= 8'd1) ? 8'd1 : g_r[o_layer] - 8'd1;
        ev_g1_r    <= g_r[o_layer] <= 8'd1;
        ev_base_r  <= i_wbase[14*o_layer +: 14];
        ev_step8_r <= {3'd0, g_r[o_layer], 3'd0};
        for (b = 0; b < 8; b = b + 1)
            ev_tbl_r[10*b +: 10] <= 10'(g_r[o_layer] * b);
    end
    wire [10:0] n_eff = (n_r == 11'd0) ? 11'd1 : n_r;  // an empty layer still takes one clock

    wire ev_last;
    snn_evsrc evsrc (
        .i_clk(i_clk), .i_rst(i_rst),
        .i_start(st_r == ST_SETUP && ev_pass), .i_words_m1(ev_wm1_r), .i_groups_m1(ev_gm1_r), .i_g1(ev_g1_r),
        .i_wbase(ev_base_r), .i_tbl(ev_tbl_r), .i_step8(ev_step8_r),
        .o_raddr(o_bm_raddr), .i_rdata(i_bm_rdata),
        .o_op(o_ev_op), .o_addr(o_ev_addr), .o_group(o_ev_group), .o_last(ev_last)
    );

    assign o_busy       = st_r != ST_IDLE || done_r;
    assign o_start      = start_r;
    assign o_done       = done_r;
    assign o_issue      = st_r == ST_ISSUE && !ev_pass;
    assign o_cnt        = cnt_r;
    assign o_last_step  = o_step == i_steps - 8'd1;
    assign o_last_layer = {1'b0, o_layer} == n_layers_r - 3'd1;

    wire issue_end = ev_pass ? ev_last : (cnt_r == n_eff - 11'd1);

    // st_r, o_pass, o_layer, o_plane, o_step, cnt_r, drain_r, done_r, start_r, o_cycles: the pass schedule
    always @(posedge i_clk) begin
        done_r  <= 1'b0;
        start_r <= 1'b0;
        if (st_r != ST_IDLE)
            o_cycles <= o_cycles + 32'd1;
        if (i_rst) begin
            st_r   <= ST_IDLE;
            o_pass <= `PASS_CLEAR;
        end else begin
            case (st_r)
                ST_IDLE:
                    if (i_start) begin
                        st_r     <= ST_SETUP;
                        start_r  <= 1'b1;
                        o_pass   <= `PASS_CLEAR;
                        o_layer  <= 2'd0;
                        o_plane  <= 3'd0;
                        o_step   <= 8'd0;
                        o_cycles <= 32'd1;
                    end
                ST_SETUP: begin
                    st_r  <= ST_ISSUE;
                    cnt_r <= 11'd0;
                end
                ST_ISSUE: begin
                    cnt_r <= cnt_r + 11'd1;
                    if (issue_end) begin
                        st_r    <= ST_DRAIN;
                        drain_r <= 2'd0;
                    end
                end
                ST_DRAIN: begin
                    drain_r <= drain_r + 2'd1;
                    if (drain_r == 2'(DRAIN - 1)) begin
                        st_r <= ST_SETUP;
                        case (o_pass)
                            `PASS_CLEAR:  o_pass <= i_direct ? `PASS_SET : `PASS_SCAN;
                            `PASS_SET:    o_pass <= `PASS_HALVE;
                            `PASS_HALVE:  o_pass <= `PASS_PSCAN;
                            `PASS_PSCAN:  o_pass <= `PASS_PEVT;
                            `PASS_PEVT: begin
                                o_plane <= o_plane + 3'd1;
                                o_pass  <= (o_plane == 3'd7) ? `PASS_CSTORE : `PASS_HALVE;
                            end
                            `PASS_CSTORE: o_pass <= `PASS_CINIT;
                            `PASS_CINIT:  o_pass <= `PASS_FIRE;
                            `PASS_SCAN:   o_pass <= `PASS_EVT;
                            `PASS_EVT:    o_pass <= `PASS_FIRE;
                            `PASS_FIRE:
                                if (!o_last_layer) begin
                                    o_layer <= o_layer + 2'd1;
                                    o_pass  <= `PASS_EVT;
                                end else if (o_last_step) begin
                                    o_layer <= 2'(n_layers_r - 3'd1);
                                    o_pass  <= `PASS_DECIDE;
                                end else begin
                                    o_layer <= 2'd0;
                                    o_step  <= o_step + 8'd1;
                                    o_pass  <= i_direct ? `PASS_FIRE : `PASS_SCAN;
                                end
                            default: begin   // `PASS_DECIDE: the image is done
                                st_r   <= ST_IDLE;
                                done_r <= 1'b1;
                            end
                        endcase
                    end
                end
                default: st_r <= ST_IDLE;
            endcase
        end
    end
endmodule
