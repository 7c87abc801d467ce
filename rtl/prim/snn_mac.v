// snn_mac.v : one lane's multiply-add, o_sum = i_acc + i_w * i_x: an SB_MAC16 on iCE40 (Yosys's
// cells_sim.v models it in Verilator and at gate level), a behavioural model with the same
// pipeline where the SB_MAC16 does not exist (SNN_GENERIC_MAC: the ECP5 build).
// SPDX-License-Identifier: MIT
// Pipeline (every register of the DSP used, so that no path inside it is longer than one
// multiplier or one adder): i_w and i_x in clock 1, i_acc in clock 2, o_sum in clock 4.
// The DSP's 16x16 mode: A = the weight sign-extended (A_SIGNED), B = the pixel zero-extended.
`default_nettype none

module snn_mac (
    input  wire        i_clk,
    input  wire [7:0]  i_w,     // signed weight (clock 1)
    input  wire [7:0]  i_x,     // unsigned pixel (clock 1)
    input  wire [31:0] i_acc,   // the accumulator to add to (clock 2)
    output wire [31:0] o_sum    // i_acc + i_w * i_x (clock 4)
);
`ifdef SNN_GENERIC_MAC
    reg signed [15:0] a_r;
    reg        [15:0] b_r;
    reg signed [31:0] p_r, acc_r, sum_r;
    // a_r, b_r (A and B input registers), p_r and acc_r (product and C/D registers), sum_r (output)
    always @(posedge i_clk) begin
        a_r   <= {{8{i_w[7]}}, i_w};
        b_r   <= {8'd0, i_x};
        p_r   <= a_r * $signed({1'b0, b_r});
        acc_r <= i_acc;
        sum_r <= acc_r + p_r;
    end
    assign o_sum = sum_r;
`else
    SB_MAC16 #(
        .A_REG(1'b1), .B_REG(1'b1), .C_REG(1'b1), .D_REG(1'b1),
        .TOP_8x8_MULT_REG(1'b0), .BOT_8x8_MULT_REG(1'b0),
        .PIPELINE_16x16_MULT_REG1(1'b0), .PIPELINE_16x16_MULT_REG2(1'b1),
        .TOPOUTPUT_SELECT(2'b01), .TOPADDSUB_LOWERINPUT(2'b10), .TOPADDSUB_UPPERINPUT(1'b1),
        .TOPADDSUB_CARRYSELECT(2'b10),
        .BOTOUTPUT_SELECT(2'b01), .BOTADDSUB_LOWERINPUT(2'b10), .BOTADDSUB_UPPERINPUT(1'b1),
        .BOTADDSUB_CARRYSELECT(2'b00),
        .MODE_8x8(1'b0), .A_SIGNED(1'b1), .B_SIGNED(1'b0)
    ) mac (
        .CLK(i_clk), .CE(1'b1),
        .A({{8{i_w[7]}}, i_w}), .B({8'd0, i_x}), .C(i_acc[31:16]), .D(i_acc[15:0]),
        .AHOLD(1'b0), .BHOLD(1'b0), .CHOLD(1'b0), .DHOLD(1'b0),
        .IRSTTOP(1'b0), .IRSTBOT(1'b0), .ORSTTOP(1'b0), .ORSTBOT(1'b0),
        .OLOADTOP(1'b0), .OLOADBOT(1'b0), .ADDSUBTOP(1'b0), .ADDSUBBOT(1'b0),
        .OHOLDTOP(1'b0), .OHOLDBOT(1'b0), .CI(1'b0), .ACCUMCI(1'b0), .SIGNEXTIN(1'b0),
        .O(o_sum), .CO(), .ACCUMCO(), .SIGNEXTOUT()
    );
`endif
endmodule
