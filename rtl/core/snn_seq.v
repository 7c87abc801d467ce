// snn_seq.v : the core's sequencer: the pass schedule of one image and the parameters of each pass.
// SPDX-License-Identifier: MIT
// An image starts with a layout walk (L + 2 clocks: the lane words of the active layers and the
// size of the last, registered for the whole image and the read-back after it).  Every pass is then:
// two setup clocks (the active layer's fields, then the pass parameters, registered), N issue
// clocks (one op per clock), DRAIN clocks for the deepest pipeline to write back; the output
// layer's fire pass adds SNN_EXIT_CLOCKS for the early-exit check (snn_exit) when it is on.
// docs/accelerator.md lists the passes and their N; hls/snn_cycles.c adds them up.
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_seq (
    input  wire         i_clk,
    input  wire         i_rst,
    input  wire         i_start,
    // configuration: the global fields (snn_cfg; stable while busy) and the layer records, read
    // from its RAM one 16-bit word per clock (o_cfg_raddr -> i_cfg_rdata the clock after)
    input  wire [`SNN_NLAYERS_BITS-1:0] i_n_layers,
    input  wire [7:0]   i_steps,      // the u8 configuration field (SNN_MAX_STEPS <= 255)
    input  wire         i_direct,
    input  wire         i_exit_on,    // early exit enabled (checked after every step but the last)
    input  wire         i_exit,       // snn_exit: stop after this step (valid at the drain's end)
    output reg  [5:0]   o_cfg_raddr,
    input  wire [15:0]  i_cfg_rdata,
    // status
    output wire         o_busy,
    output wire         o_start,      // the clock after i_start: swap buffers, seed the encoder
    output wire         o_done,
    output reg  [31:0]  o_cycles,     // clocks since i_start (valid in the o_done clock)
    // the current pass (valid from the clock after its last setup clock)
    output reg  [3:0]   o_pass,
    output wire         o_issue,      // an op of a counted pass (o_cnt) this clock
    output wire [`SNN_NEURON_BITS-1:0] o_cnt, // counts the issue clocks (at most SNN_MAX_NEURONS)
    output reg  [`SNN_LAYER_BITS-1:0]  o_layer,
    output reg  [7:0]   o_step,
    output wire         o_last_layer,
    // per-pass parameters (registered)
    output wire [`SNN_INPUT_BITS-1:0] o_nin0, // inputs of the layer (layer 0 in the scan passes)
    output reg  [`SNN_INPUT_BITS-1:0] o_h_m1, // neurons of the layer - 1
    output reg  [`SNN_LANE_ADDR_BITS-1:0] o_mb, // first membrane word of the layer
    output wire [`SNN_THR_ADDR_BITS-1:0] o_toff,
    output wire         o_tneuron,
    output wire [3:0]   o_leak,
    output wire         o_reset_zero,
    // layout of the last image (registered by its layout walk)
    output reg  [8:0]   o_gsum,       // lane words (groups of 8 neurons) over the active layers
    output reg  [`SNN_NEURON_BITS:0]   o_res_end, // SNN_RES_COUNTS + the size of the last layer: the result region's end
    // event source (bitmap RAM read port and issued ops)
    output wire [`SNN_BITMAP_ADDR_BITS-1:0] o_bm_raddr,
    input  wire [8:0]   i_bm_rdata,   // bitmap word, bit 8: any bit set
    output wire         o_ev_op,
    output wire [`SNN_WADDR_BITS-1:0] o_ev_addr,
    output wire [7:0]   o_ev_word,    // lane word of the issued event op (o_mb + group, MAC: i_mac_base + group)
    output wire [6:0]   o_ev_bword,   // its bitmap word (= pixel word)
    output wire [7:0]   o_ev_lb,      // its input's lane, one-hot
    input  wire [7:0]   i_mac_base,   // first lane word of the direct current
    // lane words of the counted op this clock, registered: o_mb + o_cnt / 8 and o_mb + o_cnt[7:0]
    output reg  [7:0]   o_word_j,
    output reg  [7:0]   o_word_c
);
    localparam integer L = `SNN_MAX_LAYERS;
    localparam integer DRAIN = `SNN_PASS_DRAIN;   // the fire unit writes back DRAIN clocks after its issue clock
    localparam integer XC    = `SNN_EXIT_CLOCKS;
    localparam [2:0] ST_IDLE = 3'd0, ST_LAYOUT = 3'd1, ST_SETUP1 = 3'd2, ST_SETUP2 = 3'd3,
                     ST_ISSUE = 3'd4, ST_DRAIN = 3'd5;
    generate
        if (`SNN_PASS_SETUP != 2 || `SNN_LAYOUT_CLOCKS != L + 2 || DRAIN < 6 || DRAIN + XC > 15) begin : g_bad_schedule
            // the states below have 2 setup clocks, an L + 2 clock layout walk, a 4-bit drain
            // count, and the fire unit needs 6 drain clocks
            snn_seq_schedule_constants_changed bad ();
        end
    endgenerate

    reg  [2:0]  st_r;
    reg         done_r, start_r;
    reg  [9:0]  cnt_r;
    reg  [10:0] rem_r;
    reg  [3:0]  drain_r;
    reg         ext_r;       // this pass is followed by the early-exit check
    reg  [2:0]  lay_r;       // layout walk: clock index 0..L+1
    reg  [2:0]  n_layers_r;
    reg  [`SNN_NEURON_BITS-1:0] h_last_r;   // neurons of the last active layer
    reg  [7:0]  steps_m1_r;
    wire        last_step = o_step == steps_m1_r;

    // ---- the fields of the active layer (l_*), fetched from the configuration RAM.  Every pass
    // ends with 8 fetch clocks (its DRAIN = 6 drain clocks, then the 2 setup clocks of the next
    // pass) that read the 7 words of the next pass's layer record, one per clock, in an order that
    // overwrites no field before its last use by the pass that is draining: n_in, threshold
    // mode, weight offset (2 words) as the drain starts; n_out (G, which the last drain clock
    // adds to o_mb) in the last drain clock; the threshold offset in time for the first threshold
    // read (3 clocks after the first issue); leak and reset last (the fire unit uses them 1-3
    // clocks after an issue).  The early-exit clocks after the drain re-read words 6 and 7.
    localparam integer RW    = `SNN_CFG_LAYER_BYTES / 2;   // words per layer record
    localparam [5:0]   REC0  = 6'(`SNN_CFG_LAYER0 / 2);
    localparam [2:0] W_N_IN = 3'(`SNN_CFG_L_N_IN / 2), W_N_OUT = 3'(`SNN_CFG_L_N_OUT / 2),
                     W_LEAK = 3'(`SNN_CFG_L_LEAK / 2), W_TMODE = 3'(`SNN_CFG_L_TMODE / 2),
                     W_WOFF = 3'(`SNN_CFG_L_WOFFSET / 2), W_TOFF = 3'(`SNN_CFG_L_TOFFSET / 2);
    generate
        if (`SNN_CFG_L_N_IN % 2 != 0 || `SNN_CFG_L_N_OUT % 2 != 0 || `SNN_CFG_L_LEAK % 2 != 0 ||
            `SNN_CFG_L_RESET != `SNN_CFG_L_LEAK + 1 || `SNN_CFG_L_TMODE % 2 != 0 ||
            `SNN_CFG_L_WOFFSET % 2 != 0 || `SNN_CFG_L_TOFFSET % 2 != 0 || `SNN_CFG_LAYER0 % 2 != 0 ||
            `SNN_CFG_LAYER_BYTES != 16) begin : g_bad_layout
            // the fetch below reads each field from one word at a fixed bit position
            snn_seq_config_layout_changed bad ();
        end
    endgenerate

    reg  [10:0] l_n_in_r;
    reg  [9:0]  l_n_out_r, l_toff_r;
    reg  [3:0]  l_leak_r;
    reg         l_rz_r, l_tn_r;
    reg  [13:0] l_wbase_r;
    reg  [7:0]  l_g_r;       // ceil(H / 8)
    reg  [8:0]  l_w_r;       // ceil(I / 8)
    reg  [2:0]  fetch_r;     // FETCH clock of the word read last clock
    reg         fetch_v_r;   // a layer-record word is on i_cfg_rdata
    reg  [1:0]  next_layer_r;
    reg  [2:0]  fetch_k;     // FETCH clock of this clock (drain_r, then 6 and 7 in setup)
    reg  [2:0]  fetch_w;     // the word it reads
    always @(*) begin
        fetch_k = (st_r == ST_SETUP1) ? 3'd6 : (st_r == ST_SETUP2 || drain_r > 4'd7) ? 3'd7 : drain_r[2:0];
        case (fetch_k)
            3'd0:    fetch_w = W_N_IN;
            3'd1:    fetch_w = W_TMODE;
            3'd2:    fetch_w = W_WOFF;
            3'd3:    fetch_w = W_WOFF + 3'd1;
            3'd5:    fetch_w = W_N_OUT;
            3'd6:    fetch_w = W_TOFF;
            default: fetch_w = W_LEAK;
        endcase
    end
    // next_layer_r: the layer of the pass after this one (only a FIRE pass moves on), set in the
    // issue clocks and held through the drain and the next pass's setup
    always @(posedge i_clk)
        if (st_r != ST_ISSUE)            next_layer_r <= next_layer_r;
        else if (o_pass != `PASS_FIRE)   next_layer_r <= o_layer;
        else if (!o_last_layer)          next_layer_r <= o_layer + 2'd1;
        else                             next_layer_r <= last_step ? o_layer : 2'd0;
    // o_cfg_raddr, fetch_r, fetch_v_r: the word read this clock: in the layout walk n_out of
    // layer lay_r, in a drain or setup clock word fetch_w of the next pass's layer record
    always @(posedge i_clk) begin
        fetch_v_r <= st_r == ST_DRAIN || st_r == ST_SETUP1 || st_r == ST_SETUP2;
        fetch_r   <= fetch_k;
    end
    always @(*)
        if (st_r == ST_LAYOUT)
            o_cfg_raddr = REC0 + 6'(RW) * 6'(lay_r[1:0]) + 6'(W_N_OUT);
        else
            o_cfg_raddr = REC0 + 6'(RW) * 6'(next_layer_r) + 6'(fetch_w);
    // l_*: the fetched fields (n_out in every layout-walk clock too), with G and W
    always @(posedge i_clk) begin
        if (st_r == ST_LAYOUT || (fetch_v_r && fetch_r == 3'd5)) begin
            l_n_out_r <= i_cfg_rdata[9:0];
            l_g_r     <= 8'((i_cfg_rdata[9:0] + 10'd7) >> 3);
        end
        if (fetch_v_r)
            case (fetch_r)
                3'd0: begin
                    l_n_in_r <= i_cfg_rdata[10:0];
                    l_w_r    <= 9'((i_cfg_rdata[10:0] + 11'd7) >> 3);
                end
                3'd1: l_tn_r           <= i_cfg_rdata[0];
                3'd2: l_wbase_r[12:0]  <= i_cfg_rdata[15:3];
                3'd3: l_wbase_r[13]    <= i_cfg_rdata[0];
                3'd6: l_toff_r         <= i_cfg_rdata[9:0];
                3'd4, 3'd7: begin
                    l_leak_r <= i_cfg_rdata[3:0];
                    l_rz_r   <= i_cfg_rdata[8];
                end
                default: ;
            endcase
    end
    always @(posedge i_clk) begin
        n_layers_r <= (i_n_layers == 3'd0) ? 3'd1 : (i_n_layers > 3'(L)) ? 3'(L) : i_n_layers;
        steps_m1_r <= i_steps - 8'd1;
    end
    assign o_nin0       = l_n_in_r;
    assign o_toff       = l_toff_r;
    assign o_tneuron    = l_tn_r;
    assign o_leak       = l_leak_r;
    assign o_reset_zero = l_rz_r;

    // ---- layout walk (L + 2 clocks): clock k reads n_out of layer k, so in clock k = 2..L+1
    // l_n_out_r and l_g_r hold layer k - 2
    wire [1:0]  lay_l = 2'(lay_r - 3'd2);
    wire        lay_active = {1'b0, lay_l} < n_layers_r;
    // o_gsum, h_last_r, o_res_end: the lane words of the active layers, the size of the last one
    always @(posedge i_clk)
        if (st_r == ST_LAYOUT) begin
            if (lay_r == 3'd0)
                o_gsum <= 9'd0;
            else if (lay_r != 3'd1 && lay_active) begin
                o_gsum   <= o_gsum + {1'b0, l_g_r};
                h_last_r  <= l_n_out_r;
                o_res_end <= {1'b0, l_n_out_r} + 11'(`SNN_RES_COUNTS);
            end
        end

    // ---- per-pass parameters, registered in the second setup clock from l_*
    localparam [7:0] EVT_SP = 8'(`SNN_EVT_SPACING);
    reg  [7:0]  ev_gm1_r;   // issue clocks per event - 1: max(G, spacing) - 1
    wire        ev_pass = (o_pass == `PASS_EVT) || (o_pass == `PASS_MAC);
    // rem_r, o_h_m1, ev_gm1_r, ext_r: issue clocks of a counted pass (counted down), the layer's
    // event parameters, whether the early-exit check follows the drain
    always @(posedge i_clk)
        if (st_r == ST_SETUP2) begin
            case (o_pass)
                `PASS_CLEAR:  rem_r <= {2'd0, o_gsum};
                `PASS_NZSCAN, `PASS_SCAN: rem_r <= {2'd0, l_w_r};
                `PASS_FIRE, `PASS_LEAK: rem_r <= {1'b0, l_n_out_r};
                `PASS_DECIDE: rem_r <= {1'b0, h_last_r};
                default:     rem_r <= {3'd0, l_g_r};
            endcase
            o_h_m1   <= {1'b0, l_n_out_r} - 11'd1;
            ev_gm1_r <= (l_g_r < EVT_SP) ? EVT_SP - 8'd1 : l_g_r - 8'd1;
            ext_r    <= o_pass == `PASS_FIRE && o_last_layer && i_exit_on && !last_step;
        end else if (st_r == ST_ISSUE)
            rem_r <= rem_r - 11'd1;

    // ev_start_r: the event source starts in SETUP2, registered in SETUP1 (which always goes on
    // to SETUP2 but on a reset, and changes no o_pass), so that its start is a flip-flop
    reg ev_start_r;
    always @(posedge i_clk)
        ev_start_r <= !i_rst && st_r == ST_SETUP1 && ev_pass;

    wire ev_last;
    snn_evsrc evsrc (
        .i_clk(i_clk), .i_rst(i_rst),
        .i_start(ev_start_r), .i_words(l_w_r), .i_groups_m1(ev_gm1_r),
        .i_wbase(l_wbase_r), .i_groups(l_g_r), .i_mb(o_pass == `PASS_MAC ? i_mac_base : o_mb),
        .o_raddr(o_bm_raddr), .i_rdata(i_bm_rdata[7:0]), .i_rdata_any(i_bm_rdata[8]),
        .o_op(o_ev_op), .o_addr(o_ev_addr), .o_word(o_ev_word), .o_bword(o_ev_bword), .o_lb(o_ev_lb),
        .o_last(ev_last)
    );

    assign o_busy       = st_r != ST_IDLE || done_r;
    assign o_start      = start_r;
    assign o_done       = done_r;
    assign o_issue      = st_r == ST_ISSUE && !ev_pass;
    assign o_cnt        = cnt_r;
    assign o_last_layer = {1'b0, o_layer} == n_layers_r - 3'd1;

    // a counted pass ends when at most one issue clock is left (an empty layer still takes one)
    wire issue_end = ev_pass ? ev_last : (rem_r[10:1] == 10'd0);

    // st_r, lay_r, o_pass, o_layer, o_step, o_mb, cnt_r, o_word_j, o_word_c, drain_r,
    // done_r, start_r, o_cycles: the pass schedule
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
                        st_r     <= ST_LAYOUT;
                        start_r  <= 1'b1;
                        lay_r    <= 3'd0;
                        o_pass   <= `PASS_CLEAR;
                        o_layer  <= 2'd0;
                        o_step   <= 8'd0;
                        o_mb     <= 8'd0;
                        o_cycles <= 32'd1;
                    end
                ST_LAYOUT: begin
                    lay_r <= lay_r + 3'd1;
                    if (lay_r == 3'(L + 1))
                        st_r <= ST_SETUP1;
                end
                ST_SETUP1: st_r <= ST_SETUP2;
                ST_SETUP2: begin
                    st_r     <= ST_ISSUE;
                    cnt_r    <= 10'd0;
                    o_word_j <= o_mb;
                    o_word_c <= o_mb;
                end
                ST_ISSUE: begin
                    cnt_r    <= cnt_r + 10'd1;
                    o_word_j <= o_word_j + {7'd0, cnt_r[2:0] == 3'd7};
                    o_word_c <= o_word_c + 8'd1;
                    if (issue_end) begin
                        st_r    <= ST_DRAIN;
                        drain_r <= 4'd0;
                    end
                end
                ST_DRAIN: begin
                    drain_r <= drain_r + 4'd1;
                    if (drain_r == (ext_r ? 4'(DRAIN + XC - 1) : 4'(DRAIN - 1))) begin
                        st_r <= ST_SETUP1;
                        case (o_pass)
                            `PASS_CLEAR:  o_pass <= i_direct ? `PASS_CSET : `PASS_SCAN;
                            `PASS_CSET:   o_pass <= `PASS_NZSCAN;
                            `PASS_NZSCAN: o_pass <= `PASS_MAC;
                            `PASS_MAC:    o_pass <= `PASS_FIRE;
                            `PASS_SCAN:   o_pass <= (o_step != 8'd0) ? `PASS_LEAK : `PASS_EVT;
                            `PASS_LEAK:   o_pass <= `PASS_EVT;
                            `PASS_EVT:    o_pass <= `PASS_FIRE;
                            `PASS_FIRE:
                                if (!o_last_layer) begin
                                    o_layer <= o_layer + 2'd1;
                                    o_mb    <= o_mb + l_g_r;
                                    o_pass  <= (o_step != 8'd0) ? `PASS_LEAK : `PASS_EVT;
                                end else if (last_step || (ext_r && i_exit)) begin
                                    o_pass  <= `PASS_DECIDE;   // o_layer is the last layer already
                                end else begin
                                    o_layer <= 2'd0;
                                    o_mb    <= 8'd0;
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
