// tb_gate.v : gate-level bench: the Yosys iCE40 netlist of snn_core against the golden model.
// SPDX-License-Identifier: MIT
// Plays the bus script of sim/gate/gate_stim.c (+script=FILE): writes, image runs (i_start, wait
// for o_done, which must come exactly the cycle model's clocks later), and reads whose bytes must equal the golden model's.  Every read must come back
// exactly 3 clocks after its request (docs/accelerator.md).  PASS/FAIL, $fatal on any
// difference or on a timeout (+timeout=N clocks per image).
`timescale 1ns / 1ps
`default_nettype none
`include "snn_config.vh"

module tb_gate;
    localparam [3:0] OP_END = 4'd0, OP_WRITE = 4'd1, OP_RUN = 4'd2, OP_EXPECT = 4'd3, OP_MARK = 4'd4;

    reg         clk = 1'b0;
    reg         rst = 1'b1;
    reg         we = 1'b0, re = 1'b0, start = 1'b0;
    reg  [`SNN_BUS_ADDR_BITS-1:0] addr = 0;
    reg  [7:0]  wdata = 8'd0;
    wire [7:0]  rdata;
    wire        rvalid, busy, done;

    snn_core dut (
        .i_clk(clk), .i_rst(rst), .i_bus_we(we), .i_bus_re(re), .i_bus_addr(addr),
        .i_bus_wdata(wdata), .o_bus_rdata(rdata), .o_bus_rvalid(rvalid),
        .i_start(start), .o_busy(busy), .o_done(done)
    );

    always #5 clk = ~clk;

    reg [31:0]  w;                 // the current script word
    reg [1023:0] path;
    integer     fd, pc, n, timeout, errors, images, reads, model;
    reg [3:0]   op;
    reg [7:0]   got;

    initial begin
        if (!$value$plusargs("script=%s", path)) begin
            $display("tb_gate: FAIL: no +script=FILE (written by gate_stim)");
            $fatal(1);
        end
        if (!$value$plusargs("timeout=%d", timeout))
            timeout = 2000000;
        fd = $fopen(path, "r");
        if (fd == 0) begin
            $display("tb_gate: FAIL: cannot open %0s", path);
            $fatal(1);
        end
        errors = 0; images = 0; reads = 0; model = -1;
        repeat (4) @(posedge clk);
        #1 rst = 1'b0;
        pc = 0;
        if ($fscanf(fd, "%h\n", w) != 1) w = 32'd0;
        op = w[31:28];
        while (op != OP_END) begin
            case (op)
                OP_WRITE: begin
                    we = 1'b1; addr = w[27:8]; wdata = w[7:0];
                    @(posedge clk); #1 we = 1'b0;
                end
                OP_RUN: begin
                    start = 1'b1;
                    @(posedge clk); #1 start = 1'b0;
                    n = 1;
                    while (!done && n <= timeout) begin
                        @(posedge clk); #1 n = n + 1;
                    end
                    if (!done) begin
                        $display("tb_gate: FAIL: model %0d image %0d: no o_done after %0d clocks", model, images, timeout);
                        $fatal(1);
                    end
                    if (n != w[27:0]) begin
                        errors = errors + 1;
                        $display("tb_gate: model %0d image %0d: o_done %0d clocks after i_start, cycle model says %0d",
                                 model, images, n, w[27:0]);
                    end
                    @(posedge clk); #1;
                    images = images + 1;
                end
                OP_EXPECT: begin
                    re = 1'b1; addr = w[27:8];
                    @(posedge clk); #1 re = 1'b0;
                    repeat (2) begin
                        if (rvalid) begin
                            $display("tb_gate: FAIL: rvalid early for address %05h", addr);
                            errors = errors + 1;
                        end
                        @(posedge clk); #1;
                    end
                    got = rdata;
                    reads = reads + 1;
                    if (!rvalid || got !== w[7:0]) begin
                        errors = errors + 1;
                        if (errors <= 20)
                            $display("tb_gate: model %0d image %0d: read %05h (region %0d offset %0d): expected %0d, got %0d%s",
                                     model, images, addr, addr >> `SNN_BUS_REGION_SHIFT,
                                     addr & ((1 << `SNN_BUS_REGION_SHIFT) - 1), w[7:0], got,
                                     rvalid ? "" : " (no rvalid)");
                    end
                end
                OP_MARK: model = w[27:8];
                default: begin
                    $display("tb_gate: FAIL: bad op %0d at script word %0d", op, pc);
                    $fatal(1);
                end
            endcase
            pc = pc + 1;
            if ($fscanf(fd, "%h\n", w) != 1) begin
                $display("tb_gate: FAIL: script ends without an end op after %0d words", pc);
                $fatal(1);
            end
            op = w[31:28];
        end
        $fclose(fd);
        if (errors != 0) begin
            $display("tb_gate: FAIL: %0d differences in %0d read-back bytes and %0d run lengths (%0d models)", errors, reads, images, model + 1);
            $fatal(1);
        end
        $display("tb_gate: PASS: %0d read-back bytes and %0d run lengths equal the golden model (%0d models)", reads, images, model + 1);
        $finish;
    end
endmodule
