// snn_core.v : the Quantarion LIF accelerator core: byte bus, memories, lanes, fire unit, sequencer.
// SPDX-License-Identifier: MIT
// Interface and bus regions: docs/accelerator.md (fixed).  Schedule, memory map, bus read
// latency (3 clocks) and the cycle model: docs/accelerator.md, hls/snn_cycles.c.
`default_nettype none
`include "snn_config.vh"
`include "snn_pass.vh"

module snn_core (
    // clock and reset
    input  wire                          i_clk,
    input  wire                          i_rst,        // synchronous, active high
    // byte bus: configuration, weights, thresholds, pixels, results
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
    localparam integer NL    = `SNN_LANES;
    localparam integer AW    = `SNN_BUS_ADDR_BITS;
    localparam integer RS    = `SNN_BUS_REGION_SHIFT;
    localparam integer MAXG  = `SNN_MAX_NEURONS / `SNN_LANES;     // lane words of one layer
    localparam [7:0]   CB    = 8'(256 - MAXG);                    // lane words of the direct current
    // (a multiple of MAXG: CB + g for g < MAXG is CB | g, no adder in a read-address path)
    localparam integer AB    = `CORE_ACC_BITS;
    localparam integer MACB  = `CORE_MAC_BITS;                    // significant bits of a current word
    localparam integer DS    = `SNN_DIRECT_SHIFT;
    localparam integer NTHR  = `SNN_MAX_TOTAL_NEURONS;
`include "qn_gt.vh"
    localparam [2:0] SRC_ZERO = 3'd0, SRC_WEIGHT = 3'd1, SRC_THR = 3'd2, SRC_CFG = 3'd3,   // read-back sources
                     SRC_CLASS = 3'd4, SRC_CYCLES = 3'd5, SRC_COUNT = 3'd6, SRC_MEM = 3'd7;
    // Elaboration stops, naming the constant, where hls/snn_config.def asks for more than the
    // widths below carry: the memories and their address maps are sized for the UP5K capacity.
    generate
        if (`SNN_RES_CLASS % 2 != 0 || `SNN_RES_STEPS != `SNN_RES_CLASS + 1) begin : g_bad_result_layout
            // the class and the steps used are read as the two bytes of one source (SRC_CLASS)
            snn_core_SNN_RES_STEPS_must_follow_SNN_RES_CLASS bad ();
        end
        if (`SNN_LANES != 8 || `SNN_WEIGHT_BITS != 8) begin : g_bad_lanes
            // 4 SPRAM x 16 bits = one word of 8 INT8 weights; the byte selects assume 8 lanes
            snn_core_SNN_LANES_must_be_8 bad ();
        end
        if (`SNN_LANE_ADDR_BITS != 8 || `SNN_MAX_NEURONS / `SNN_LANES > 64) begin : g_bad_lane_words
            // one 256 x 16 EBR per lane and RAM: the membranes, then the direct currents at 256 - MAXG
            snn_core_SNN_MAX_TOTAL_NEURONS_or_SNN_MAX_NEURONS_exceed_the_256_lane_words bad ();
        end
        if (`SNN_NEURON_BITS != 10 || `SNN_MAX_NEURONS < 256) begin : g_bad_neurons
            // the fire unit's and sequencer's neuron counters, the 8-bit class and result index
            snn_core_SNN_MAX_NEURONS_must_be_from_256_to_512 bad ();
        end
        if (`SNN_INPUT_BITS != 11 || `SNN_BITMAP_ADDR_BITS != 7) begin : g_bad_inputs
            // the pixel and spike bitmap RAMs hold 2 x 128 words of 8 inputs
            snn_core_SNN_MAX_INPUTS_must_be_from_513_to_1024 bad ();
        end
        if (`SNN_THR_ADDR_BITS != 10) begin : g_bad_thresholds
            // the configuration's 10-bit threshold offsets, the 1024-entry threshold RAM
            snn_core_SNN_MAX_TOTAL_NEURONS_must_be_from_513_to_1024 bad ();
        end
        if (`SNN_WADDR_BITS != 14 || `SNN_MAX_LAYERS != 4 || `SNN_STEP_BITS > 8) begin : g_bad_sizes
            // 4 SB_SPRAM256KA; 4 layer records fetched by 2-bit layer indices; u8 steps and counts
            snn_core_SNN_WEIGHT_BYTES_SNN_MAX_LAYERS_or_SNN_MAX_STEPS_changed bad ();
        end
    endgenerate

    // ------------------------------------------------------------------ configuration, sequencer
    wire [2:0]  cfg_n_layers;
    wire [7:0]  cfg_steps;
    wire        cfg_direct;
    wire [1:0]  cfg_exit_mode;
    wire [7:0]  cfg_exit_lead, cfg_exit_min;
    wire        exit_now;
    wire [5:0]  cfg_seq_raddr;
    wire [15:0] cfg_rdata;

    wire        seq_start, seq_done, seq_issue, ev_op, last_layer;
    wire [31:0] seq_cycles;
    wire [3:0]  pass;
    wire [9:0]  cnt;
    wire [10:0] nin0;
    wire [8:0]  gsum;
    wire [1:0]  layer;
    wire [7:0]  step, mb, ev_word, word_j, word_c, ev_lb;
    wire [6:0]  ev_bword;
    wire [8:0]  bm_rdata;
    wire [6:0]  bm_ev_raddr;
    wire [9:0]  toff;
    wire [10:0] res_end;
    wire [10:0] h_m1;
    wire        tneur, rzero;
    wire [3:0]  leak;
    wire [13:0] ev_addr;

    // bus write request, registered (performed the clock after i_bus_we)
    reg        bw_ok_r;                                    // core idle: model memories writable
    reg        bw_cfg_r, bw_wt_r, bw_thr_r, bw_pix_r, bw_seed_r; // the write, decoded by region and range
    reg [16:0] bw_off_r;
    reg [7:0]  bw_data_r;
    // read pipeline: b0 request -> br1 (RAM addresses) -> br2 (byte select) -> rdata_r (latency 3)
    reg        br1_r, br2_r, rvalid_r, br1_idle_r;
    reg [2:0]  br1_reg_r;
    reg [2:0]  br2_src_r;   // the source of the byte, decoded from region and offset in stage 1
    reg [16:0] br1_off_r;
    reg [2:0]  br2_off_r;   // the byte within a word
    reg [2:0]  br2_lane_r;
    reg        br2_ok_r;
    reg        br1_fixed_ok_r;   // the request passed its region's fixed bounds
    reg [7:0]  rdata_r;
    wire [7:0] br1_res_j = br1_off_r[7:0] - 8'(`SNN_RES_COUNTS);
    // mem_bus_*: the membrane read-back entry -> (lane word, lane): entry 8 * mb_l + n of layer l
    // (hls/snn_bus.c, snn_membrane_slot) is neuron n's lane and word as they are
    wire [7:0]  mem_bus_raddr = br1_off_r[11:4];
    wire [2:0]  mem_bus_lane  = br1_off_r[3:1];

    snn_cfg cfg (
        .i_clk(i_clk), .i_rst(i_rst),
        .i_we(bw_cfg_r && bw_ok_r),
        .i_waddr(bw_off_r[6:0]), .i_wdata(bw_data_r),
        .i_raddr(br1_idle_r ? br1_off_r[6:1] : cfg_seq_raddr), .o_rdata(cfg_rdata),
        .o_n_layers(cfg_n_layers), .o_steps(cfg_steps), .o_direct(cfg_direct),
        .o_exit_mode(cfg_exit_mode), .o_exit_lead(cfg_exit_lead), .o_exit_min(cfg_exit_min)
    );

    snn_seq seq (
        .i_clk(i_clk), .i_rst(i_rst), .i_start(i_start),
        .i_n_layers(cfg_n_layers), .i_steps(cfg_steps), .i_direct(cfg_direct),
        .i_exit_on(cfg_exit_mode != 2'(`SNN_EXIT_OFF)), .i_exit(exit_now),
        .o_cfg_raddr(cfg_seq_raddr), .i_cfg_rdata(cfg_rdata),
        .o_busy(o_busy), .o_start(seq_start), .o_done(seq_done), .o_cycles(seq_cycles),
        .o_pass(pass), .o_issue(seq_issue), .o_cnt(cnt), .o_layer(layer),
        .o_step(step), .o_last_layer(last_layer),
        .o_h_m1(h_m1), .o_nin0(nin0), .o_mb(mb), .o_toff(toff), .o_tneuron(tneur), .o_leak(leak),
        .o_reset_zero(rzero), .o_gsum(gsum), .o_res_end(res_end),
        .o_bm_raddr(bm_ev_raddr), .i_bm_rdata(bm_rdata), .o_ev_op(ev_op), .o_ev_addr(ev_addr),
        .o_ev_word(ev_word), .o_ev_bword(ev_bword), .o_ev_lb(ev_lb), .i_mac_base(CB),
        .o_word_j(word_j), .o_word_c(word_c)
    );
    assign o_done = seq_done;
    wire idle = !o_busy;

    // ------------------------------------------------------------------ stage 0 -> 1 tags
    wire       op0 = seq_issue || ev_op;
    reg        s1_v_r;
    reg [3:0]  s1_pass_r;
    reg [9:0]  s1_cnt_r;       // the op's count: bitmap word (scan), neuron (decide, fire), lane
    reg [7:0]  s1_waddr_r;
    reg [7:0]  s1_lane_v_r;    // lanes of the scanned word below n_in0
    reg [11:0] pix_left_r;     // n_in0 - 8 * cnt: layer-0 pixels from this clock's word on (< 0: none)

    // m_*_r: the pass, decoded and registered (o_pass changes in a pass's first setup clock, so
    // they hold from its second setup clock through its drain; the pass is fixed while idle)
    reg        m_ev_r, m_mac_r, m_fu_r, m_fire_r, m_leak_r, m_dec_r, m_clear_r, m_cset_r, m_use_c_r;
    always @(posedge i_clk) begin
        m_ev_r    <= pass == `PASS_EVT || pass == `PASS_MAC;
        m_mac_r   <= pass == `PASS_MAC;
        m_fu_r    <= pass == `PASS_FIRE || pass == `PASS_LEAK;   // the fire unit's passes
        m_fire_r  <= pass == `PASS_FIRE;
        m_leak_r  <= pass == `PASS_LEAK;
        m_dec_r   <= pass == `PASS_DECIDE;
        m_clear_r <= pass == `PASS_CLEAR;
        m_cset_r  <= pass == `PASS_CSET;
        m_use_c_r <= pass == `PASS_FIRE && cfg_direct && layer == 2'd0;
    end
    reg  [7:0] waddr0;
    // waddr0: the lane word a parallel op writes in stage 1
    always @(*)
        if (m_ev_r)
            waddr0 = ev_word;
        else if (m_clear_r)
            waddr0 = cnt[7:0];
        else if (m_cset_r)
            waddr0 = CB | cnt[7:0];
        else
            waddr0 = word_c;

    // s1_*: the op of the previous clock, now in stage 1
    always @(posedge i_clk) begin
        s1_v_r     <= op0 && !i_rst;
        s1_pass_r  <= pass;
        s1_cnt_r   <= cnt;
        s1_waddr_r <= waddr0;
    end

    // ------------------------------------------------------------------ weights: 4 SPRAM = 64-bit words
    wire [15:0] sp_rdata [0:3];
    wire [63:0] sp_word = {sp_rdata[3], sp_rdata[2], sp_rdata[1], sp_rdata[0]};
    wire        bus_w_weights = bw_wt_r && bw_ok_r;
    wire [13:0] sp_addr = ev_op ? ev_addr : bus_w_weights ? bw_off_r[16:3] : br1_off_r[16:3];
    genvar k;
    generate
        for (k = 0; k < 4; k = k + 1) begin : g_spram
            snn_spram spram (
                .i_clk(i_clk), .i_addr(sp_addr), .i_wdata({bw_data_r, bw_data_r}),
                .i_wmask(bw_off_r[0] ? 4'b1100 : 4'b0011),
                .i_we(bus_w_weights && bw_off_r[2:1] == 2'(k)), .o_rdata(sp_rdata[k])
            );
        end
    endgenerate

    // ------------------------------------------------------------------ spike bitmaps (2 buffers)
    wire       fire_bm_we;
    wire [7:0] fire_bm_bits, enc_spikes;
    wire [10:0] fire_j;
    wire       scan_s1 = s1_v_r && (s1_pass_r == `PASS_SCAN || s1_pass_r == `PASS_NZSCAN);
    wire       bm_in_buf = (pass == `PASS_EVT) ? layer[0] : 1'b0;   // layer 0's input, the NZSCAN bitmap in buffer 0
    wire       dbg_in_we   /* verilator public_flat_rd */ = scan_s1 && s1_pass_r == `PASS_SCAN;
    wire [6:0] dbg_in_word /* verilator public_flat_rd */ = s1_cnt_r[6:0];
    wire [7:0] dbg_in_bits /* verilator public_flat_rd */ = enc_spikes;
    // scan_we_r, scan_word_r, scan_bits_r: the encoder's spikes, registered before the bitmap
    // write (the scan pass's drain covers the extra clock; no fire write is in flight then)
    reg       scan_we_r;
    reg [6:0] scan_word_r;
    reg [7:0] scan_bits_r;
    always @(posedge i_clk) begin
        scan_we_r   <= scan_s1;
        scan_word_r <= s1_cnt_r[6:0];
        scan_bits_r <= enc_spikes;
    end
    // each word keeps a 9th bit, "any spike", so that the event source decides on one RAM bit
    wire [7:0] bm_wbits = scan_we_r ? scan_bits_r : fire_bm_bits;
    snn_ram #(.AW(8), .DW(9), .NWE(1)) bitmap (
        .i_clk(i_clk), .i_we(scan_we_r || fire_bm_we),
        .i_waddr(scan_we_r ? {1'b0, scan_word_r} : {~layer[0], fire_j[9:3]}),
        .i_wdata({bm_wbits != 8'd0, bm_wbits}),
        .i_raddr({bm_in_buf, bm_ev_raddr}), .o_rdata(bm_rdata)
    );
    wire       dbg_spk_we    /* verilator public_flat_rd */ = fire_bm_we;
    wire [1:0] dbg_spk_layer /* verilator public_flat_rd */ = layer;
    wire [7:0] dbg_spk_step  /* verilator public_flat_rd */ = step;
    wire [6:0] dbg_spk_word  /* verilator public_flat_rd */ = fire_j[9:3];
    wire [7:0] dbg_spk_bits  /* verilator public_flat_rd */ = fire_bm_bits;

    // ------------------------------------------------------------------ pixels (2 buffers) and encoder
    reg         front_r;
    reg  [31:0] seed_front_r, seed_back_r;
    wire [63:0] pix_rdata;
    snn_ram #(.AW(8), .DW(64), .NWE(8)) pixels (
        .i_clk(i_clk),
        .i_we(bw_pix_r ? (8'd1 << bw_off_r[2:0]) : 8'd0),
        .i_waddr({~front_r, bw_off_r[9:3]}), .i_wdata({8{bw_data_r}}),
        .i_raddr({front_r, m_mac_r ? ev_bword : cnt[6:0]}), .o_rdata(pix_rdata)
    );
    // front_r: which pixel buffer the running image reads
    always @(posedge i_clk) begin
        if (i_rst)
            front_r <= 1'b0;
        else if (i_start && idle)
            front_r <= ~front_r;
    end
    // seed_front_r: the running image's seed; seed_back_r: the next image's (i_start swaps them,
    // as it swaps the pixel buffers: a write in the i_start clock goes to the new back buffer's
    // image, which is the one about to run)
    wire       seed_swap = i_start && idle;
    generate
        for (k = 0; k < 4; k = k + 1) begin : g_seed
            wire bw_seed_k = bw_seed_r && bw_off_r[1:0] == 2'(k);
            // seed_front_r, seed_back_r byte k: swapped by i_start, written into the back buffer
            always @(posedge i_clk)
                if (seed_swap) begin
                    seed_front_r[8*k +: 8] <= bw_seed_k ? bw_data_r : seed_back_r[8*k +: 8];
                    seed_back_r[8*k +: 8]  <= seed_front_r[8*k +: 8];
                end else if (bw_seed_k) begin
                    seed_back_r[8*k +: 8]  <= bw_data_r;
                end
        end
    endgenerate
    // pix_left_r, s1_lane_v_r: which pixels of the word a scan op reads exist (a down-count, no
    // compare against 8 * cnt)
    always @(posedge i_clk) begin : p_pix_left
        integer j;
        pix_left_r <= seq_issue ? pix_left_r - 12'd8 : {1'b0, nin0};
        for (j = 0; j < NL; j = j + 1)
            s1_lane_v_r[j] <= !pix_left_r[11] && (pix_left_r[10:3] != 8'd0 || pix_left_r[2:0] > 3'(j));
    end
    snn_encoder encoder (
        .i_clk(i_clk), .i_seed_load(seq_start), .i_seed(seed_front_r),
        .i_en(scan_s1), .i_nz_mode(s1_pass_r == `PASS_NZSCAN),
        .i_lane_valid(s1_lane_v_r), .i_pixels(pix_rdata), .o_spikes(enc_spikes)
    );

    // ------------------------------------------------------------------ thresholds (1 per clock)
    wire [15:0] thr_rdata;
    wire        bus_w_thr = bw_thr_r && bw_ok_r;
    reg  [9:0]  thr_a2_r;       // the threshold entry of the neuron in fire stage 2 (registered in the fire unit)
    wire [9:0]  thr_raddr = m_fu_r ? thr_a2_r : br1_off_r[10:1];
    snn_ram #(.AW(`SNN_THR_ADDR_BITS), .DW(16), .NWE(2)) thresholds (
        .i_clk(i_clk), .i_we(bus_w_thr ? (bw_off_r[0] ? 2'b10 : 2'b01) : 2'b00),
        .i_waddr(bw_off_r[10:1]), .i_wdata({bw_data_r, bw_data_r}),
        .i_raddr(thr_raddr), .o_rdata(thr_rdata)
    );

    // ------------------------------------------------------------------ lanes: P (A low) and R (count, A high)
    wire [15:0] p_rdata [0:NL-1];
    wire [15:0] r_rdata [0:NL-1];
    wire        fire_we, fire_run_next;
    wire [15:0] fire_p, fire_r;
    wire [AB-1:0] fire_a = {fire_r[AB-17:0], fire_p};
    wire [7:0]  fire_waddr = mb + fire_j[10:3];
    // the event passes' multiply-adds in the DSPs (EVT: x = 1, MAC: x = the pixel): issued in
    // clock 0, weight and x in stage 1, the word read in clock 1 (address s1_waddr_r) into the
    // DSP in clock 2, the sum written in clock 4 (EVT: the accumulator bytes; MAC: all 4)
    reg  [7:0]  s1_lb_r;       // the lane of the pixel of the op in stage 1, one-hot
    reg         s1_mac_r;      // stage 1 is in a MAC pass (the pass, registered once more)
    reg  [2:0]  dsp_v_r;       // an event op in stage 2, 3, 4
    reg  [2:0]  dsp_mac_r;     // ... of a MAC pass
    reg  [7:0]  dsp_a2_r, dsp_a3_r, dsp_a4_r;
    wire        dsp_we  = dsp_v_r[2];
    wire        dsp_all = dsp_mac_r[2];
    reg  [7:0]  dsp_x;         // x of the op in stage 1
    always @(*) begin : p_dsp_x
        integer j;
        dsp_x = {7'd0, !s1_mac_r};
        for (j = 0; j < NL; j = j + 1)
            dsp_x = dsp_x | (pix_rdata[8*j +: 8] & {8{s1_lb_r[j] && s1_mac_r}});
    end
    // s1_lb_r, s1_mac_r, dsp_*_r: the event ops' pixel lane and their word, down the DSP pipeline
    always @(posedge i_clk) begin
        s1_lb_r   <= ev_lb;
        s1_mac_r  <= m_mac_r;
        dsp_v_r   <= {dsp_v_r[1:0], s1_v_r && (s1_pass_r == `PASS_MAC || s1_pass_r == `PASS_EVT)};
        dsp_mac_r <= {dsp_mac_r[1:0], s1_mac_r};
        dsp_a2_r  <= s1_waddr_r;
        dsp_a3_r  <= dsp_a2_r;
        dsp_a4_r  <= dsp_a3_r;
    end
    // (fire, DSP and stage-1 writes never meet: they belong to different passes)
    wire [7:0]  lane_waddr = fire_we ? fire_waddr : dsp_we ? dsp_a4_r : s1_waddr_r;
    wire [7:0]  own_raddr = word_j;
    wire        s1_fu     = s1_v_r && (s1_pass_r == `PASS_FIRE || s1_pass_r == `PASS_LEAK);
    wire [7:0]  fire_cnt  = fire_r[15:8];
    reg  [7:0]  mem_raddr;     // the shared lane read word
    reg  [2:0]  c_lane_r;

    // mem_raddr: which lane word the current op reads (the membrane read-back word when idle;
    // the lane of the neuron in a fire pass reads its own word instead, below)
    // (br1_idle_r: the core was idle in the request clock, so it is idle now)
    always @(*)
        if (br1_idle_r)
            mem_raddr = mem_bus_raddr;
        else if (m_ev_r)
            mem_raddr = s1_waddr_r;              // the word of the event op in stage 1
        else if (m_fu_r)
            mem_raddr = CB | 8'(s1_cnt_r[8:3]); // c of the neuron in fire stage 1 (the lane of neuron cnt reads mb + cnt/8)
        else if (m_dec_r)
            mem_raddr = word_j;
        else
            mem_raddr = word_c;

    generate
        for (k = 0; k < NL; k = k + 1) begin : g_lane
            wire        p_we;
            wire [1:0]  r_we;
            wire [15:0] p_wdata, r_wdata;
            wire [31:0] dsp_sum;
            // own: lane k holds neuron cnt of a fire pass (also in its setup and drain clocks, where no
            // read of lane cnt % 8 is used: the stage-1 neuron's current is in another lane)
            wire        own = m_fu_r && cnt[2:0] == 3'(k);
            wire [7:0]  raddr = own ? own_raddr : mem_raddr;
            wire        fire_here = fire_we && fire_j[2:0] == 3'(k);
            wire [7:0]  w = sp_rdata[k / 2][8 * (k % 2) +: 8];
            snn_ram #(.AW(8), .DW(16), .NWE(1)) p_ram (
                .i_clk(i_clk), .i_we(p_we), .i_waddr(lane_waddr),
                .i_wdata(p_wdata), .i_raddr(raddr), .o_rdata(p_rdata[k])
            );
            snn_ram #(.AW(8), .DW(16), .NWE(2)) r_ram (
                .i_clk(i_clk), .i_we(r_we), .i_waddr(lane_waddr),
                .i_wdata(r_wdata), .i_raddr(raddr), .o_rdata(r_rdata[k])
            );
            snn_mac mac (
                .i_clk(i_clk), .i_w(w), .i_x(dsp_x), .i_acc({r_rdata[k], p_rdata[k]}), .o_sum(dsp_sum)
            );
            snn_lane lane (
                .i_v(s1_v_r), .i_pass(s1_pass_r),
                .i_fire_we(fire_here), .i_fire_a(fire_a), .i_fire_cnt(fire_cnt),
                .i_dsp_we(dsp_we), .i_dsp_all(dsp_all), .i_dsp_sum(dsp_sum),
                .o_p_we(p_we), .o_p_wdata(p_wdata), .o_r_we(r_we), .o_r_wdata(r_wdata)
            );
        end
    endgenerate

    // ------------------------------------------------------------------ fire unit (serial)
    // one 8:1 lane select serves the fire unit, the decision and the membrane read-back (that
    // read is in its byte-select clock only while the sequencer has no op in stage 1)
    wire        mem_rd2 = br2_ok_r && br2_src_r == SRC_MEM;
    wire [2:0]  s1_lane = mem_rd2 ? br2_lane_r : s1_cnt_r[2:0];
    wire [15:0] sel_p = p_rdata[s1_lane], sel_r = r_rdata[s1_lane], sel_cp = p_rdata[c_lane_r];
    wire [15:0] sel_cr = r_rdata[c_lane_r];
    // the direct current c = (S + 2^(s-1)) >> s of the neuron in stage 2: bits s.. of its word
    wire [MACB-1:0] c_word = {sel_cr[MACB-17:0], sel_cp};
    wire [AB-1:0]   c_cur  = m_use_c_r ? AB'($signed(c_word[MACB-1:DS])) : {AB{1'b0}};
    // thr_a2_r, c_lane_r: the threshold entry the neuron in fire stage 2 reads, and the lane the
    // current of the stage-2 neuron comes from (read in its stage 1)
    always @(posedge i_clk) begin
        thr_a2_r <= toff + (tneur ? s1_cnt_r : 10'd0);
        c_lane_r <= s1_cnt_r[2:0];
    end
    snn_fire fire (
        .i_clk(i_clk), .i_v(s1_fu), .i_a({sel_r[7:0], sel_p}), .i_count(sel_r[15:8]),
        .i_c(c_cur), .i_theta(thr_rdata),
        .i_leak_en(m_leak_r || m_use_c_r), .i_leak(leak), .i_fire_en(m_fire_r), .i_reset_zero(rzero),
        .i_count_en(last_layer), .i_h_m1(h_m1),
        .o_we(fire_we), .o_j(fire_j), .o_p(fire_p), .o_r(fire_r), .o_run_next(fire_run_next),
        .o_bm_we(fire_bm_we), .o_bm_bits(fire_bm_bits)
    );

    // ------------------------------------------------------------------ early exit
    snn_exit early_exit (
        .i_clk(i_clk), .i_mode(cfg_exit_mode), .i_lead(cfg_exit_lead), .i_min(cfg_exit_min),
        .i_steps(cfg_steps), .i_step(step),
        .i_clear(fire_run_next), .i_we(fire_we && m_fire_r && last_layer), .i_count(fire_cnt),
        .o_exit(exit_now)
    );

    // ------------------------------------------------------------------ decision and results
    reg         res_bank_r;
    reg  [7:0]  class_r;
    reg  [31:0] cycles_r;
    reg  [7:0]  steps_r;
    wire        dec_we;
    wire [7:0]  dec_j, dec_count, dec_class;
    wire [7:0]  res_rdata;
    snn_decide decide (
        .i_clk(i_clk), .i_v(s1_v_r && s1_pass_r == `PASS_DECIDE), .i_j(s1_cnt_r[7:0]),
        .i_count(sel_r[15:8]), .i_v_final(sel_p),
        .o_we(dec_we), .o_j(dec_j), .o_count(dec_count), .o_class(dec_class)
    );
    snn_ram #(.AW(9), .DW(8), .NWE(1)) results (
        .i_clk(i_clk), .i_we(dec_we), .i_waddr({~res_bank_r, dec_j}), .i_wdata(dec_count),
        .i_raddr({res_bank_r, br1_res_j}), .o_rdata(res_rdata)
    );
    // res_bank_r, class_r, cycles_r, steps_r: the last finished image's results
    always @(posedge i_clk)
        if (i_rst) begin
            res_bank_r <= 1'b0;
            class_r    <= 8'd0;
            cycles_r   <= 32'd0;
            steps_r    <= 8'd0;
        end else if (seq_done) begin
            res_bank_r <= ~res_bank_r;
            class_r    <= dec_class;
            cycles_r   <= seq_cycles;
            steps_r    <= step + 8'd1;
        end

    // ------------------------------------------------------------------ bus
    // bw_*: the write request, decoded by region and offset range, performed next clock;
    // weights/thresholds/config only when idle
    wire [2:0]  b0_reg = i_bus_addr[AW-1:RS];
    wire [16:0] b0_off = i_bus_addr[16:0];
    wire        b0_we  = i_bus_we && !i_rst;
    always @(posedge i_clk) begin
        bw_ok_r   <= idle && !i_start;
        bw_cfg_r  <= b0_we && b0_reg == 3'(`SNN_REGION_CONFIG) && !qn_gt(32'(b0_off), `SNN_CFG_BYTES - 1);
        bw_wt_r   <= b0_we && b0_reg == 3'(`SNN_REGION_WEIGHTS);
        bw_thr_r  <= b0_we && b0_reg == 3'(`SNN_REGION_THRESHOLDS) && !qn_gt(32'(b0_off), 2 * NTHR - 1);
        bw_pix_r  <= b0_we && b0_reg == 3'(`SNN_REGION_PIXELS) && !qn_gt(32'(b0_off), `SNN_MAX_INPUTS - 1);
        bw_seed_r <= b0_we && b0_reg == 3'(`SNN_REGION_PIXELS) && b0_off[16:2] == 15'(`SNN_PIX_SEED >> 2);
        bw_off_r  <= b0_off;
        bw_data_r <= i_bus_wdata;
    end


    // br1_*, br2_*, rdata_r, rvalid_r: the read pipeline
    always @(posedge i_clk) begin
        br1_r      <= i_bus_re && !i_rst;
        br1_reg_r  <= i_bus_addr[AW-1:RS];
        br1_off_r  <= i_bus_addr[16:0];
        br1_idle_r <= idle && !i_start;
        br2_r      <= br1_r;
        br2_off_r  <= br1_off_r[2:0];
        case (br1_reg_r)
            3'(`SNN_REGION_WEIGHTS):    br2_src_r <= SRC_WEIGHT;
            3'(`SNN_REGION_THRESHOLDS): br2_src_r <= SRC_THR;
            3'(`SNN_REGION_CONFIG):     br2_src_r <= SRC_CFG;
            3'(`SNN_REGION_RESULT):
                if (br1_off_r[16:1] == 16'(`SNN_RES_CLASS >> 1))
                    br2_src_r <= SRC_CLASS;   // the class and the steps used
                else if (qn_gt(32'(br1_off_r), `SNN_RES_CYCLES - 1) && !qn_gt(32'(br1_off_r), `SNN_RES_CYCLES + 3))
                    br2_src_r <= SRC_CYCLES;
                else if (qn_gt(32'(br1_off_r), `SNN_RES_COUNTS - 1))
                    br2_src_r <= SRC_COUNT;
                else
                    br2_src_r <= SRC_ZERO;
            3'(`SNN_REGION_MEMBRANES):  br2_src_r <= SRC_MEM;
            default:                    br2_src_r <= SRC_ZERO;
        endcase
        br2_lane_r <= mem_bus_lane;
        br1_fixed_ok_r <= read_fixed_ok(b0_reg, b0_off);
        br2_ok_r   <= br1_fixed_ok_r && read_below_end(br1_reg_r, br1_off_r[11:0]) &&
                      (!read_needs_idle(br1_reg_r) || (br1_idle_r && idle));
        rvalid_r <= br2_r;
        rdata_r  <= 8'd0;
        if (br2_ok_r)
            case (br2_src_r)
                SRC_WEIGHT: rdata_r <= byte_of8(sp_word, br2_off_r[2:0]);
                SRC_THR:    rdata_r <= br2_off_r[0] ? thr_rdata[15:8] : thr_rdata[7:0];
                SRC_CFG:    rdata_r <= br2_off_r[0] ? cfg_rdata[15:8] : cfg_rdata[7:0];
                SRC_CLASS:  rdata_r <= br2_off_r[0] ? steps_r : class_r;
                SRC_CYCLES: rdata_r <= byte_of8({32'd0, cycles_r}, {1'b0, br2_off_r[1:0]});
                SRC_COUNT:  rdata_r <= res_rdata;
                SRC_MEM:    rdata_r <= br2_off_r[0] ? sel_p[15:8] : sel_p[7:0];
                default: ;
            endcase
    end
    assign o_bus_rdata  = rdata_r;

    // read_fixed_ok: the offset passes the region's fixed bounds (these compares are shared with
    // the write decode); read_below_end: it lies below the configured end (results, membranes),
    // compared a clock later from the registered request
    function read_fixed_ok(input [2:0] region, input [16:0] off);
        case (region)
            3'(`SNN_REGION_WEIGHTS):    read_fixed_ok = 1'b1;
            3'(`SNN_REGION_THRESHOLDS): read_fixed_ok = !qn_gt(32'(off), 2 * NTHR - 1);
            3'(`SNN_REGION_CONFIG):     read_fixed_ok = !qn_gt(32'(off), `SNN_CFG_BYTES - 1);
            3'(`SNN_REGION_RESULT):     read_fixed_ok = off[16:11] == 6'd0;
            3'(`SNN_REGION_MEMBRANES):  read_fixed_ok = off[16:12] == 5'd0;
            default:                    read_fixed_ok = 1'b0;
        endcase
    endfunction
    function read_below_end(input [2:0] region, input [11:0] off);
        case (region)
            3'(`SNN_REGION_RESULT):     read_below_end = off[10:0] < res_end;
            3'(`SNN_REGION_MEMBRANES):  read_below_end = {1'b0, off[11:4]} < gsum;
            default:                    read_below_end = 1'b1;
        endcase
    endfunction

    // read_needs_idle: a region the datapath uses while busy, so read only while idle
    function read_needs_idle(input [2:0] region);
        read_needs_idle = region == 3'(`SNN_REGION_WEIGHTS) || region == 3'(`SNN_REGION_THRESHOLDS) ||
                          region == 3'(`SNN_REGION_CONFIG) || region == 3'(`SNN_REGION_MEMBRANES);
    endfunction

    // byte_of8: byte sel of a 64-bit little-endian word
    function [7:0] byte_of8(input [63:0] w, input [2:0] sel);
        case (sel)
            3'd0: byte_of8 = w[7:0];
            3'd1: byte_of8 = w[15:8];
            3'd2: byte_of8 = w[23:16];
            3'd3: byte_of8 = w[31:24];
            3'd4: byte_of8 = w[39:32];
            3'd5: byte_of8 = w[47:40];
            3'd6: byte_of8 = w[55:48];
            default: byte_of8 = w[63:56];
        endcase
    endfunction
    assign o_bus_rvalid = rvalid_r;
endmodule
