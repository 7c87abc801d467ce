// snn_spram.v : one 16K x 16 single-port RAM: SB_SPRAM256KA on iCE40, a behavioural model elsewhere.
// SPDX-License-Identifier: MIT
// Read latency 1 clock.  A write cycle does not change o_rdata in the model (the cell's output
// is undefined then; the core never reads and writes the same SPRAM in one clock).
`default_nettype none

module snn_spram (
    input  wire        i_clk,
    input  wire [13:0] i_addr,
    input  wire [15:0] i_wdata,
    input  wire [3:0]  i_wmask,   // nibble write enables
    input  wire        i_we,
    output wire [15:0] o_rdata
);
`ifdef SYNTHESIS
    SB_SPRAM256KA spram (
        .ADDRESS(i_addr), .DATAIN(i_wdata), .MASKWREN(i_wmask), .WREN(i_we),
        .CHIPSELECT(1'b1), .CLOCK(i_clk), .STANDBY(1'b0), .SLEEP(1'b0), .POWEROFF(1'b1),
        .DATAOUT(o_rdata)
    );
`else
    reg [15:0] mem [0:16383];
    reg [15:0] rdata_r;
    integer k;

    // mem and rdata_r: nibble-masked write, or a registered read
    always @(posedge i_clk) begin
        if (i_we) begin
            for (k = 0; k < 4; k = k + 1)
                if (i_wmask[k]) mem[i_addr][k*4 +: 4] <= i_wdata[k*4 +: 4];
        end else begin
            rdata_r <= mem[i_addr];
        end
    end
    assign o_rdata = rdata_r;
`endif
endmodule
