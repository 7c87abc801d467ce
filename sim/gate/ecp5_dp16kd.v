// ecp5_dp16kd.v : simulation model of the ECP5 DP16KD block RAM for the gate-level check of the
// synth_ecp5 netlist (Yosys ships DP16KD as a blackbox; Lattice's model is not free).
// SPDX-License-Identifier: MIT
// It implements exactly what Yosys's mapping assumes of the cell (share/lattice/brams_16kd.txt
// and brams_map_16kd.v), no more: widths 1, 2, 4, 9 and 18 per port, 36 as a pseudo-dual-port
// (port A writes DIA + DIB, port B reads DOA + DOB); x18 byte enables on AD1:0, x36 on ADA3:0;
// NOREG (data one clock after the address), WRITEMODE NORMAL (output unchanged by a write),
// WRITETHROUGH (new data) or READBEFOREWRITE (old data); reset zeroes the output; contents start
// at zero.  A read of a word the other port writes in the same clock gives x (Yosys assumes no
// cross-port transparency), so a design that relied on it would fail the check.  Anything else
// (output registers, chip-select decoding, inverted clocks, initial values) stops the simulation.
`timescale 1ns / 1ps
`default_nettype none

module DP16KD (
    input  wire DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0,
    input  wire ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0,
    input  wire CEA, OCEA, CLKA, WEA, RSTA, CSA2, CSA1, CSA0,
    output wire DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0,
    input  wire DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0,
    input  wire ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0,
    input  wire CEB, OCEB, CLKB, WEB, RSTB, CSB2, CSB1, CSB0,
    output wire DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0
);
    parameter DATA_WIDTH_A = 18;
    parameter DATA_WIDTH_B = 18;
    parameter REGMODE_A = "NOREG";
    parameter REGMODE_B = "NOREG";
    parameter RESETMODE = "SYNC";
    parameter ASYNC_RESET_RELEASE = "SYNC";
    parameter CSDECODE_A = "0b000";
    parameter CSDECODE_B = "0b000";
    parameter WRITEMODE_A = "NORMAL";
    parameter WRITEMODE_B = "NORMAL";
    parameter CLKAMUX = "CLKA";
    parameter CLKBMUX = "CLKB";
    parameter GSR = "ENABLED";
    parameter INIT_DATA = "STATIC";
    parameter [319:0] INITVAL_00 = 320'h0;
    parameter [319:0] INITVAL_01 = 320'h0;
    parameter [319:0] INITVAL_02 = 320'h0;
    parameter [319:0] INITVAL_03 = 320'h0;
    parameter [319:0] INITVAL_04 = 320'h0;
    parameter [319:0] INITVAL_05 = 320'h0;
    parameter [319:0] INITVAL_06 = 320'h0;
    parameter [319:0] INITVAL_07 = 320'h0;
    parameter [319:0] INITVAL_08 = 320'h0;
    parameter [319:0] INITVAL_09 = 320'h0;
    parameter [319:0] INITVAL_0A = 320'h0;
    parameter [319:0] INITVAL_0B = 320'h0;
    parameter [319:0] INITVAL_0C = 320'h0;
    parameter [319:0] INITVAL_0D = 320'h0;
    parameter [319:0] INITVAL_0E = 320'h0;
    parameter [319:0] INITVAL_0F = 320'h0;
    parameter [319:0] INITVAL_10 = 320'h0;
    parameter [319:0] INITVAL_11 = 320'h0;
    parameter [319:0] INITVAL_12 = 320'h0;
    parameter [319:0] INITVAL_13 = 320'h0;
    parameter [319:0] INITVAL_14 = 320'h0;
    parameter [319:0] INITVAL_15 = 320'h0;
    parameter [319:0] INITVAL_16 = 320'h0;
    parameter [319:0] INITVAL_17 = 320'h0;
    parameter [319:0] INITVAL_18 = 320'h0;
    parameter [319:0] INITVAL_19 = 320'h0;
    parameter [319:0] INITVAL_1A = 320'h0;
    parameter [319:0] INITVAL_1B = 320'h0;
    parameter [319:0] INITVAL_1C = 320'h0;
    parameter [319:0] INITVAL_1D = 320'h0;
    parameter [319:0] INITVAL_1E = 320'h0;
    parameter [319:0] INITVAL_1F = 320'h0;
    parameter [319:0] INITVAL_20 = 320'h0;
    parameter [319:0] INITVAL_21 = 320'h0;
    parameter [319:0] INITVAL_22 = 320'h0;
    parameter [319:0] INITVAL_23 = 320'h0;
    parameter [319:0] INITVAL_24 = 320'h0;
    parameter [319:0] INITVAL_25 = 320'h0;
    parameter [319:0] INITVAL_26 = 320'h0;
    parameter [319:0] INITVAL_27 = 320'h0;
    parameter [319:0] INITVAL_28 = 320'h0;
    parameter [319:0] INITVAL_29 = 320'h0;
    parameter [319:0] INITVAL_2A = 320'h0;
    parameter [319:0] INITVAL_2B = 320'h0;
    parameter [319:0] INITVAL_2C = 320'h0;
    parameter [319:0] INITVAL_2D = 320'h0;
    parameter [319:0] INITVAL_2E = 320'h0;
    parameter [319:0] INITVAL_2F = 320'h0;
    parameter [319:0] INITVAL_30 = 320'h0;
    parameter [319:0] INITVAL_31 = 320'h0;
    parameter [319:0] INITVAL_32 = 320'h0;
    parameter [319:0] INITVAL_33 = 320'h0;
    parameter [319:0] INITVAL_34 = 320'h0;
    parameter [319:0] INITVAL_35 = 320'h0;
    parameter [319:0] INITVAL_36 = 320'h0;
    parameter [319:0] INITVAL_37 = 320'h0;
    parameter [319:0] INITVAL_38 = 320'h0;
    parameter [319:0] INITVAL_39 = 320'h0;
    parameter [319:0] INITVAL_3A = 320'h0;
    parameter [319:0] INITVAL_3B = 320'h0;
    parameter [319:0] INITVAL_3C = 320'h0;
    parameter [319:0] INITVAL_3D = 320'h0;
    parameter [319:0] INITVAL_3E = 320'h0;
    parameter [319:0] INITVAL_3F = 320'h0;

    wire [17:0] dia = {DIA17, DIA16, DIA15, DIA14, DIA13, DIA12, DIA11, DIA10, DIA9, DIA8, DIA7, DIA6, DIA5, DIA4, DIA3, DIA2, DIA1, DIA0};
    wire [17:0] dib = {DIB17, DIB16, DIB15, DIB14, DIB13, DIB12, DIB11, DIB10, DIB9, DIB8, DIB7, DIB6, DIB5, DIB4, DIB3, DIB2, DIB1, DIB0};
    wire [13:0] ada = {ADA13, ADA12, ADA11, ADA10, ADA9, ADA8, ADA7, ADA6, ADA5, ADA4, ADA3, ADA2, ADA1, ADA0};
    wire [13:0] adb = {ADB13, ADB12, ADB11, ADB10, ADB9, ADB8, ADB7, ADB6, ADB5, ADB4, ADB3, ADB2, ADB1, ADB0};
    reg  [17:0] doa = 18'd0, dob = 18'd0;
    assign {DOA17, DOA16, DOA15, DOA14, DOA13, DOA12, DOA11, DOA10, DOA9, DOA8, DOA7, DOA6, DOA5, DOA4, DOA3, DOA2, DOA1, DOA0} = doa;
    assign {DOB17, DOB16, DOB15, DOB14, DOB13, DOB12, DOB11, DOB10, DOB9, DOB8, DOB7, DOB6, DOB5, DOB4, DOB3, DOB2, DOB1, DOB0} = dob;

    // 1024 words of 18 bits (two 9-bit bytes).  Widths 1, 2 and 4 address the 16,384 data bits
    // (bit d: word d / 16, byte (d / 8) % 2, bit d % 8); x36 word w is words 2w (low) and 2w + 1.
    reg [17:0] mem [0:1023];
    localparam PDP = DATA_WIDTH_A == 36;
    integer i;

    function integer pos;   // position of data bit d in its 18-bit word
        input integer d;
        pos = ((d / 8) % 2) * 9 + d % 8;
    endfunction

    initial begin
        for (i = 0; i < 1024; i = i + 1) mem[i] = 18'd0;
        if ({INITVAL_00, INITVAL_01, INITVAL_02, INITVAL_03, INITVAL_04, INITVAL_05, INITVAL_06, INITVAL_07, INITVAL_08, INITVAL_09, INITVAL_0A, INITVAL_0B, INITVAL_0C, INITVAL_0D, INITVAL_0E, INITVAL_0F, INITVAL_10, INITVAL_11, INITVAL_12, INITVAL_13, INITVAL_14, INITVAL_15, INITVAL_16, INITVAL_17, INITVAL_18, INITVAL_19, INITVAL_1A, INITVAL_1B, INITVAL_1C, INITVAL_1D, INITVAL_1E, INITVAL_1F, INITVAL_20, INITVAL_21, INITVAL_22, INITVAL_23, INITVAL_24, INITVAL_25, INITVAL_26, INITVAL_27, INITVAL_28, INITVAL_29, INITVAL_2A, INITVAL_2B, INITVAL_2C, INITVAL_2D, INITVAL_2E, INITVAL_2F, INITVAL_30, INITVAL_31, INITVAL_32, INITVAL_33, INITVAL_34, INITVAL_35, INITVAL_36, INITVAL_37, INITVAL_38, INITVAL_39, INITVAL_3A, INITVAL_3B, INITVAL_3C, INITVAL_3D, INITVAL_3E, INITVAL_3F} != 0 ||
            REGMODE_A != "NOREG" || REGMODE_B != "NOREG" || CSDECODE_A != "0b000" || CSDECODE_B != "0b000" ||
            CLKAMUX != "CLKA" || CLKBMUX != "CLKB" || (PDP && DATA_WIDTH_B != 36) ||
            (DATA_WIDTH_B == 36 && !PDP)) begin
            $display("DP16KD %m: configuration not modelled (sim/gate/ecp5_dp16kd.v)");
            $fatal(1);
        end
        if (!(DATA_WIDTH_A == 1 || DATA_WIDTH_A == 2 || DATA_WIDTH_A == 4 || DATA_WIDTH_A == 9 ||
              DATA_WIDTH_A == 18 || DATA_WIDTH_A == 36) ||
            !(DATA_WIDTH_B == 1 || DATA_WIDTH_B == 2 || DATA_WIDTH_B == 4 || DATA_WIDTH_B == 9 ||
              DATA_WIDTH_B == 18 || DATA_WIDTH_B == 36)) begin
            $display("DP16KD %m: bad data width %0d / %0d", DATA_WIDTH_A, DATA_WIDTH_B);
            $fatal(1);
        end
    end

    // the 18-bit words a port addresses: x36 reads and writes two, the other widths one
    function [9:0] word_of;
        input integer width;
        input [13:0] ad;
        word_of = width == 36 ? {ad[13:5], 1'b0} : width >= 9 ? ad[13:4] : ad >> 4;
    endfunction

    // the port's read data from the array as it is now
    function [17:0] read_port;
        input integer width;
        input [13:0] ad;
        input hi;           // x36: 0 = the DOA half (word 2w), 1 = the DOB half (word 2w + 1)
        integer k;
        reg [17:0] w;
        begin
            read_port = 18'd0;
            w = mem[word_of(width, ad) + (width == 36 && hi)];
            if (width >= 18) read_port = w;
            else if (width == 9) read_port[8:0] = ad[3] ? w[17:9] : w[8:0];
            else for (k = 0; k < width; k = k + 1)
                read_port[k] = w[pos((ad & ~(width - 1)) % 16 + k)];
        end
    endfunction

    // a write by a port: the new contents of its word(s), into mem with nonblocking assignments
    task write_port;
        input integer width;
        input [13:0] ad;
        input [17:0] d;     // x36: DIA (low half)
        input [17:0] d_hi;  // x36: DIB (high half)
        integer k, b;
        reg [17:0] w;
        begin
            if (width == 36) begin
                w = mem[{ad[13:5], 1'b0}];
                for (b = 0; b < 2; b = b + 1) if (ad[b]) w[b*9 +: 9] = d[b*9 +: 9];
                mem[{ad[13:5], 1'b0}] <= w;
                w = mem[{ad[13:5], 1'b1}];
                for (b = 0; b < 2; b = b + 1) if (ad[b + 2]) w[b*9 +: 9] = d_hi[b*9 +: 9];
                mem[{ad[13:5], 1'b1}] <= w;
            end else begin
                w = mem[word_of(width, ad)];
                if (width == 18) begin
                    for (b = 0; b < 2; b = b + 1) if (ad[b]) w[b*9 +: 9] = d[b*9 +: 9];
                end else if (width == 9) begin
                    if (ad[3]) w[17:9] = d[8:0]; else w[8:0] = d[8:0];
                end else begin
                    for (k = 0; k < width; k = k + 1) w[pos((ad & ~(width - 1)) % 16 + k)] = d[k];
                end
                mem[word_of(width, ad)] <= w;
            end
        end
    endtask

    // the words the two ports touch in one clock overlap
    function collide;
        input integer wa, wb;
        input [13:0] a, b;
        collide = word_of(wa, a) == word_of(wb, b) ||
                  (wa == 36 && word_of(wa, a) + 1 == word_of(wb, b)) ||
                  (wb == 36 && word_of(wa, a) == word_of(wb, b) + 1);
    endfunction

    // one clock serves both ports (the netlist ties CLKA and CLKB together or leaves one unused)
    wire a_on = CEA && !PDP || CEA && PDP && WEA;
    wire b_on = CEB;
    always @(posedge CLKA) if (CEA) begin
        if (WEA) write_port(DATA_WIDTH_A, ada, dia, dib);
        if (!PDP) begin
            if (RSTA && RESETMODE == "SYNC") doa <= 18'd0;
            else if (!WEA) doa <= (b_on && WEB && CLKB === CLKA && collide(DATA_WIDTH_A, DATA_WIDTH_B, ada, adb))
                                  ? 18'bx : read_port(DATA_WIDTH_A, ada, 1'b0);
            else if (WRITEMODE_A == "READBEFOREWRITE") doa <= read_port(DATA_WIDTH_A, ada, 1'b0);
            else if (WRITEMODE_A == "WRITETHROUGH") doa <= dia;
        end
    end
    always @(posedge CLKB) if (CEB) begin
        if (WEB && !PDP) write_port(DATA_WIDTH_B, adb, dib, 18'd0);
        if (RSTB && RESETMODE == "SYNC") begin
            dob <= 18'd0;
            if (PDP) doa <= 18'd0;
        end else if (PDP || !WEB) begin
            if (a_on && WEA && CLKA === CLKB && collide(DATA_WIDTH_A, DATA_WIDTH_B, ada, adb)) begin
                dob <= 18'bx;
                if (PDP) doa <= 18'bx;
            end else begin
                dob <= read_port(DATA_WIDTH_B, adb, PDP);
                if (PDP) doa <= read_port(DATA_WIDTH_B, adb, 1'b0);
            end
        end else if (WRITEMODE_B == "READBEFOREWRITE") dob <= read_port(DATA_WIDTH_B, adb, 1'b0);
        else if (WRITEMODE_B == "WRITETHROUGH") dob <= dib;
    end
    always @(*) if (RESETMODE == "ASYNC" && (RSTA || RSTB)) begin
        $display("DP16KD %m: asynchronous reset asserted (not modelled)");
        $fatal(1);
    end
endmodule
