// qn_board.v : everything on the FPGA behind the clock: UART, receive FIFO, command engine,
// answer framer, bus arbiter, INFER sequencer, the snn_core accelerator and status LEDs.
// The UART starts at PROTO_BAUD_0 (PROTO_DEFAULT_BAUD); SET_BAUD moves both directions to
// another rate once its answer is out; PROTO_BAUD_REVERT_ERRORS framing errors with no good
// frame between bring it back to rate 0 (a host that lost the rate talks at rate 0).
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"
`include "snn_protocol.vh"

module qn_board #(
    parameter integer CLK_HZ   = `PROTO_DEFAULT_CLK_HZ,
    parameter integer MAX_BAUD = `PROTO_BAUD_2,   // the fastest rate the USB bridge makes
    parameter [31:0]  BUILD_ID = 32'd0
) (
    // clock and reset
    input  wire i_clk,
    input  wire i_rst,
    // UART
    input  wire i_rx,
    output wire o_tx,
    // status
    output wire o_led_act,    // an image in flight or a byte on the line (stretched)
    output wire o_led_err,    // a NAK was sent (stretched)
    output wire o_idle        /*verilator public_flat_rd*/  // nothing to do until a byte comes
);
    // the rates: clocks per bit, and which ones the clock divides into >= 3 whole clocks
    localparam integer DW = $clog2(CLK_HZ / `PROTO_BAUD_0 + 1);
    localparam integer DIV0 = CLK_HZ / `PROTO_BAUD_0, DIV1 = CLK_HZ / `PROTO_BAUD_1, DIV2 = CLK_HZ / `PROTO_BAUD_2;
    localparam [2:0] RATES = {CLK_HZ % `PROTO_BAUD_2 == 0 && DIV2 >= `PROTO_MIN_CLKS_PER_BIT && `PROTO_BAUD_2 <= MAX_BAUD,
                              CLK_HZ % `PROTO_BAUD_1 == 0 && DIV1 >= `PROTO_MIN_CLKS_PER_BIT && `PROTO_BAUD_1 <= MAX_BAUD,
                              CLK_HZ % `PROTO_BAUD_0 == 0 && DIV0 >= `PROTO_MIN_CLKS_PER_BIT};
    localparam integer TIMEOUT_CLKS = CLK_HZ / 1000000 * `PROTO_TIMEOUT_US;
    localparam integer AW = `SNN_BUS_ADDR_BITS;
    localparam integer LW = $clog2(`PROTO_RESULT_BYTES + 1);   // answer payload lengths
    // the frame timeout counts ticks of 2^TICK_LOG2 clocks (cycles_r bit TICK_LOG2): one more
    // than needed, since the first tick comes anywhere in its period
    localparam integer TICK_LOG2     = 12;
    localparam integer TIMEOUT_TICKS = (TIMEOUT_CLKS + (1 << TICK_LOG2) - 1) / (1 << TICK_LOG2) + 1;
    generate
        if (!RATES[0] || `PROTO_BAUD_RATES != 3 || `PROTO_DEFAULT_BAUD != `PROTO_BAUD_0) begin : g_bad_baud
            // the UART counts whole clocks per bit and must run rate 0: elaboration stops here
            qn_board_CLK_HZ_must_be_a_multiple_of_PROTO_BAUD_0 bad ();
        end
        if (`PROTO_INFER_HOLD_BYTES + `PROTO_RX_FIFO_MARGIN > `PROTO_RX_FIFO_BYTES) begin : g_bad_hold
            // INFERs held beyond the window must fit the receive FIFO with a margin for the
            // frame being decoded before them: elaboration stops here
            qn_board_PROTO_INFER_HOLD_BYTES_must_fit_PROTO_RX_FIFO_BYTES bad ();
        end
    endgenerate

    // ---- baud rate: rate_r selects clocks per bit (div_r) and the start bit's wait (half_r),
    // registered from constants.  A SET_BAUD takes effect once its answer has left the UART
    wire          baud_set, frame_good, rx_frame_err_w, tx_idle;
    wire [1:0]    baud_rate;
    reg  [1:0]    rate_r, pend_rate_r;
    reg           pend_r, pend_sent_r;
    reg  [DW-1:0] div_r, half_r;
    reg  [4:0]    ferr_r;                 // framing errors since the last good frame
    always @(posedge i_clk) begin
        case (rate_r)
            2'd1:    begin div_r <= DW'(DIV1); half_r <= DW'((DIV1 - 1) / 2 - 1); end
            2'd2:    begin div_r <= DW'(DIV2); half_r <= DW'((DIV2 - 1) / 2 - 1); end
            default: begin div_r <= DW'(DIV0); half_r <= DW'((DIV0 - 1) / 2 - 1); end
        endcase
        if (i_rst) begin
            rate_r      <= 2'd0;
            pend_r      <= 1'b0;
            pend_sent_r <= 1'b0;
            ferr_r      <= 5'd0;
        end else begin
            if (baud_set) begin
                pend_r      <= 1'b1;
                pend_sent_r <= 1'b0;
                pend_rate_r <= baud_rate;
            end else if (pend_r && !tx_idle) begin
                pend_sent_r <= 1'b1;            // the answer is on its way
            end else if (pend_r && pend_sent_r) begin
                pend_r <= 1'b0;                 // ... and out: switch
                rate_r <= pend_rate_r;
            end
            if (frame_good) begin
                ferr_r <= 5'd0;
            end else if (rx_frame_err_w) begin
                ferr_r <= ferr_r + 1'b1;
                if (ferr_r == 5'(`PROTO_BAUD_REVERT_ERRORS - 1)) begin
                    ferr_r <= 5'd0;
                    rate_r <= 2'd0;
                end
            end
        end
    end

    // ---- UART and receive FIFO
    wire       rx_valid, rx_frame_err, rx_busy;
    wire [7:0] rx_data;
    assign rx_frame_err_w = rx_frame_err;
    qn_uart_rx #(.CW(DW)) uart_rx (
        .i_clk(i_clk), .i_rst(i_rst), .i_div(div_r), .i_half(half_r), .i_rx(i_rx),
        .o_valid(rx_valid), .o_data(rx_data), .o_frame_err(rx_frame_err), .o_busy(rx_busy)
    );

    wire       fifo_valid, fifo_sync, fifo_pop, fifo_overflow, fifo_clr, fifo_empty;
    wire [7:0] fifo_data;
    qn_fifo #(.DEPTH(`PROTO_RX_FIFO_BYTES), .MATCH(8'(`PROTO_SYNC_REQ))) rx_fifo (
        .i_clk(i_clk), .i_rst(i_rst),
        .i_push(rx_valid), .i_data(rx_data),
        .o_valid(fifo_valid), .o_data(fifo_data), .o_match(fifo_sync), .i_pop(fifo_pop),
        .i_clr_overflow(fifo_clr), .o_overflow(fifo_overflow), .o_empty(fifo_empty)
    );

    wire       tx_valid, tx_ready;
    wire [7:0] tx_data;
    qn_uart_tx #(.CW(DW)) uart_tx (
        .i_clk(i_clk), .i_rst(i_rst), .i_div(div_r),
        .i_valid(tx_valid), .i_data(tx_data), .o_ready(tx_ready), .o_tx(o_tx)
    );

    // ---- command engine
    wire          wr_valid, wr_ack, infer_accept, cmd_reset;
    wire [AW-1:0] wr_addr;
    wire [7:0]    wr_data, infer_seq;
    wire          rsp_valid, rsp_bus, rsp_ack, cfg_ok, rx_idle;
    wire [7:0]    rsp_op, rsp_seq, rsp_status;
    wire [LW-1:0] rsp_len;
    wire [AW-1:0] rsp_addr;
    wire [LW-1:0] res_len;
    wire          seq_full, seq_busy;
    wire          tick;
    qn_rx_engine #(.TIMEOUT_TICKS(TIMEOUT_TICKS), .LW(LW)) rx_engine (
        .i_clk(i_clk), .i_rst(i_rst), .i_tick(tick),
        .i_rx_valid(fifo_valid), .i_rx_data(fifo_data), .i_rx_sync(fifo_sync), .o_rx_pop(fifo_pop),
        .i_rx_overflow(fifo_overflow), .o_clr_overflow(fifo_clr),
        .o_wr_valid(wr_valid), .o_wr_addr(wr_addr), .o_wr_data(wr_data), .i_wr_ack(wr_ack),
        .i_busy(seq_busy), .i_infer_full(seq_full),
        .o_infer_accept(infer_accept), .o_infer_seq(infer_seq), .o_reset(cmd_reset),
        .i_rates(RATES), .o_baud_set(baud_set), .o_baud_rate(baud_rate), .o_frame_good(frame_good),
        .o_rsp_valid(rsp_valid), .o_rsp_op(rsp_op), .o_rsp_seq(rsp_seq), .o_rsp_status(rsp_status),
        .o_rsp_len(rsp_len), .o_rsp_bus(rsp_bus), .o_rsp_addr(rsp_addr), .i_rsp_ack(rsp_ack),
        .o_cfg_ok(cfg_ok), .o_res_len(res_len),
        .o_idle(rx_idle)
    );

    // ---- the core and its sequencer; RESET resets both
    reg core_rst_r;
    always @(posedge i_clk) core_rst_r <= i_rst || cmd_reset;

    wire          core_start, core_busy, core_done, res_valid, res_read;
    wire [7:0]    res_seq;
    qn_infer_seq infer_seq_u (
        .i_clk(i_clk), .i_rst(core_rst_r),
        .i_accept(infer_accept), .i_seq(infer_seq),
        .o_start(core_start), .i_core_busy(core_busy), .i_core_done(core_done),
        .o_res_valid(res_valid), .o_res_seq(res_seq), .i_res_read(res_read),
        .o_full(seq_full), .o_busy(seq_busy)
    );

    wire          bus_we, bus_re, bus_rvalid, rd_valid, rd_done, rd_timeout;
    wire [AW-1:0] bus_addr, rd_addr;
    wire [7:0]    bus_wdata, bus_rdata, rd_data;
    qn_bus_arb arb (
        .i_clk(i_clk), .i_rst(i_rst),
        .i_wr_valid(wr_valid), .i_wr_addr(wr_addr), .i_wr_data(wr_data), .o_wr_ack(wr_ack),
        .i_rd_valid(rd_valid), .i_rd_addr(rd_addr), .o_rd_done(rd_done), .o_rd_data(rd_data),
        .o_rd_timeout(rd_timeout),
        .o_bus_we(bus_we), .o_bus_re(bus_re), .o_bus_addr(bus_addr), .o_bus_wdata(bus_wdata),
        .i_bus_rdata(bus_rdata), .i_bus_rvalid(bus_rvalid)
    );

    snn_core core (
        .i_clk(i_clk), .i_rst(core_rst_r),
        .i_bus_we(bus_we), .i_bus_re(bus_re), .i_bus_addr(bus_addr), .i_bus_wdata(bus_wdata),
        .o_bus_rdata(bus_rdata), .o_bus_rvalid(bus_rvalid),
        .i_start(core_start), .o_busy(core_busy), .o_done(core_done)
    );

    // ---- answers
    reg  [47:0] cycles_r;
    wire [5:0]  info_idx;
    wire [7:0]  info_data;
    wire [15:0] naks;
    qn_info_rom #(.BUILD_ID(BUILD_ID), .CLK_HZ(CLK_HZ), .RATES(8'(RATES))) info (
        .i_clk(i_clk), .i_snap(tx_idle), .i_idx(info_idx),
        .i_state({6'd0, seq_busy, cfg_ok}), .i_naks(naks), .i_rate(rate_r), .i_cycles(cycles_r), .o_data(info_data)
    );

    qn_tx_engine #(.LW(LW)) tx_engine (
        .i_clk(i_clk), .i_rst(i_rst),
        .i_a_valid(rsp_valid), .i_a_op(rsp_op), .i_a_seq(rsp_seq), .i_a_status(rsp_status),
        .i_a_len(rsp_len), .i_a_bus(rsp_bus), .i_a_addr(rsp_addr), .o_a_ack(rsp_ack),
        .i_b_valid(res_valid), .i_b_seq(res_seq),
        .i_b_len(res_len), .o_b_read(res_read),
        .o_rd_valid(rd_valid), .o_rd_addr(rd_addr), .i_rd_done(rd_done), .i_rd_data(rd_data),
        .o_info_idx(info_idx), .i_info_data(info_data),
        .o_tx_valid(tx_valid), .o_tx_data(tx_data), .i_tx_ready(tx_ready),
        .o_idle(tx_idle), .o_naks(naks)
    );

    // cycles_r: clocks since reset, in two 24-bit halves with a registered carry (a 48-bit carry
    // chain would limit fmax); INFO reports the value when its frame began
    reg lo_full_r;
    always @(posedge i_clk) begin
        if (i_rst) begin
            cycles_r  <= 48'd0;
            lo_full_r <= 1'b0;
        end else begin
            cycles_r[23:0] <= cycles_r[23:0] + 1'b1;
            lo_full_r      <= (cycles_r[23:0] == 24'hfffffe);
            if (lo_full_r) cycles_r[47:24] <= cycles_r[47:24] + 1'b1;
        end
    end

    assign o_idle = rx_idle && fifo_empty && !rx_busy && tx_idle && !seq_busy && !rsp_valid && !pend_r;

    // tick: the frame timeout's time base, a pulse when cycles_r bit TICK_LOG2 toggles
    reg  tick_bit_r;
    always @(posedge i_clk) tick_bit_r <= cycles_r[TICK_LOG2];
    assign tick = tick_bit_r != cycles_r[TICK_LOG2];

    // ---- LEDs: activity and errors, stretched by 2..3 periods of cycles_r bit 21 (~120 ms at 36 MHz)
    reg  bit21_r;
    always @(posedge i_clk) bit21_r <= cycles_r[21];
    wire led_tick = bit21_r != cycles_r[21];
    qn_stretch led_act (
        .i_clk(i_clk), .i_rst(i_rst), .i_tick(led_tick),
        .i_pulse(seq_busy || rx_busy || !tx_idle), .o_on(o_led_act)
    );
    qn_stretch led_err (
        .i_clk(i_clk), .i_rst(i_rst), .i_tick(led_tick),
        .i_pulse(rsp_ack && rsp_status != 8'(`PROTO_OK) || rx_frame_err || rd_timeout), .o_on(o_led_err)
    );
endmodule
