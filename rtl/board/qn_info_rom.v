// qn_info_rom.v : the INFO answer (PROTO_INFO_* layout), one byte at a time, registered: o_data
// is the byte at i_idx one clock later (the transmitter waits far longer between bytes).
// The cycle count is a snapshot taken while no frame is sent, kept as a register that rotates
// by a byte as each of its bytes is sent (one byte in the record's mux, not six): after the
// sixth it is the snapshot again, for an answer that follows without a pause.
// SPDX-License-Identifier: MIT
`default_nettype none
`include "snn_config.vh"
`include "snn_protocol.vh"

module qn_info_rom #(
    parameter [31:0] BUILD_ID = 32'd0,
    parameter [31:0] CLK_HZ   = 32'(`PROTO_DEFAULT_CLK_HZ),
    parameter [7:0]  RATES    = 8'd1        // PROTO_INFO_RATES: bit i, rate i supported
) (
    input  wire        i_clk,
    input  wire        i_snap,      // no frame is being sent: take the cycle count
    input  wire        i_next,      // the byte at i_idx was sent (i_idx moves on next)
    input  wire [5:0]  i_idx,
    input  wire [7:0]  i_state,     // PROTO_INFO_STATE bits
    input  wire [15:0] i_naks,
    input  wire [1:0]  i_rate,      // the rate in use (PROTO_BAUD_<i_rate>)
    input  wire [47:0] i_cycles,
    output reg  [7:0]  o_data
);
`include "qn_gt.vh"

    localparam integer CYC = `PROTO_INFO_CYCLES;
    localparam integer IW  = $clog2(CYC);          // index bits of the bytes before it
    generate
        if (CYC + 8 != `PROTO_INFO_BYTES) begin : g_bad_layout
            // the cycle count is taken as the record's last field: elaboration stops here
            qn_info_rom_cycles_not_last bad ();
        end
        if (`PROTO_INFO_BAUD != 12 || `PROTO_INFO_NAKS != 30 || `PROTO_INFO_RATES != 32 ||
            `PROTO_INFO_FRAMINGS != 33) begin : g_bad_fields
            // the record below is written out at these offsets: elaboration stops here
            qn_info_rom_layout_changed bad ();
        end
    endgenerate

    // cyc_r: the snapshot while no frame is sent; then its low byte is the byte being sent
    reg  [47:0] cyc_r;
    wire        in_cyc = qn_gt(32'(i_idx), CYC - 1) && !qn_gt(32'(i_idx), CYC + 5);
    always @(posedge i_clk)
        if (i_snap)                cyc_r <= i_cycles;
        else if (i_next && in_cyc) cyc_r <= {cyc_r[7:0], cyc_r[47:8]};

    // the baud in use: constants chosen by the rate index (no register of its own)
    wire [31:0] baud = i_rate == 2'd2 ? 32'(`PROTO_BAUD_2) : i_rate == 2'd1 ? 32'(`PROTO_BAUD_1) : 32'(`PROTO_BAUD_0);

    // the record before the cycle count, byte 0 in the low bits; fields at their PROTO_INFO_* offsets
    wire [8*CYC-1:0] rec = {
        48'd0,                                       // 34..39
        8'd3,                                        // 33 framings: INFER and INFER_Z
        RATES,                                       // 32
        i_naks,                                      // 30
        i_state,                                     // 29
        8'(`SNN_LANES),                              // 28
        32'(`SNN_WEIGHT_BYTES),                      // 24
        16'(`SNN_MAX_TOTAL_NEURONS),                 // 22
        16'(`SNN_MAX_NEURONS),                       // 20
        16'(`SNN_MAX_INPUTS),                        // 18
        8'(`SNN_MAX_STEPS),                          // 17
        8'(`SNN_MAX_LAYERS),                         // 16
        baud,                                        // 12
        CLK_HZ,                                      // 8
        BUILD_ID,                                    // 4
        16'(`PROTO_MAX_CHUNK),                       // 2
        8'(`PROTO_INFER_WINDOW),                     // 1
        8'(`PROTO_VERSION)                           // 0
    };
    // o_data: the byte at i_idx, registered (keeps the record's mux out of the CRC path)
    always @(posedge i_clk)
        if (in_cyc)                          o_data <= cyc_r[7:0];
        else if (qn_gt(32'(i_idx), CYC - 1)) o_data <= 8'd0;    // the u64's top bytes, past the end
        else                                 o_data <= rec[8 * i_idx[IW-1:0] +: 8];
endmodule
