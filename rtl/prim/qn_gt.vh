// qn_gt.vh : qn_gt(v, k) = (v > k) for a constant k, as AND/OR logic.  Included inside a module.
// Yosys 0.23 maps every magnitude compare, even with a constant, onto a carry chain (a 16-bit
// compare costs ~20 LCs); written bit by bit, a compare with a constant folds into a few LUTs.
// SPDX-License-Identifier: MIT
function automatic qn_gt(input [31:0] v, input [31:0] k);
    integer i;
    reg     eq, gt;
    begin
        eq = 1'b1;    // v and k equal in the bits above i
        gt = 1'b0;
        for (i = 31; i >= 0; i = i - 1) begin
            if (!k[i]) gt = gt | (eq & v[i]);
            eq = eq & (v[i] == k[i]);
        end
        qn_gt = gt;
    end
endfunction
