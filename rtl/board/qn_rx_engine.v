// qn_rx_engine.v : the board's command engine: parses request frames from the receive FIFO,
// checks them (header, CRC, capacity, state), executes them on the core's byte bus and asks
// the transmitter for the answer.  docs/protocol.md describes the frames it accepts.
// INFER_Z pixels are decoded here as they arrive (PROTO_Z_* codes -> one bus write per pixel);
// raw INFER pixels of a model with 4-bit inputs are quantized on their way to the core.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"
`include "snn_protocol.vh"

module qn_rx_engine #(
    parameter integer TIMEOUT_TICKS = 177,   // PROTO_TIMEOUT_US in i_tick periods (+1: tick phase)
    parameter integer LW            = 10     // answer length width (PROTO_RESULT_BYTES fits)
) (
    // clock and reset
    input  wire                          i_clk,
    input  wire                          i_rst,
    input  wire                          i_tick,         // time base of the frame timeout
    // request bytes from the receive FIFO (first word fall through)
    input  wire                          i_rx_valid,
    input  wire [7:0]                    i_rx_data,
    input  wire                          i_rx_sync,      // i_rx_data == PROTO_SYNC_REQ
    output wire                          o_rx_pop,
    input  wire                          i_rx_overflow,
    output reg                           o_clr_overflow,
    // byte bus write port: held until i_wr_ack
    output reg                           o_wr_valid,
    output reg  [`SNN_BUS_ADDR_BITS-1:0] o_wr_addr,
    output reg  [7:0]                    o_wr_data,
    input  wire                          i_wr_ack,
    // inference sequencer
    input  wire                          i_busy,         // core busy or an INFER in flight
    input  wire                          i_infer_full,   // the pixel buffer holds an unstarted image
    output reg                           o_infer_accept, // pulse: an INFER is complete
    output wire [7:0]                    o_infer_seq,
    output reg                           o_reset,        // pulse: RESET command
    // baud rate
    input  wire [`PROTO_BAUD_RATES-1:0]  i_rates,        // rates the board supports
    output reg                           o_baud_set,     // pulse: switch to o_baud_rate after this answer
    output wire [1:0]                    o_baud_rate,
    output reg                           o_frame_good,   // pulse: a frame with a good CRC arrived
    // answer for the transmitter: held until i_rsp_ack (the frame registers stay put meanwhile)
    output reg                           o_rsp_valid,
    output wire [7:0]                    o_rsp_op,
    output wire [7:0]                    o_rsp_seq,
    output wire [7:0]                    o_rsp_status,
    output wire [LW-1:0]                 o_rsp_len,
    output wire                          o_rsp_bus,      // payload from bus reads (else INFO)
    output wire [`SNN_BUS_ADDR_BITS-1:0] o_rsp_addr,     // READ_BACK: first byte; INFO: offset bits 0
    input  wire                          i_rsp_ack,
    // configuration shadow
    output reg                           o_cfg_ok,
    output reg  [LW-1:0]                 o_res_len,      // INFER answer length: counts + last layer's
    // status
    output wire                          o_idle          // waiting for a frame, nothing pending
);
    localparam integer RS = `SNN_BUS_REGION_SHIFT;
    localparam integer AW = `SNN_BUS_ADDR_BITS;
    localparam integer CW = $clog2(`PROTO_MAX_PAYLOAD + `PROTO_CRC_BYTES + 1);  // byte counters
    localparam integer TW = $clog2(TIMEOUT_TICKS + 1);
    localparam integer GW = AW - RS;                                 // region number bits
    localparam integer BW = $clog2(`PROTO_MAX_CHUNK + 1);            // READ_BACK lengths that pass
    localparam [AW-1:0] PIX_BASE  = AW'(`SNN_REGION_PIXELS << RS);
    localparam [AW-1:0] SEED_BASE = AW'((`SNN_REGION_PIXELS << RS) + `SNN_PIX_SEED);
    // INFER payload: the seed, then the pixels, each written to consecutive bus addresses
`include "qn_gt.vh"

    generate
        if (`PROTO_INF_PIXELS != `PROTO_INF_SEED + 4 || `PROTO_INF_PIXELS >= 8) begin : g_bad_layout
            // the seed is counted as four bytes and the first pixel found on idx_r[2:0]
            qn_rx_engine_INFER_layout_changed bad ();
        end
    endgenerate

    /* state table
     *   HUNT    wait for PROTO_SYNC_REQ          OP, SEQ, LEN0, LEN1  header bytes
     *   LENS    compare the length           HDR, ADMIT           check the header, accept or refuse it
     *   PAY     payload bytes
     *   CRC0/1  check                            CHECK, SUMS, VERDICT capacity and range checks
     *   EXEC    act on a good frame              COMMIT_RD/WR         payload buffer -> bus
     *   RESP    wait for the transmitter         SKIP                 drop a refused payload */
    localparam [4:0] S_HUNT = 5'd0, S_OP = 5'd1, S_SEQ = 5'd2, S_LEN0 = 5'd3, S_LEN1 = 5'd4,
                     S_PAY = 5'd5, S_CRC0 = 5'd6, S_CRC1 = 5'd7, S_EXEC = 5'd8,
                     S_COMMIT_RD = 5'd9, S_COMMIT_WR = 5'd10, S_RESP = 5'd11, S_SKIP = 5'd12,
                     S_HDR = 5'd13, S_CHECK = 5'd14, S_ADMIT = 5'd15, S_SUMS = 5'd16,
                     S_LENS = 5'd17, S_VERDICT = 5'd18;

    reg  [4:0]    state_r;             // only ever assigned constants: Yosys recodes it one-hot
    reg           skip_next_r;         // RESP goes on to SKIP (else HUNT) once the answer is taken
    reg           new_frame_r;         // the sync byte was taken last clock
    reg  [7:0]    op_r, seq_r;
    reg  [CW-1:0] len_r;               // the length field's low bits ...
    reg           len_big_r;           // ... and whether its high bits are set (too long anyway)
    reg  [CW-1:0] idx_r, left_r;       // payload byte index; payload / commit / skip bytes to go
    reg  [CW-1:0] dcnt_r;              // WRITE_* / WRITE_CONFIG data bytes so far (after the offset)
    reg           dcnt_inc_r;          // a data byte was taken last clock: count it now
    reg           idx_lo_r;            // idx_r < 8 (payload fields are told apart on idx_r[2:0])
    reg           is_infer, is_cfg, is_write, is_rb, is_info, is_reset;   // op_r decoded on arrival
    reg           is_z, is_baud;       // INFER_Z, SET_BAUD
                                       // (stale until then: nothing reads them before OP but
                                       // answers, whose length and bus flag also need status OK)
    reg  [TW-1:0] tmo_r;               // i_tick periods since the last byte of a frame
    reg           timed_out;           // tmo_r reached TIMEOUT_TICKS
    reg  [15:0]   crc_r;
    reg           crc_lo_ok_r, crc_ok_r;   // the received CRC bytes match
    // the u32 offset, u8 region and u16 length keep only the bits a frame that passes can have,
    // and a flag: some higher bit is set (then it fails anyway).  Cleared for every frame, the
    // offset and length take each byte ORed in at its place (a LUT in front of each flip-flop)
    reg  [RS-1:0] off_r;               // WRITE_* / READ_BACK offset ...
    reg           off_hi_r;            // ... >= 2^RS
    reg  [GW-1:0] region_r;            // READ_BACK region ...
    reg           region_hi_r;         // ... >= 2^GW
    reg  [BW-1:0] rb_len_r;            // READ_BACK length ...
    reg           rb_len_hi_r;         // ... >= 2^BW
    reg  [7:0]    status_r;            // the answer's status: header, CRC, then execution verdict
    reg  [CW-1:0] infer_len_r;         // shadow: INFER payload length for the valid configuration
    reg           q4_r;                // shadow: the configuration's inputs are 4-bit
    reg  [1:0]    rate_r;              // SET_BAUD: the rate asked for ...
    reg           rate_hi_r;           // ... and whether its bits above those are set
    // INFER_Z decoder: the byte being decoded, which nibble is next, zeros still to write, a
    // count code comes next, pixels still to come (+ PROTO_INF_PIXELS: counted down from the
    // INFER payload length), and whether the codes went wrong
    reg  [7:0]    dec_byte_r;
    reg           dec_busy_r, dec_hi_r, dec_cnt_r, dec_bad_r;
    reg  [3:0]    dec_run_r;
    reg           dec_run_nz_r;        // dec_run_r != 0, kept beside it: byte intake decides on
                                       // flip-flops, not on a compare (the intake is the pop path)
    reg  [CW-1:0] pix_left_r;
    wire          no_pix_left = (pix_left_r == CW'(`PROTO_INF_PIXELS));
    wire          dec_idle = !dec_busy_r && !dec_run_nz_r;
    // per nibble of dec_byte_r (bit 1: the high one), compared when the byte is taken, so that the
    // decoder's decisions read a flip-flop through a 2:1 mux, not a compare behind the mux
    reg  [1:0]    dec_run_code_r, dec_max_code_r, dec_zero_r;
    wire [3:0]    nib = dec_hi_r ? dec_byte_r[7:4] : dec_byte_r[3:0];
    wire          nib_run = dec_hi_r ? dec_run_code_r[1] : dec_run_code_r[0];   // nib == PROTO_Z_RUN
    wire          nib_max = dec_hi_r ? dec_max_code_r[1] : dec_max_code_r[0];   // nib == PROTO_Z_RUN_MAX
    wire          nib_zero = dec_hi_r ? dec_zero_r[1] : dec_zero_r[0];
    wire          dec_pixel = !o_wr_valid && !no_pix_left &&
                              (dec_run_nz_r || (dec_busy_r && !dec_cnt_r && !nib_run));
    wire [15:0]   crc_next;
    wire [7:0]    b = i_rx_data;
    wire          ok = (status_r == 8'(`PROTO_OK));

    qn_crc16 crc (.i_crc(crc_r), .i_data(b), .o_crc(crc_next));

    // the answer comes straight from the frame registers (they hold still in RESP); off_r is
    // cleared for every frame and only READ_BACK and WRITE_* fill it, so INFO answers start
    // at offset 0 (the transmitter indexes the INFO record with the address's low bits)
    assign o_rsp_op     = op_r;
    assign o_rsp_seq    = seq_r;
    assign o_rsp_status = status_r;
    assign o_rsp_bus    = is_rb && ok;
    assign o_rsp_len    = !ok ? LW'(0) : is_info ? LW'(`PROTO_INFO_BYTES) : is_rb ? LW'(rb_len_r) : LW'(0);
    assign o_rsp_addr   = {region_r, off_r};
    assign o_infer_seq  = seq_r;
    assign o_baud_rate  = rate_r;

    // ---- payload buffer: a checked frame is committed from here, so a bad one writes nothing.
    // The byte is written the clock after it was taken, from o_wr_data, at dcnt_r (which
    // counts it in that same clock)
    reg        buf_we_r;
    wire [7:0] buf_q;
    qn_ram_sdp #(.W(8), .DEPTH(`PROTO_MAX_CHUNK)) payload_buf (
        .i_clk(i_clk),
        .i_we(buf_we_r), .i_waddr(dcnt_r[8:0]), .i_wdata(o_wr_data),
        .i_re(state_r == S_COMMIT_RD), .i_raddr(idx_r[8:0]), .o_rdata(buf_q)
    );

    // ---- byte intake: only in the states that read bytes, and payload bytes only with the bus
    // port free (INFER pixels go out on it; the others pass through o_wr_data)
    wire takes = (state_r == S_HUNT) || (state_r == S_OP) || (state_r == S_SEQ) ||
                 (state_r == S_LEN0) || (state_r == S_LEN1) || (state_r == S_CRC0) ||
                 (state_r == S_CRC1) || (state_r == S_SKIP) ||
                 (state_r == S_PAY && !o_wr_valid && dec_idle);
    wire pop = i_rx_valid && takes;
    // inside the state machine each state knows it takes bytes: its enables use these (shorter)
    wire pay_take = i_rx_valid && !o_wr_valid && dec_idle;
    wire left_dec = (state_r == S_PAY && pay_take) || (state_r == S_COMMIT_WR && !o_wr_valid) ||
                    (state_r == S_SKIP && i_rx_valid);
    // the first four payload bytes of WRITE_* are the offset, the rest is data
    wire field = idx_lo_r && idx_r[2:0] < 3'(`PROTO_WR_DATA);
    assign o_rx_pop = pop;
    // READ_BACK: the offset's bytes; b at its place in the u32 offset / u16 length
    wire        rb_off = idx_lo_r && idx_r[2:0] >= 3'(`PROTO_RB_OFFSET) && idx_r[2:0] < 3'(`PROTO_RB_LEN);
    wire [1:0]  off_byte = idx_r[1:0] - (is_rb ? 2'(`PROTO_RB_OFFSET) : 2'(`PROTO_WR_OFFSET));
    wire        len_byte = 1'(idx_r[2:0] - 3'(`PROTO_RB_LEN));
    wire [31:0] b_off = 32'(b) << {off_byte, 3'd0};
    wire [15:0] b_len = 16'(b) << {len_byte, 3'd0};
    wire in_frame = (state_r == S_OP) || (state_r == S_SEQ) || (state_r == S_LEN0) ||
                    (state_r == S_LEN1) || (state_r == S_PAY) || (state_r == S_CRC0) ||
                    (state_r == S_CRC1) || (state_r == S_LENS) || (state_r == S_HDR) ||
                    (state_r == S_ADMIT);
    // (o_infer_accept: the sequencer takes the INFER a clock later; a simulation that stopped
    // the clock in between would never start it)
    assign o_idle = (state_r == S_HUNT) && !i_rx_valid && !o_wr_valid && !o_infer_accept && dec_idle;

    // ---- configuration checker, fed as the WRITE_CONFIG payload arrives: from the payload
    // buffer's write port (the byte a clock after it was taken), so the FIFO pop stays off it
    wire        cfg_good, cfg_q4;
    wire [10:0] cfg_n_in0;
    wire [9:0]  cfg_n_out_last;
    qn_cfg_check cfg (
        .i_clk(i_clk), .i_clear(state_r == S_HDR),
        .i_valid(buf_we_r && is_cfg), .i_idx(dcnt_r[6:0]), .i_data(o_wr_data),
        .o_ok(cfg_good), .o_n_in0(cfg_n_in0), .o_n_out_last(cfg_n_out_last), .o_q4(cfg_q4)
    );

    // ---- header check: the length compares registered in LENS, the verdict in HDR
    reg         len_zero_r, len_cfg_r, len_wr_r, len_rb_r, len_inf_r;   // the length fits the op
    reg         len_baud_r, len_z_r;
    reg         len_skip_r;             // a refused frame's payload is short enough to skip
    reg  [7:0]  hdr_status;
    always @(*) begin
        hdr_status = 8'(`PROTO_OK);
        if (is_info || is_reset) begin
            if (!len_zero_r) hdr_status = 8'(`PROTO_NAK_LENGTH);
        end else if (is_cfg || is_write || is_rb || is_baud) begin
            if (!(is_cfg ? len_cfg_r : is_write ? len_wr_r : is_rb ? len_rb_r : len_baud_r))
                hdr_status = 8'(`PROTO_NAK_LENGTH);
            else if (i_busy) hdr_status = 8'(`PROTO_NAK_BUSY);
        end else if (is_infer || is_z) begin
            if (!o_cfg_ok) hdr_status = 8'(`PROTO_NAK_NOCONFIG);
            else if (is_z && !q4_r) hdr_status = 8'(`PROTO_NAK_FRAMING);
            else if (!(is_z ? len_z_r : len_inf_r)) hdr_status = 8'(`PROTO_NAK_LENGTH);
        end else begin
            hdr_status = 8'(`PROTO_NAK_OPCODE);
        end
    end

    // ---- execution check, on a frame whose CRC is good: offsets are checked as (upper bits
    // zero) and (low bits + length <= size of the region)
    reg  [RS:0] end_r, size_r;          // registered in CHECK, compared in SUMS
    reg         rb_len_bad_r;           // READ_BACK length 0 or over PROTO_MAX_CHUNK
    reg         range_bad_r, no_region_r;   // SUMS: beyond the region; no such region (READ_BACK)
    reg  [RS:0] rb_size;
    always @(*) begin
        case (region_r)
            GW'(`SNN_REGION_WEIGHTS):    rb_size = (RS+1)'(`SNN_WEIGHT_BYTES);
            GW'(`SNN_REGION_THRESHOLDS): rb_size = (RS+1)'(`PROTO_THRESHOLD_BYTES);
            GW'(`SNN_REGION_CONFIG):     rb_size = (RS+1)'(`SNN_CFG_BYTES);
            GW'(`SNN_REGION_RESULT):     rb_size = (RS+1)'(`PROTO_RESULT_BYTES);
            GW'(`SNN_REGION_MEMBRANES):  rb_size = (RS+1)'(`PROTO_MEMBRANE_BYTES);
            default:                     rb_size = (RS+1)'(0);    // pixels and unknown regions
        endcase
        if (region_hi_r) rb_size = (RS+1)'(0);
    end
    wire        wr_weights = (op_r == 8'(`PROTO_OP_WRITE_WEIGHTS));   // else thresholds
    wire [RS:0] wr_size = wr_weights ? (RS+1)'(`SNN_WEIGHT_BYTES) : (RS+1)'(`PROTO_THRESHOLD_BYTES);
    wire [2:0]  wr_region = wr_weights ? 3'(`SNN_REGION_WEIGHTS) : 3'(`SNN_REGION_THRESHOLDS);

    reg [7:0] exec_status;
    always @(*) begin
        exec_status = 8'(`PROTO_OK);
        if (is_cfg && !cfg_good)
            exec_status = 8'(`PROTO_NAK_CONFIG);
        if (is_write && range_bad_r)
            exec_status = 8'(`PROTO_NAK_RANGE);
        if (is_baud && (qn_gt(32'({rate_hi_r, rate_r}), `PROTO_BAUD_RATES - 1) || !i_rates[rate_r]))
            exec_status = 8'(`PROTO_NAK_RANGE);
        if (is_rb) begin
            if (no_region_r)
                exec_status = 8'(`PROTO_NAK_REGION);
            else if (rb_len_bad_r || range_bad_r)
                exec_status = 8'(`PROTO_NAK_RANGE);
        end
    end
    wire commit = (is_cfg || is_write) && ok;

    // tmo_clr_r, tmo_r, timed_out: i_tick periods since the last byte of a frame (registered
    // compare; the clear is registered too: one clock late is nothing against PROTO_TIMEOUT_US)
    reg tmo_clr_r;
    // an INFER that finds the pixel buffer full waits in HDR, its bytes in the receive FIFO,
    // until the sequencer starts the image before it (PROTO_INFER_HOLD_BYTES): a wait, not a
    // stopped frame
    wire infer_held = (state_r == S_HDR) && (is_infer || is_z) && i_infer_full;
    always @(posedge i_clk) begin
        tmo_clr_r <= pop || !in_frame && state_r != S_SKIP || infer_held;
        if (i_rst || tmo_clr_r || timed_out) begin
            tmo_r     <= '0;
            timed_out <= 1'b0;
        end else if (i_tick) begin
            tmo_r     <= tmo_r + 1'b1;
            timed_out <= (tmo_r == TW'(TIMEOUT_TICKS - 1));
        end
    end

    // o_wr_addr: the first address of a run of writes, then counted up after each acknowledged
    // write; set only while no write waits.  INFER: the seed from SEED_BASE, the pixels from
    // PIX_BASE (set with the first byte of each); a commit: the checked frame's region + offset
    wire first_seed  = idx_lo_r && idx_r[2:0] == 3'(`PROTO_INF_SEED);
    wire first_pixel = idx_lo_r && idx_r[2:0] == 3'(`PROTO_INF_PIXELS);
    always @(posedge i_clk)
        if (state_r == S_EXEC && !o_wr_valid && dec_idle)
            o_wr_addr <= is_cfg ? AW'(`SNN_REGION_CONFIG) << RS
                                : {GW'(wr_region), off_r};
        else if (state_r == S_PAY && pay_take && (is_infer || is_z) && (first_seed || first_pixel))
            o_wr_addr <= first_seed ? SEED_BASE : PIX_BASE;
        else if (i_wr_ack)
            o_wr_addr[RS-1:0] <= o_wr_addr[RS-1:0] + 1'b1;

    // state_r and the frame registers: one byte per pop, one action per state
    always @(posedge i_clk) begin
        o_clr_overflow <= 1'b0;
        o_infer_accept <= 1'b0;
        o_reset        <= 1'b0;
        o_baud_set     <= 1'b0;
        o_frame_good   <= 1'b0;
        buf_we_r       <= 1'b0;
        new_frame_r    <= 1'b0;
        dcnt_inc_r     <= 1'b0;
        if (dcnt_inc_r) dcnt_r <= dcnt_r + 1'b1;
        if (i_wr_ack) o_wr_valid <= 1'b0;
        if (i_rsp_ack) o_rsp_valid <= 1'b0;

        if (i_rst) begin
            state_r      <= S_HUNT;
            skip_next_r  <= 1'b0;
            o_wr_valid   <= 1'b0;
            o_rsp_valid  <= 1'b0;
            o_cfg_ok     <= 1'b0;
            infer_len_r  <= '0;
            o_res_len    <= LW'(`SNN_RES_COUNTS);
            op_r         <= 8'd0;
            is_infer     <= 1'b0;
            is_cfg       <= 1'b0;
            is_write     <= 1'b0;
            is_rb        <= 1'b0;
            is_info      <= 1'b0;
            is_reset     <= 1'b0;
            is_z         <= 1'b0;
            is_baud      <= 1'b0;
            q4_r         <= 1'b0;
            dec_busy_r   <= 1'b0;
            dec_run_r    <= 4'd0;
            dec_run_nz_r <= 1'b0;
            seq_r        <= 8'd0;
            status_r     <= 8'(`PROTO_OK);
        end else if (timed_out) begin
            // a frame stopped half way: say so (once) and look for the next one
            if (state_r == S_SKIP) begin
                state_r <= S_HUNT;
            end else begin
                o_rsp_valid    <= 1'b1;
                status_r       <= i_rx_overflow ? 8'(`PROTO_NAK_OVERFLOW) : 8'(`PROTO_NAK_TIMEOUT);
                o_clr_overflow <= i_rx_overflow;
                skip_next_r    <= 1'b0;
                state_r        <= S_RESP;
            end
        end else begin
            // the clock after the sync byte (the next byte is two clocks away at least): op and
            // seq read 0 until they arrive (a NAK TIMEOUT reports what was received)
            if (new_frame_r) begin
                crc_r <= 16'(`PROTO_CRC_INIT);
                op_r  <= 8'd0;
                seq_r <= 8'd0;
            end
            // INFER_Z decoder: one code or one zero of a run per free bus write; a pixel (a
            // zero of a run or a literal, q * 17: SNN_INPUT_BITS_Q4) goes out as dec_pixel
            if (dec_pixel) begin
                o_wr_valid <= 1'b1;
                o_wr_data  <= dec_run_nz_r ? 8'd0 : {nib, nib};
                pix_left_r <= pix_left_r - 1'b1;
            end
            if (!o_wr_valid && dec_run_nz_r) begin
                dec_run_r    <= dec_run_r - 1'b1;
                dec_run_nz_r <= dec_run_r != 4'd1;
                if (no_pix_left) dec_bad_r <= 1'b1;     // a run past the last pixel
            end else if (!o_wr_valid && dec_busy_r) begin
                dec_hi_r <= !dec_hi_r;
                if (dec_hi_r) dec_busy_r <= 1'b0;
                if (no_pix_left) begin
                    if (!nib_zero) dec_bad_r <= 1'b1;   // only zero padding after the last pixel
                end else if (dec_cnt_r) begin
                    dec_run_r    <= nib_max ? 4'(`PROTO_Z_RUN_MAX) : nib + 1'b1;
                    dec_run_nz_r <= 1'b1;   // nib + 1 >= 1 (a count code of 15 saturates at PROTO_Z_RUN_MAX)
                    dec_cnt_r <= nib_max;
                end else if (nib_run) begin
                    dec_cnt_r <= 1'b1;
                end
            end
            // payload, commit and skip bytes counted down in one place
            if (left_dec) left_r <= left_r - 1'b1;
            case (state_r)
                S_HUNT: if (i_rx_valid && i_rx_sync) begin
                    new_frame_r    <= 1'b1;
                    state_r        <= S_OP;
                end
                S_OP:   if (i_rx_valid) begin
                    op_r     <= b;
                    is_infer <= (b == 8'(`PROTO_OP_INFER));
                    is_cfg   <= (b == 8'(`PROTO_OP_WRITE_CONFIG));
                    is_write <= (b == 8'(`PROTO_OP_WRITE_WEIGHTS)) || (b == 8'(`PROTO_OP_WRITE_THRESHOLDS));
                    is_rb    <= (b == 8'(`PROTO_OP_READ_BACK));
                    is_info  <= (b == 8'(`PROTO_OP_INFO));
                    is_reset <= (b == 8'(`PROTO_OP_RESET));
                    is_z     <= (b == 8'(`PROTO_OP_INFER_Z));
                    is_baud  <= (b == 8'(`PROTO_OP_SET_BAUD));
                    crc_r    <= crc_next;
                    state_r  <= S_SEQ;
                end
                S_SEQ:  if (i_rx_valid) begin seq_r <= b; crc_r <= crc_next; state_r <= S_LEN0; end
                S_LEN0: if (i_rx_valid) begin len_r[7:0] <= b; crc_r <= crc_next; state_r <= S_LEN1; end
                S_LEN1: if (i_rx_valid) begin
                    len_r[CW-1:8] <= b[CW-9:0];
                    len_big_r     <= |b[7:CW-8];
                    crc_r       <= crc_next;
                    idx_r       <= '0;
                    dcnt_r      <= '0;
                    idx_lo_r    <= 1'b1;
                    off_r       <= '0;
                    off_hi_r    <= 1'b0;
                    rb_len_r    <= '0;
                    rb_len_hi_r <= 1'b0;
                    dec_cnt_r   <= 1'b0;
                    dec_bad_r   <= 1'b0;
                    dec_hi_r    <= 1'b0;
                    pix_left_r  <= infer_len_r;
                    state_r     <= S_LENS;
                end
                S_LENS: begin
                    len_zero_r <= !len_big_r && (len_r == CW'(0));
                    len_cfg_r  <= !len_big_r && (len_r == CW'(`SNN_CFG_BYTES));
                    len_wr_r   <= !len_big_r && qn_gt(32'(len_r), `PROTO_WR_DATA) &&
                                  !qn_gt(32'(len_r), `PROTO_WR_DATA + `PROTO_MAX_CHUNK);
                    len_rb_r   <= !len_big_r && (len_r == CW'(`PROTO_RB_BYTES));
                    len_inf_r  <= !len_big_r && (len_r == infer_len_r);
                    len_baud_r <= !len_big_r && (len_r == CW'(`PROTO_SB_BYTES));
                    len_z_r    <= !len_big_r && qn_gt(32'(len_r), `PROTO_INF_PIXELS) &&
                                  !qn_gt(32'(len_r), 32'(infer_len_r));
                    len_skip_r <= !len_big_r && !qn_gt(32'(len_r), `PROTO_MAX_PAYLOAD);
                    state_r    <= S_HDR;
                end
                S_HDR: if (!infer_held) begin
                    status_r <= hdr_status;
                    state_r  <= S_ADMIT;
                end
                S_ADMIT: if (!ok || i_rx_overflow) begin
                    // refused on its header (or bytes were lost): answer now, then drop the
                    // payload it announced
                    o_rsp_valid <= 1'b1;
                    if (i_rx_overflow) begin
                        status_r       <= 8'(`PROTO_NAK_OVERFLOW);
                        o_clr_overflow <= 1'b1;
                    end
                    left_r      <= len_r;   // SKIP drops len_r + PROTO_CRC_BYTES bytes
                    skip_next_r <= len_skip_r;
                    state_r     <= S_RESP;
                end else begin
                    left_r  <= len_r;
                    state_r <= len_zero_r ? S_CRC0 : S_PAY;
                end
                S_PAY: if (pay_take) begin
                    crc_r  <= crc_next;
                    idx_r  <= idx_r + 1'b1;
                    if (idx_r[2:0] == 3'd7) idx_lo_r <= 1'b0;
                    if (left_r == CW'(1)) state_r <= S_CRC0;
                    // bytes come three clocks apart at least: dcnt_r has counted this one by the next
                    dcnt_inc_r <= is_cfg || (is_write && !field);
                    // pixels of a model with 4-bit inputs reach the core as q * 17 (not the seed)
                    o_wr_data  <= (is_infer && q4_r && !(idx_lo_r && idx_r[2:0] < 3'(`PROTO_INF_PIXELS))) ? {b[7:4], b[7:4]} : b;
                    buf_we_r   <= is_cfg || (is_write && !field);
                    if (is_baud) begin
                        rate_r    <= b[1:0];
                        rate_hi_r <= |b[7:2];
                    end
                    if ((is_write && field) || (is_rb && rb_off)) begin
                        off_r    <= off_r | b_off[RS-1:0];
                        off_hi_r <= off_hi_r || |b_off[31:RS];
                    end
                    if (is_rb) begin
                        if (idx_lo_r && idx_r[2:0] == 3'(`PROTO_RB_REGION)) begin
                            region_r    <= b[GW-1:0];
                            region_hi_r <= |b[7:GW];
                        end else if (!rb_off) begin
                            rb_len_r    <= rb_len_r | b_len[BW-1:0];
                            rb_len_hi_r <= rb_len_hi_r || |b_len[15:BW];
                        end
                    end
                    if (is_infer || (is_z && idx_lo_r && idx_r[2:0] < 3'(`PROTO_INF_PIXELS))) o_wr_valid <= 1'b1;
                    else if (is_z) begin
                        dec_byte_r     <= b;
                        dec_run_code_r <= {b[7:4] == 4'(`PROTO_Z_RUN), b[3:0] == 4'(`PROTO_Z_RUN)};
                        dec_max_code_r <= {b[7:4] == 4'(`PROTO_Z_RUN_MAX), b[3:0] == 4'(`PROTO_Z_RUN_MAX)};
                        dec_zero_r     <= {b[7:4] == 4'd0, b[3:0] == 4'd0};
                        dec_busy_r <= 1'b1;
                        dec_hi_r   <= 1'b0;
                    end
                end
                S_CRC0: if (i_rx_valid) begin crc_lo_ok_r <= (b == crc_r[7:0]); state_r <= S_CRC1; end
                S_CRC1: if (i_rx_valid) begin crc_ok_r <= crc_lo_ok_r && (b == crc_r[15:8]); state_r <= S_CHECK; end
                S_CHECK: if (!crc_ok_r || i_rx_overflow) begin
                    // lost bytes are reported before a bad CRC (they are its likely cause)
                    o_rsp_valid    <= 1'b1;
                    status_r       <= i_rx_overflow ? 8'(`PROTO_NAK_OVERFLOW) : 8'(`PROTO_NAK_CRC);
                    o_clr_overflow <= i_rx_overflow;
                    skip_next_r    <= 1'b0;
                    state_r     <= S_RESP;
                end else begin
                    o_frame_good <= 1'b1;
                    // WRITE_*: dcnt_r data bytes; READ_BACK: rb_len_r bytes
                    end_r        <= {1'b0, off_r} + (is_rb ? (RS+1)'(rb_len_r) : (RS+1)'(dcnt_r));
                    size_r       <= is_rb ? rb_size : wr_size;
                    rb_len_bad_r <= rb_len_hi_r || (rb_len_r == BW'(0)) ||
                                    qn_gt(32'(rb_len_r), `PROTO_MAX_CHUNK);
                    state_r      <= S_SUMS;
                end
                S_SUMS: begin
                    range_bad_r <= off_hi_r || end_r > size_r;
                    no_region_r <= (size_r == (RS+1)'(0));
                    state_r     <= S_VERDICT;
                end
                S_VERDICT: begin
                    status_r <= exec_status;
                    state_r  <= S_EXEC;
                end
                // EXEC waits until the last bus write (an INFER's last pixel) has reached the core
                S_EXEC: if (!o_wr_valid && dec_idle) begin
                    if (is_z && (dec_bad_r || !no_pix_left)) begin
                        o_rsp_valid <= 1'b1;
                        status_r    <= 8'(`PROTO_NAK_FRAMING);
                        skip_next_r <= 1'b0;
                        state_r     <= S_RESP;
                    end else if (is_infer || is_z) begin
                        // no answer now: the result is the answer
                        o_infer_accept <= 1'b1;
                        state_r        <= S_HUNT;
                    end else begin
                        // the answer: sent now, or once COMMIT has written the payload buffer out
                        o_rsp_valid <= !commit;
                        skip_next_r <= 1'b0;
                        idx_r       <= '0;
                        left_r      <= dcnt_r;
                        state_r     <= commit ? S_COMMIT_RD : S_RESP;
                        if (is_reset) begin
                            o_reset  <= 1'b1;
                            o_cfg_ok <= 1'b0;
                        end
                        if (commit && is_cfg) o_cfg_ok <= 1'b0;
                        if (is_baud && ok) o_baud_set <= 1'b1;
                    end
                end
                S_COMMIT_RD: state_r <= S_COMMIT_WR;
                S_COMMIT_WR: if (!o_wr_valid) begin
                    o_wr_valid <= 1'b1;
                    o_wr_data  <= buf_q;
                    idx_r      <= idx_r + 1'b1;
                    if (left_r == CW'(1)) begin
                        o_rsp_valid <= 1'b1;
                        state_r     <= S_RESP;
                        if (is_cfg) begin
                            o_cfg_ok     <= 1'b1;
                            infer_len_r  <= CW'(`PROTO_INF_PIXELS) + CW'(cfg_n_in0);
                            q4_r         <= cfg_q4;
                            o_res_len    <= LW'(`SNN_RES_COUNTS) + LW'(cfg_n_out_last);
                        end
                    end else begin
                        state_r <= S_COMMIT_RD;
                    end
                end
                S_RESP: if (!o_rsp_valid || i_rsp_ack) state_r <= skip_next_r ? S_SKIP : S_HUNT;
                S_SKIP: if (i_rx_valid) begin
                    if (left_r == CW'(1 - `PROTO_CRC_BYTES)) state_r <= S_HUNT;
                end
                default: state_r <= S_HUNT;
            endcase
        end
    end
endmodule
