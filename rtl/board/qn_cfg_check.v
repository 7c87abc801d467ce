// qn_cfg_check.v : checks a configuration image byte by byte as it arrives (SNN_CFG_* layout)
// and keeps what the protocol engine needs from it (n_in of layer 0, n_out of the last layer).
// Three register stages (byte, field checks, verdict) keep it off the critical path.
// Layers arrive in order and n_in comes before n_out in a record, so one register (the last
// n_out seen) serves both the n_in(l) = n_out(l-1) check and the last layer's n_out.
// The verdict is snn_model_check's on everything the configuration holds (docs/arith.md
// "Capacity"; sim/unit/tb_qn_cfg_check.cpp compares the two on random configurations): also the
// weight and threshold offsets, which must follow each other from 0 (the weight region of
// layer l takes n_in * SNN_PAD_LANES(n_out) bytes, added by a shift-add multiplier once the
// layer's own weight offset has been compared, while its last four bytes arrive), and at most
// 256 neurons in the last layer (the class is 8 bits).
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"

module qn_cfg_check (
    // clock and reset
    input  wire        i_clk,
    input  wire        i_clear,     // start of a WRITE_CONFIG payload
    // the payload, in order
    input  wire        i_valid,
    input  wire [6:0]  i_idx,       // byte offset, 0 .. SNN_CFG_BYTES-1
    input  wire [7:0]  i_data,
    // verdict, valid three clocks after the last byte
    output wire        o_ok,
    output wire [10:0] o_n_in0,     // inputs of layer 0 (pixels per image)
    output wire [9:0]  o_n_out_last,// neurons of the last layer (output spike counts)
    output reg         o_q4         // input bits SNN_INPUT_BITS_Q4 (else SNN_INPUT_BITS_RAW)
);
    localparam integer L = `SNN_MAX_LAYERS;
`include "qn_gt.vh"

    // layer records are SNN_CFG_LAYER_BYTES = 16 bytes from SNN_CFG_LAYER0 = 16: idx[6:4] - 1
    // is the layer, idx[3:0] the field

    // ---- stage A: the byte, the field it completes, the value of that field
    reg        a_valid_r;
    reg  [7:0] a_data_r;
    reg  [1:0] a_layer_r;
    reg        a_n_in_r, a_n_out_r, a_leak_r, a_reset_r, a_tmode_r, a_woff_r, a_toff_r;  // its field
    reg  [6:0] a_idx_r;
    reg        a_woff_eq_r;         // the u32 field ending at this byte equals acc_w_r
    reg        a_toff_eq_r;         // the u16 field ending at this byte equals next_t_r
    reg        woff_run_r;          // the weight offset's bytes so far equal acc_w_r's
    reg [11:0] next_t_r;            // threshold entries taken by the configured layers so far
    reg [23:0] acc_w_r;             // weight bytes taken by the configured layers so far
    reg  [7:0] lo_r;                // the byte before this one (updated after stage B)
    reg        a_zero_r;            // the byte is 0
    reg        a_gt_steps_r;        // the byte is above steps_r
    reg  [7:0] steps_r;             // T: byte SNN_CFG_STEPS, set in its stage B
    wire [1:0] rec = 2'(i_idx[6:4] - 3'd1);
    reg  [L-1:0] layer_en_r;        // bit l: layer l < n_layers (set by byte 0)
    wire       act = qn_gt(32'(i_idx), `SNN_CFG_LAYER0 - 1) && layer_en_r[rec];
    // the u32 weight offset is compared a byte at a time (its top byte with 0)
    localparam [1:0] WOFF_Q = 2'(`SNN_CFG_L_WOFFSET / 4);
    wire       in_woff = i_idx[3:2] == WOFF_Q;
    wire [7:0] acc_byte = i_idx[1:0] == 2'd0 ? acc_w_r[7:0] : i_idx[1:0] == 2'd1 ? acc_w_r[15:8] :
                          i_idx[1:0] == 2'd2 ? acc_w_r[23:16] : 8'd0;
    wire       woff_eq = (i_data == acc_byte) && (i_idx[1:0] == 2'd0 || woff_run_r);
    generate
        if (`SNN_CFG_L_WOFFSET % 4 != 0 || `SNN_CFG_LAYER_BYTES != 16) begin : g_bad_layout
            // the weight offset is found on i_idx[3:2] and its bytes on i_idx[1:0]
            qn_cfg_check_layout_changed bad ();
        end
        if (`SNN_CFG_STEPS >= `SNN_CFG_EXIT_MIN) begin : g_bad_exit_order
            // a_gt_steps_r of the exit minimum's byte reads steps_r, so T must come first
            qn_cfg_check_steps_must_precede_exit_min bad ();
        end
    endgenerate

    // a_*_r, lo_r, woff_run_r: register the byte and pre-decode where it sits
    always @(posedge i_clk) begin
        a_valid_r     <= i_valid && !i_clear;
        a_data_r      <= i_data;
        a_zero_r      <= i_data == 8'd0;
        a_gt_steps_r  <= i_data > steps_r;
        a_idx_r       <= i_idx;
        a_layer_r     <= rec;
        a_n_in_r      <= act && (i_idx[3:0] == 4'(`SNN_CFG_L_N_IN + 1));
        a_n_out_r     <= act && (i_idx[3:0] == 4'(`SNN_CFG_L_N_OUT + 1));
        a_leak_r      <= act && (i_idx[3:0] == 4'(`SNN_CFG_L_LEAK));
        a_reset_r     <= act && (i_idx[3:0] == 4'(`SNN_CFG_L_RESET));
        a_tmode_r     <= act && (i_idx[3:0] == 4'(`SNN_CFG_L_TMODE));
        a_woff_r      <= act && (i_idx[3:0] == 4'(`SNN_CFG_L_WOFFSET + 3));
        a_toff_r      <= act && (i_idx[3:0] == 4'(`SNN_CFG_L_TOFFSET + 1));
        a_woff_eq_r   <= woff_eq;
        a_toff_eq_r   <= ({i_data, lo_r} == 16'(next_t_r));
        if (a_valid_r) lo_r <= a_data_r;                 // bytes come at least 2 clocks apart
        if (i_valid && in_woff) woff_run_r <= woff_eq;
    end

    // ---- stage B: the checks of this byte's field; lo_r still holds the byte before
    wire [15:0] a_v16 = {a_data_r, lo_r};   // the u16 field ending at this byte
    reg  [11:0] total_r;            // neurons so far over the configured layers (<= 4 x 1023)
    reg  [10:0] n_in0_r;
    reg  [9:0]  out_r;              // n_out of the last configured layer so far
    reg         b_err_r;
    wire        f_n_in  = a_n_in_r;
    wire        f_n_out = a_n_out_r;

    // steps_r, exit_lead_mode_r, exit_k0_r: kept for the early-exit check at SNN_CFG_EXIT_MIN
    // (lead: K >= 1 and 1 <= M <= T; off and exact: K = M = 0; snn_model_check's rule; a mode
    // past SNN_EXIT_LEAD fails on its own byte)
    reg       exit_lead_mode_r, exit_k0_r;
    always @(posedge i_clk)
        if (a_valid_r) begin
            if (a_idx_r == 7'(`SNN_CFG_STEPS))     steps_r          <= a_data_r;
            if (a_idx_r == 7'(`SNN_CFG_EXIT_MODE)) exit_lead_mode_r <= (a_data_r == 8'(`SNN_EXIT_LEAD));
            if (a_idx_r == 7'(`SNN_CFG_EXIT_LEAD)) exit_k0_r        <= a_zero_r;
        end
    wire exit_bad = exit_lead_mode_r ? exit_k0_r || a_zero_r || a_gt_steps_r
                                     : !exit_k0_r || !a_zero_r;

    reg err;
    always @(*) begin
        err = 1'b0;
        if (a_idx_r == 7'(`SNN_CFG_EXIT_MIN) && exit_bad) err = 1'b1;
        if (a_idx_r == 7'(`SNN_CFG_EXIT_MODE) && qn_gt(32'(a_data_r), `SNN_EXIT_LEAD)) err = 1'b1;
        if (a_idx_r == 7'(`SNN_CFG_N_LAYERS) && (a_zero_r || qn_gt(32'(a_data_r), L))) err = 1'b1;
        // steps: 1..255 (SNN_MAX_STEPS is the u8 maximum)
        if (a_idx_r == 7'(`SNN_CFG_STEPS) && a_zero_r) err = 1'b1;
        if (a_idx_r == 7'(`SNN_CFG_ENCODING) && qn_gt(32'(a_data_r), `SNN_ENCODING_DIRECT)) err = 1'b1;
        if (a_idx_r == 7'(`SNN_CFG_INPUT_BITS) && a_data_r != 8'(`SNN_INPUT_BITS_RAW) &&
            a_data_r != 8'(`SNN_INPUT_BITS_Q4)) err = 1'b1;
        if (a_leak_r && qn_gt(32'(a_data_r), `SNN_MAX_LEAK_SHIFT)) err = 1'b1;
        if (a_reset_r && qn_gt(32'(a_data_r), `SNN_RESET_ZERO)) err = 1'b1;
        if (a_tmode_r && qn_gt(32'(a_data_r), `SNN_THRESHOLD_NEURON)) err = 1'b1;
        if (a_woff_r && !a_woff_eq_r) err = 1'b1;
        if (a_toff_r && !a_toff_eq_r) err = 1'b1;
    end

    // the two arithmetic checks get a register of their own (no OR tree behind the compares);
    // n_in of a later layer equals the previous n_out, which is checked against its maximum
    wire err_n_in  = f_n_in && (a_v16 == 16'd0 ||
                                (a_layer_r == 2'd0 ? qn_gt(32'(a_v16), `SNN_MAX_INPUTS)
                                                   : a_v16 != {6'd0, out_r}));
    wire err_n_out = f_n_out && (a_v16 == 16'd0 || qn_gt(32'(a_v16), `SNN_MAX_NEURONS));
    reg  b_err_in_r, b_err_out_r;

    // tmode_r, mul_*_r, acc_w_r: once this layer's weight offset has been compared with it,
    // acc_w_r += n_in * 8 * ceil(n_out / 8), the end of its weights, one shift-add step per clock
    // (7 clocks, during the record's last four bytes, at least 12 clocks).  n_in waits in mul_a_r.
    // Only valid sizes need the right product (n_in <= 1024, n_out <= 512: 7 bits of lanes);
    // others fail anyway.
    reg        tmode_r;
    reg [19:0] mul_a_r;
    reg [6:0]  mul_b_r;
    wire [6:0] n_out_lanes = 7'((out_r + 10'd7) >> 3);                // ceil(n_out / 8)
    always @(posedge i_clk) begin
        if (a_valid_r && a_tmode_r) tmode_r <= a_data_r[0];
        if (i_clear) begin
            acc_w_r <= 24'd0;
            mul_b_r <= 7'd0;
        end else if (a_valid_r && f_n_in) begin
            mul_a_r <= {6'd0, a_v16[10:0], 3'd0};
        end else if (a_valid_r && a_woff_r) begin
            mul_b_r <= n_out_lanes;
        end else if (mul_b_r != 7'd0) begin
            if (mul_b_r[0]) acc_w_r <= acc_w_r + 24'(mul_a_r);
            mul_a_r <= mul_a_r << 1;
            mul_b_r <= mul_b_r >> 1;
        end
    end

    integer j;
    // layer_en_r, total_r, n_in0_r, out_r, next_t_r, b_err_r: the fields kept, and
    // this byte's verdict
    always @(posedge i_clk) begin
        b_err_r     <= a_valid_r && err;
        b_err_in_r  <= a_valid_r && err_n_in;
        b_err_out_r <= a_valid_r && err_n_out;
        if (i_clear) begin
            layer_en_r <= '0;
            total_r    <= 12'd0;
            n_in0_r    <= 11'd0;
            out_r      <= 10'd0;
            next_t_r   <= 12'd0;
        end else if (a_valid_r) begin
            if (a_toff_r) next_t_r <= next_t_r + (tmode_r ? {2'd0, out_r} : 12'd1);
            if (a_idx_r == 7'(`SNN_CFG_INPUT_BITS)) o_q4 <= (a_data_r == 8'(`SNN_INPUT_BITS_Q4));
            if (a_idx_r == 7'(`SNN_CFG_N_LAYERS))
                for (j = 0; j < L; j = j + 1) layer_en_r[j] <= qn_gt(32'(a_data_r), j);
            if (f_n_in && a_layer_r == 2'd0) n_in0_r <= a_v16[10:0];
            if (f_n_out) begin
                out_r   <= a_v16[9:0];
                total_r <= total_r + {2'd0, a_v16[9:0]};
            end
        end
    end

    // ---- stage C: bad_r, any field wrong since the clear; the layers' neurons, weight bytes and
    // threshold entries together must fit their memories (they only grow, so checking after
    // each add is enough); classes_bad_r: the last configured layer has more than 256 neurons
    reg bad_r, classes_bad_r;
    always @(posedge i_clk) begin
        classes_bad_r <= qn_gt(32'(out_r), `SNN_MAX_CLASSES);
        if (i_clear) bad_r <= 1'b0;
        else if (b_err_r || b_err_in_r || b_err_out_r || qn_gt(32'(total_r), `SNN_MAX_TOTAL_NEURONS) ||
                 qn_gt(32'(acc_w_r), `SNN_WEIGHT_BYTES) || qn_gt(32'(next_t_r), `SNN_MAX_TOTAL_NEURONS))
            bad_r <= 1'b1;
    end

    assign o_ok = !bad_r && !classes_bad_r;
    assign o_n_in0 = n_in0_r;
    assign o_n_out_last = out_r;
endmodule
