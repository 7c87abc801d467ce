// qn_tx_engine.v : frames the board's answers: header, payload (INFO record or bytes read
// from the core's bus), CRC-16.  Port A carries command answers, port B INFER results;
// the two take turns when both wait.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"
`include "snn_protocol.vh"

module qn_tx_engine #(
    parameter integer LW = 10                    // payload length width (PROTO_RESULT_BYTES fits)
) (
    // clock and reset
    input  wire                          i_clk,
    input  wire                          i_rst,
    // port A: command answers, held until o_a_ack
    input  wire                          i_a_valid,
    input  wire [7:0]                    i_a_op,
    input  wire [7:0]                    i_a_seq,
    input  wire [7:0]                    i_a_status,
    input  wire [LW-1:0]                 i_a_len,
    input  wire                          i_a_bus,      // payload from the bus (else INFO record)
    input  wire [`SNN_BUS_ADDR_BITS-1:0] i_a_addr,     // first byte's address; INFO: its offset bits are 0
    output reg                           o_a_ack,
    // port B: INFER results (the result region), held until o_b_read
    input  wire                          i_b_valid,
    input  wire [7:0]                    i_b_seq,
    input  wire [LW-1:0]                 i_b_len,
    output reg                           o_b_read,     // pulse: the last payload byte was read
    // bus read port
    output reg                           o_rd_valid,
    output reg  [`SNN_BUS_ADDR_BITS-1:0] o_rd_addr,    // counts up through the payload
    input  wire                          i_rd_done,
    input  wire [7:0]                    i_rd_data,
    // INFO record: i_info_data is the byte at o_info_idx one clock later (o_info_idx moves
    // right after a byte is handed over; the next one is taken at least two clocks after that)
    output wire [5:0]                    o_info_idx,
    input  wire [7:0]                    i_info_data,
    // UART transmitter
    output reg                           o_tx_valid,
    output reg  [7:0]                    o_tx_data,
    input  wire                          i_tx_ready,
    // status
    output wire                          o_idle,
    output reg  [15:0]                   o_naks        // NAKs sent, saturating
);
    localparam [2:0] T_IDLE = 3'd0, T_HDR = 3'd1, T_PAY = 3'd2, T_CRC0 = 3'd3, T_CRC1 = 3'd4;
    localparam integer AW = `SNN_BUS_ADDR_BITS;
    localparam integer RS = `SNN_BUS_REGION_SHIFT;

    reg  [2:0]    state_r;
    reg  [7:0]    op_r, seq_r, status_r;
    reg  [2:0]    hidx_r;              // header byte being sent
    reg  [LW-1:0] left_r;              // payload bytes still to send (the length in the header)
    reg           bus_r, port_b_r, last_b_r;
    reg  [15:0]   crc_r;
    reg  [7:0]    byte_c;
    wire [15:0]   crc_next;
    // INFO payloads count o_rd_addr up from i_a_addr too: its low bits index the record
    assign o_info_idx = o_rd_addr[5:0];
    assign o_idle = (state_r == T_IDLE) && !o_tx_valid && i_tx_ready;

    qn_crc16 crc (.i_crc(crc_r), .i_data(byte_c), .o_crc(crc_next));

    // the header byte at hidx_r, or the payload byte
    always @(*) begin
        case (hidx_r)
            3'd0:    byte_c = 8'(`PROTO_SYNC_RSP);
            3'd1:    byte_c = op_r;
            3'd2:    byte_c = seq_r;
            3'd3:    byte_c = status_r;
            3'd4:    byte_c = left_r[7:0];
            default: byte_c = 8'(left_r[LW-1:8]);
        endcase
        if (state_r == T_PAY) byte_c = bus_r ? i_rd_data : i_info_data;
    end

    wire take_b = i_b_valid && (!i_a_valid || !last_b_r);

    // state_r, frame registers, o_tx_valid/o_tx_data: one byte handed to the UART at a time
    always @(posedge i_clk) begin
        o_a_ack  <= 1'b0;
        o_b_read <= 1'b0;
        if (o_tx_valid && i_tx_ready) o_tx_valid <= 1'b0;
        if (i_rd_done) o_rd_valid <= 1'b0;
        if (i_rst) begin
            state_r    <= T_IDLE;
            o_tx_valid <= 1'b0;
            o_rd_valid <= 1'b0;
            o_naks     <= 16'd0;
            last_b_r   <= 1'b0;
        end else begin
            case (state_r)
                T_IDLE: if ((i_a_valid && !o_a_ack) || take_b) begin
                    state_r  <= T_HDR;
                    hidx_r   <= 3'd0;
                    crc_r    <= 16'(`PROTO_CRC_INIT);
                    port_b_r <= take_b;
                    last_b_r <= take_b;
                    if (take_b) begin
                        op_r      <= 8'(`PROTO_OP_INFER);
                        seq_r     <= i_b_seq;
                        status_r  <= 8'(`PROTO_OK);
                        left_r    <= i_b_len;
                        bus_r     <= 1'b1;
                        o_rd_addr <= AW'(`SNN_REGION_RESULT) << RS;
                    end else begin
                        o_a_ack   <= 1'b1;
                        op_r      <= i_a_op;
                        seq_r     <= i_a_seq;
                        status_r  <= i_a_status;
                        left_r    <= i_a_len;
                        bus_r     <= i_a_bus;
                        o_rd_addr <= i_a_addr;
                        if (i_a_status != 8'(`PROTO_OK) && o_naks != 16'hffff) o_naks <= o_naks + 1'b1;
                    end
                end
                T_HDR: if (!o_tx_valid) begin
                    o_tx_valid <= 1'b1;
                    o_tx_data  <= byte_c;
                    if (hidx_r != 3'd0) crc_r <= crc_next;
                    hidx_r <= hidx_r + 1'b1;
                    if (hidx_r == 3'(`PROTO_RSP_HDR_BYTES - 1))
                        state_r <= (left_r == LW'(0)) ? T_CRC0 : T_PAY;
                end
                T_PAY: if (!o_tx_valid) begin
                    if (bus_r && !o_rd_valid && !i_rd_done) o_rd_valid <= 1'b1;
                    if (!bus_r || i_rd_done) begin
                        o_tx_valid <= 1'b1;
                        o_tx_data  <= byte_c;
                        crc_r      <= crc_next;
                        // the payload never crosses a region: only the offset bits count
                        o_rd_addr[RS-1:0] <= o_rd_addr[RS-1:0] + 1'b1;
                        left_r     <= left_r - 1'b1;
                        if (left_r == LW'(1)) begin
                            state_r  <= T_CRC0;
                            o_b_read <= port_b_r;
                        end
                    end
                end
                T_CRC0: if (!o_tx_valid) begin
                    o_tx_valid <= 1'b1;
                    o_tx_data  <= crc_r[7:0];
                    state_r    <= T_CRC1;
                end
                T_CRC1: if (!o_tx_valid) begin
                    o_tx_valid <= 1'b1;
                    o_tx_data  <= crc_r[15:8];
                    state_r    <= T_IDLE;
                end
                default: state_r <= T_IDLE;
            endcase
        end
    end
endmodule
