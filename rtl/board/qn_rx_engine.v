// qn_rx_engine.v : the board's command engine: parses request frames from the receive FIFO,
// checks them (header, CRC, capacity, state), executes them on the core's byte bus and asks
// the transmitter for the answer.  docs/protocol.md describes the frames it accepts.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"
`include "snn_protocol.vh"

module qn_rx_engine #(
    parameter integer TIMEOUT_CLKS = 960000    // PROTO_TIMEOUT_US at the core clock
) (
    // clock and reset
    input  wire                          i_clk,
    input  wire                          i_rst,
    // request bytes from the receive FIFO (first word fall through)
    input  wire                          i_rx_valid,
    input  wire [7:0]                    i_rx_data,
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
    output reg  [7:0]                    o_infer_seq,
    output reg                           o_reset,        // pulse: RESET command
    // answer for the transmitter: held until i_rsp_ack
    output reg                           o_rsp_valid,
    output reg  [7:0]                    o_rsp_op,
    output reg  [7:0]                    o_rsp_seq,
    output reg  [7:0]                    o_rsp_status,
    output reg  [15:0]                   o_rsp_len,
    output reg                           o_rsp_bus,      // payload from bus reads (else INFO)
    output reg  [`SNN_BUS_ADDR_BITS-1:0] o_rsp_addr,
    input  wire                          i_rsp_ack,
    // configuration shadow
    output reg                           o_cfg_ok,
    output reg  [9:0]                    o_n_out_last,
    // status
    output wire                          o_idle          // waiting for a frame, nothing pending
);
    localparam integer RS = `SNN_BUS_REGION_SHIFT;
    localparam integer AW = `SNN_BUS_ADDR_BITS;

    /* state table
     *   HUNT    wait for PROTO_SYNC_REQ          OP, SEQ, LEN0, LEN1  header bytes
     *   LENS    compare the length           HDR, ADMIT           check the header, accept or refuse it
     *   PAY     payload bytes
     *   CRC0/1  check                            CHECK, SUMS          capacity and range checks
     *   EXEC    act on a good frame              COMMIT_RD/WR         payload buffer -> bus
     *   RESP    wait for the transmitter         SKIP                 drop a refused payload */
    localparam [4:0] S_HUNT = 5'd0, S_OP = 5'd1, S_SEQ = 5'd2, S_LEN0 = 5'd3, S_LEN1 = 5'd4,
                     S_PAY = 5'd5, S_CRC0 = 5'd6, S_CRC1 = 5'd7, S_EXEC = 5'd8,
                     S_COMMIT_RD = 5'd9, S_COMMIT_WR = 5'd10, S_RESP = 5'd11, S_SKIP = 5'd12,
                     S_HDR = 5'd13, S_CHECK = 5'd14, S_ADMIT = 5'd15, S_SUMS = 5'd16,
                     S_LENS = 5'd17;

    reg  [4:0]    state_r;             // only ever assigned constants: Yosys recodes it one-hot
    reg           skip_next_r;         // RESP goes on to SKIP (else HUNT) once the answer is taken
    reg  [7:0]    op_r, seq_r;
    reg  [15:0]   len_r, idx_r, left_r;   // left_r: payload / commit / skipped bytes still to go
    reg           idx_lo_r;            // idx_r < 8 (payload fields are told apart on idx_r[2:0])
    reg           is_infer, is_cfg, is_write, is_rb, is_info, is_reset;   // op_r decoded on arrival
    reg           timed_out;           // timer_r reached TIMEOUT_CLKS
    reg  [15:0]   crc_r;
    reg           crc_lo_ok_r, crc_ok_r;   // the received CRC bytes match
    reg  [31:0]   off_r;               // WRITE_* / READ_BACK offset
    reg  [7:0]    region_r;            // READ_BACK region
    reg  [15:0]   rb_len_r;            // READ_BACK length
    reg  [AW-1:0] base_r;              // commit destination
    reg  [23:0]   timer_r;
    wire [15:0]   crc_next;
    wire [15:0]   pix_idx = idx_r - 16'(`PROTO_INF_PIXELS);
    reg  [15:0]   infer_len_r;         // shadow: INFER payload length for the valid configuration
    wire [7:0]    b = i_rx_data;

    qn_crc16 crc (.i_crc(crc_r), .i_data(b), .o_crc(crc_next));

    // ---- payload buffer: a checked frame is committed from here, so a bad one writes nothing
    reg        buf_we_r;
    reg  [8:0] buf_waddr_r;
    reg  [7:0] buf_wdata_r;
    wire [7:0] buf_q;
    qn_ram_sdp #(.W(8), .DEPTH(`PROTO_MAX_CHUNK)) payload_buf (
        .i_clk(i_clk),
        .i_we(buf_we_r), .i_waddr(buf_waddr_r), .i_wdata(buf_wdata_r),
        .i_re(state_r == S_COMMIT_RD), .i_raddr(idx_r[8:0]), .o_rdata(buf_q)
    );

    // ---- byte intake: only in the states that read bytes, and for INFER only with the bus port free
    wire takes = (state_r == S_HUNT) || (state_r == S_OP) || (state_r == S_SEQ) ||
                 (state_r == S_LEN0) || (state_r == S_LEN1) || (state_r == S_CRC0) ||
                 (state_r == S_CRC1) || (state_r == S_SKIP) ||
                 (state_r == S_PAY && !(is_infer && o_wr_valid));
    wire pop = i_rx_valid && takes;
    // inside the state machine each state knows it takes bytes: its enables use these (shorter)
    wire pay_take = i_rx_valid && !(is_infer && o_wr_valid);
    assign o_rx_pop = pop;
    wire in_frame = (state_r == S_OP) || (state_r == S_SEQ) || (state_r == S_LEN0) ||
                    (state_r == S_LEN1) || (state_r == S_PAY) || (state_r == S_CRC0) ||
                    (state_r == S_CRC1) || (state_r == S_LENS) || (state_r == S_HDR) ||
                    (state_r == S_ADMIT);
    assign o_idle = (state_r == S_HUNT) && !i_rx_valid && !o_wr_valid;

    // ---- configuration checker, fed as the WRITE_CONFIG payload arrives
    wire        cfg_good;
    wire [10:0] cfg_n_in0;
    wire [9:0]  cfg_n_out_last;
    qn_cfg_check cfg (
        .i_clk(i_clk), .i_clear(state_r == S_HDR),
        .i_valid(pop && state_r == S_PAY && is_cfg), .i_idx(idx_r[6:0]), .i_data(b),
        .o_ok(cfg_good), .o_n_in0(cfg_n_in0), .o_n_out_last(cfg_n_out_last)
    );

    // ---- header check: the length compares registered in LENS, the verdict in HDR
    reg         len_zero_r, len_cfg_r, len_wr_r, len_rb_r, len_inf_r;   // the length fits the op
    reg  [7:0]  hdr_status, hdr_status_r;
    always @(*) begin
        hdr_status = 8'(`PROTO_OK);
        case (op_r)
            8'(`PROTO_OP_INFO), 8'(`PROTO_OP_RESET):
                if (!len_zero_r) hdr_status = 8'(`PROTO_NAK_LENGTH);
            8'(`PROTO_OP_WRITE_CONFIG):
                if (!len_cfg_r) hdr_status = 8'(`PROTO_NAK_LENGTH);
                else if (i_busy) hdr_status = 8'(`PROTO_NAK_BUSY);
            8'(`PROTO_OP_WRITE_WEIGHTS), 8'(`PROTO_OP_WRITE_THRESHOLDS):
                if (!len_wr_r)
                    hdr_status = 8'(`PROTO_NAK_LENGTH);
                else if (i_busy) hdr_status = 8'(`PROTO_NAK_BUSY);
            8'(`PROTO_OP_READ_BACK):
                if (!len_rb_r) hdr_status = 8'(`PROTO_NAK_LENGTH);
                else if (i_busy) hdr_status = 8'(`PROTO_NAK_BUSY);
            8'(`PROTO_OP_INFER):
                if (!o_cfg_ok) hdr_status = 8'(`PROTO_NAK_NOCONFIG);
                else if (!len_inf_r) hdr_status = 8'(`PROTO_NAK_LENGTH);
                else if (i_infer_full) hdr_status = 8'(`PROTO_NAK_BUSY);
            default:
                hdr_status = 8'(`PROTO_NAK_OPCODE);
        endcase
    end

    // ---- execution check, on a frame whose CRC is good
    wire [15:0] n_data = len_r - 16'(`PROTO_WR_DATA);
    // offsets are checked as (upper bits zero) and (low bits + length <= size)
    wire        off_hi = |off_r[31:RS];
    reg  [RS:0] wr_end, rb_end;         // registered in CHECK, compared in SUMS
    reg  [RS:0] rb_size, rb_size_r, wr_size_r;
    always @(*) begin
        case (region_r)
            8'(`SNN_REGION_WEIGHTS):    rb_size = (RS+1)'(`SNN_WEIGHT_BYTES);
            8'(`SNN_REGION_THRESHOLDS): rb_size = (RS+1)'(`PROTO_THRESHOLD_BYTES);
            8'(`SNN_REGION_CONFIG):     rb_size = (RS+1)'(`SNN_CFG_BYTES);
            8'(`SNN_REGION_RESULT):     rb_size = (RS+1)'(`PROTO_RESULT_BYTES);
            8'(`SNN_REGION_MEMBRANES):  rb_size = (RS+1)'(`PROTO_MEMBRANE_BYTES);
            default:                    rb_size = (RS+1)'(0);    // pixels and unknown regions
        endcase
    end
    wire [RS:0] wr_size = (op_r == 8'(`PROTO_OP_WRITE_WEIGHTS)) ? (RS+1)'(`SNN_WEIGHT_BYTES)
                                                                : (RS+1)'(`PROTO_THRESHOLD_BYTES);
    wire [2:0]  wr_region = (op_r == 8'(`PROTO_OP_WRITE_WEIGHTS)) ? 3'(`SNN_REGION_WEIGHTS)
                                                                  : 3'(`SNN_REGION_THRESHOLDS);

    reg [7:0] exec_status;
    always @(*) begin
        exec_status = 8'(`PROTO_OK);
        if (is_cfg && !cfg_good)
            exec_status = 8'(`PROTO_NAK_CONFIG);
        if (is_write && (off_hi || wr_end > wr_size_r))
            exec_status = 8'(`PROTO_NAK_RANGE);
        if (is_rb) begin
            if (rb_size_r == (RS+1)'(0))
                exec_status = 8'(`PROTO_NAK_REGION);
            else if (rb_len_r == 16'd0 || rb_len_r > 16'(`PROTO_MAX_CHUNK) || off_hi ||
                     rb_end > rb_size_r)
                exec_status = 8'(`PROTO_NAK_RANGE);
        end
    end
    reg  [7:0] exec_status_r;
    reg        exec_ok_r;              // exec_status_r == PROTO_OK
    wire commit = (is_cfg || is_write) && exec_ok_r;

    // state_r and the frame registers: one byte per pop, one action per state
    always @(posedge i_clk) begin
        o_clr_overflow <= 1'b0;
        o_infer_accept <= 1'b0;
        o_reset        <= 1'b0;
        buf_we_r       <= 1'b0;
        if (i_wr_ack) o_wr_valid <= 1'b0;
        if (i_rsp_ack) o_rsp_valid <= 1'b0;
        // timer_r, timed_out: clocks since the last byte of a frame (registered compare)
        if (pop || !in_frame && state_r != S_SKIP || timed_out) begin
            timer_r   <= 24'd0;
            timed_out <= 1'b0;
        end else begin
            timer_r   <= timer_r + 1'b1;
            timed_out <= (timer_r == 24'(TIMEOUT_CLKS - 1));
        end

        if (i_rst) begin
            state_r      <= S_HUNT;
            skip_next_r  <= 1'b0;
            o_wr_valid   <= 1'b0;
            o_rsp_valid  <= 1'b0;
            o_cfg_ok     <= 1'b0;
            infer_len_r  <= 16'd0;
            o_n_out_last <= 10'd0;
            timer_r      <= 24'd0;
            timed_out    <= 1'b0;
            op_r         <= 8'd0;
            is_infer     <= 1'b0;
            is_cfg       <= 1'b0;
            is_write     <= 1'b0;
            is_rb        <= 1'b0;
            is_info      <= 1'b0;
            is_reset     <= 1'b0;
            seq_r        <= 8'd0;
        end else if (timed_out) begin
            // a frame stopped half way: say so (once) and look for the next one
            if (state_r == S_SKIP) begin
                state_r <= S_HUNT;
            end else begin
                o_rsp_valid  <= 1'b1;
                o_rsp_op     <= op_r;
                o_rsp_seq    <= seq_r;
                o_rsp_status <= 8'(`PROTO_NAK_TIMEOUT);
                o_rsp_len    <= 16'd0;
                o_rsp_bus    <= 1'b0;
                skip_next_r  <= 1'b0;
                state_r      <= S_RESP;
            end
        end else begin
            case (state_r)
                S_HUNT: if (i_rx_valid && b == 8'(`PROTO_SYNC_REQ)) begin
                    crc_r          <= 16'(`PROTO_CRC_INIT);
                    o_clr_overflow <= 1'b1;
                    op_r           <= 8'd0;
                    is_infer       <= 1'b0;
                    is_cfg         <= 1'b0;
                    is_write       <= 1'b0;
                    is_rb          <= 1'b0;
                    is_info        <= 1'b0;
                    is_reset       <= 1'b0;
                    seq_r          <= 8'd0;
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
                    crc_r    <= crc_next;
                    state_r  <= S_SEQ;
                end
                S_SEQ:  if (i_rx_valid) begin seq_r <= b; crc_r <= crc_next; state_r <= S_LEN0; end
                S_LEN0: if (i_rx_valid) begin len_r[7:0] <= b; crc_r <= crc_next; state_r <= S_LEN1; end
                S_LEN1: if (i_rx_valid) begin
                    len_r[15:8] <= b;
                    crc_r       <= crc_next;
                    idx_r       <= 16'd0;
                    idx_lo_r    <= 1'b1;
                    off_r       <= 32'd0;
                    state_r     <= S_LENS;
                end
                S_LENS: begin
                    len_zero_r <= (len_r == 16'd0);
                    len_cfg_r  <= (len_r == 16'(`SNN_CFG_BYTES));
                    len_wr_r   <= (len_r > 16'(`PROTO_WR_DATA)) &&
                                  (len_r <= 16'(`PROTO_WR_DATA + `PROTO_MAX_CHUNK));
                    len_rb_r   <= (len_r == 16'(`PROTO_RB_BYTES));
                    len_inf_r  <= (len_r == infer_len_r);
                    state_r    <= S_HDR;
                end
                S_HDR: begin
                    hdr_status_r <= hdr_status;
                    state_r      <= S_ADMIT;
                end
                S_ADMIT: if (hdr_status_r != 8'(`PROTO_OK)) begin
                    // refused on its header: answer now, then drop the payload it announced
                    o_rsp_valid  <= 1'b1;
                    o_rsp_op     <= op_r;
                    o_rsp_seq    <= seq_r;
                    o_rsp_status <= hdr_status_r;
                    o_rsp_len    <= 16'd0;
                    o_rsp_bus    <= 1'b0;
                    left_r       <= len_r + 16'(`PROTO_CRC_BYTES);
                    skip_next_r  <= (len_r <= 16'(`PROTO_MAX_PAYLOAD));
                    state_r      <= S_RESP;
                end else begin
                    left_r  <= len_r;
                    state_r <= (len_r == 16'd0) ? S_CRC0 : S_PAY;
                end
                S_PAY: if (pay_take) begin
                    crc_r <= crc_next;
                    idx_r  <= idx_r + 1'b1;
                    if (idx_r[2:0] == 3'd7) idx_lo_r <= 1'b0;
                    left_r <= left_r - 1'b1;
                    if (left_r == 16'd1) state_r <= S_CRC0;
                    if (is_cfg) begin
                        buf_we_r    <= 1'b1;
                        buf_waddr_r <= idx_r[8:0];
                        buf_wdata_r <= b;
                    end
                    if (is_write) begin
                        if (idx_lo_r && idx_r[2:0] < 3'(`PROTO_WR_DATA)) begin
                            off_r <= {b, off_r[31:8]};
                        end else begin
                            buf_we_r    <= 1'b1;
                            buf_waddr_r <= 9'(idx_r - 16'(`PROTO_WR_DATA));
                            buf_wdata_r <= b;
                        end
                    end
                    if (is_rb) begin
                        if (idx_lo_r && idx_r[2:0] == 3'(`PROTO_RB_REGION)) region_r <= b;
                        else if (idx_lo_r && idx_r[2:0] < 3'(`PROTO_RB_LEN)) off_r <= {b, off_r[31:8]};
                        else rb_len_r <= {b, rb_len_r[15:8]};
                    end
                    if (is_infer) begin
                        // pixels go straight into the core's double-buffered pixel region
                        o_wr_valid <= 1'b1;
                        o_wr_data  <= b;
                        if (idx_lo_r && idx_r[2:0] < 3'(`PROTO_INF_PIXELS))
                            o_wr_addr <= AW'((`SNN_REGION_PIXELS << RS) + `SNN_PIX_SEED) + AW'(idx_r);
                        else
                            o_wr_addr <= AW'(`SNN_REGION_PIXELS << RS) + AW'(pix_idx);
                    end
                end
                S_CRC0: if (i_rx_valid) begin crc_lo_ok_r <= (b == crc_r[7:0]); state_r <= S_CRC1; end
                S_CRC1: if (i_rx_valid) begin crc_ok_r <= crc_lo_ok_r && (b == crc_r[15:8]); state_r <= S_CHECK; end
                S_CHECK: if (!crc_ok_r || i_rx_overflow) begin
                    o_rsp_valid  <= 1'b1;
                    o_rsp_op     <= op_r;
                    o_rsp_seq    <= seq_r;
                    o_rsp_status <= !crc_ok_r ? 8'(`PROTO_NAK_CRC) : 8'(`PROTO_NAK_OVERFLOW);
                    o_rsp_len    <= 16'd0;
                    o_rsp_bus    <= 1'b0;
                    skip_next_r  <= 1'b0;
                    state_r      <= S_RESP;
                end else begin
                    wr_end  <= {1'b0, off_r[RS-1:0]} + (RS+1)'(n_data);
                    rb_end  <= {1'b0, off_r[RS-1:0]} + (RS+1)'(rb_len_r);
                    rb_size_r <= rb_size;
                    wr_size_r <= wr_size;
                    state_r <= S_SUMS;
                end
                S_SUMS: begin
                    exec_status_r <= exec_status;
                    exec_ok_r     <= (exec_status == 8'(`PROTO_OK));
                    state_r       <= S_EXEC;
                end
                S_EXEC: if (is_infer) begin
                    // no answer now: the result is the answer.  Start only once the last pixel
                    // write has reached the core.
                    if (!o_wr_valid) begin
                        o_infer_accept <= 1'b1;
                        o_infer_seq    <= seq_r;
                        state_r        <= S_HUNT;
                    end
                end else begin
                    // the answer: sent now, or once COMMIT has written the payload buffer out
                    o_rsp_valid  <= !commit;
                    o_rsp_op     <= op_r;
                    o_rsp_seq    <= seq_r;
                    o_rsp_status <= exec_status_r;
                    o_rsp_len    <= 16'd0;
                    o_rsp_bus    <= 1'b0;
                    skip_next_r  <= 1'b0;
                    idx_r        <= 16'd0;
                    state_r      <= commit ? S_COMMIT_RD : S_RESP;
                    if (is_cfg) begin
                        base_r <= AW'(`SNN_REGION_CONFIG) << RS;
                        left_r <= 16'(`SNN_CFG_BYTES);
                    end else begin
                        base_r <= (AW'(wr_region) << RS) | AW'(off_r[RS-1:0]);
                        left_r <= n_data;
                    end
                    if (is_info && exec_ok_r)
                        o_rsp_len <= 16'(`PROTO_INFO_BYTES);
                    if (is_rb && exec_ok_r) begin
                        o_rsp_len  <= rb_len_r;
                        o_rsp_bus  <= 1'b1;
                        o_rsp_addr <= (AW'(region_r[AW-RS-1:0]) << RS) | AW'(off_r[RS-1:0]);
                    end
                    if (is_reset) begin
                        o_reset  <= 1'b1;
                        o_cfg_ok <= 1'b0;
                    end
                    if (commit && is_cfg) o_cfg_ok <= 1'b0;
                end
                S_COMMIT_RD: state_r <= S_COMMIT_WR;
                S_COMMIT_WR: if (!o_wr_valid) begin
                    o_wr_valid <= 1'b1;
                    o_wr_addr  <= base_r + AW'(idx_r);
                    o_wr_data  <= buf_q;
                    idx_r      <= idx_r + 1'b1;
                    left_r     <= left_r - 1'b1;
                    if (left_r == 16'd1) begin
                        o_rsp_valid <= 1'b1;
                        state_r     <= S_RESP;
                        if (is_cfg) begin
                            o_cfg_ok     <= 1'b1;
                            infer_len_r  <= 16'(`PROTO_INF_PIXELS) + {5'd0, cfg_n_in0};
                            o_n_out_last <= cfg_n_out_last;
                        end
                    end else begin
                        state_r <= S_COMMIT_RD;
                    end
                end
                S_RESP: if (!o_rsp_valid || i_rsp_ack) state_r <= skip_next_r ? S_SKIP : S_HUNT;
                S_SKIP: if (i_rx_valid) begin
                    left_r <= left_r - 1'b1;
                    if (left_r == 16'd1) state_r <= S_HUNT;
                end
                default: state_r <= S_HUNT;
            endcase
        end
    end
endmodule
