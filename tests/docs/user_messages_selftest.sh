#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# user_messages_selftest.sh : runs tests/docs/user_messages.sh on a fixture that holds each kind
# of message it must find and each kind of text it must leave out, and fails unless it prints
# exactly the expected messages; then checks that --missing reports a message a guide lacks and
# passes one that has them all.  Exit 0 and a PASS line, or 1 with the difference.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/host/src" "$tmp/sim" "$tmp/rtl" "$tmp/mk" "$tmp/host/scripts"

cat > "$tmp/host/src/demo.c" <<'EOF'
#define FAIL(code, ...) do { snprintf(err, err_len, __VA_ARGS__); return (code); } while (0)
static const struct { const char *type, *why; } refusals[] = {{"Conv", "convolutions are not supported"}};
const char *demo_name(int code) { switch (code) { case 1: return "the first code's name"; default: return "fclose"; } }
int demo(char *err, size_t err_len, struct s *s, const char *path, int x)
{
    const char *why = "a reason kept for later";
    fprintf(stderr, "demo: cannot open %s: %s\n", path, strerror(errno));
    fprintf(stderr, "demo: the first half "
                    "and the \"second\" half\n");
    fprintf(stderr, "demo: %s\n", err);
    fprintf(stderr, "demo: %s (see --help)\n", x ? "unexpected argument" : "--out is required");
    snprintf(err, err_len, "%s: truncated after %zu bytes", path, (size_t)x);
    snprintf(s->err, sizeof(s->err), "image %d: no answer", x);
    snprintf(path, 64, "%s/%s", "a", "b");
    qio_error(err, err_len, path, "fwrite", errno);
    demo_fail(s, "the helper's message %d", x);
    warn(s, "a warning about %s", path);
    FAIL(-1, "early exit '%s': expected off or exact", path);
    return 0;
}
EOF
cat > "$tmp/sim/bench.c" <<'EOF'
void report(FILE *f, int i) { fprintf(f, "MISMATCH image %d: expected %d got %d\n", i, 1, 2); printf("progress %d of many\n", i); }
EOF
cat > "$tmp/sim/tb.v" <<'EOF'
initial begin $display("tb: FAIL: no o_done after %0d clocks", n); $fatal(1); end
EOF
cat > "$tmp/rtl/core.v" <<'EOF'
module core #(parameter N = 8) ();
    generate if (N != 8) begin : g_bad core_N_must_be_8 bad (); end endgenerate
    demo_cell u_cell ();
endmodule
EOF
cat > "$tmp/mk/demo.mk" <<'EOF'
ifeq ($(BOARD),x)
$(error BOARD=$(BOARD): supported boards are a and b)
endif
demo:
	@echo "demo: $(TOOL) failed (see $$log)" >&2; echo "demo: this goes to stdout"
EOF
cat > "$tmp/host/scripts/demo.sh" <<'EOF'
file=${1:?usage: demo.sh FILE}
echo 'demo: a single-quoted message' >&2
printf 'demo: %s went wrong\n' "$file" >&2
fail check "the reason is $(cat "$file") here"
missing "No data yet: run make."
EOF

cat > "$tmp/expected" <<'EOF'
host/scripts/demo.sh	No data yet: run make.
host/scripts/demo.sh	demo: %s went wrong
host/scripts/demo.sh	demo: a single-quoted message
host/scripts/demo.sh	the reason is $(cat "$file") here
host/scripts/demo.sh	usage: demo.sh FILE
host/src/demo.c	%s: truncated after %zu bytes
host/src/demo.c	--out is required
host/src/demo.c	a reason kept for later
host/src/demo.c	a warning about %s
host/src/demo.c	convolutions are not supported
host/src/demo.c	demo: %s (see --help)
host/src/demo.c	demo: cannot open %s: %s
host/src/demo.c	demo: the first half and the "second" half
host/src/demo.c	early exit '%s': expected off or exact
host/src/demo.c	image %d: no answer
host/src/demo.c	the first code's name
host/src/demo.c	the helper's message %d
host/src/demo.c	unexpected argument
mk/demo.mk	BOARD=$(BOARD): supported boards are a and b
mk/demo.mk	demo: $(TOOL) failed (see $log)
rtl/core.v	core_N_must_be_8
sim/bench.c	MISMATCH image %d: expected %d got %d
sim/tb.v	tb: FAIL: no o_done after %0d clocks
EOF

status=0
"$here/user_messages.sh" --root "$tmp" > "$tmp/got"
if ! diff -u "$tmp/expected" "$tmp/got" > "$tmp/diff"; then
    echo "user_messages_selftest: FAIL: the extractor's output differs from the fixture's messages (- expected, + got):" >&2
    cat "$tmp/diff" >&2
    status=1
fi
cut -f2 "$tmp/expected" > "$tmp/guide.md"
if ! "$here/user_messages.sh" --root "$tmp" --missing "$tmp/guide.md" > /dev/null; then
    echo "user_messages_selftest: FAIL: --missing refused a guide that holds every message" >&2
    status=1
fi
grep -v 'first half' "$tmp/guide.md" > "$tmp/short.md"
if "$here/user_messages.sh" --root "$tmp" --missing "$tmp/short.md" > "$tmp/miss" ||
   [ "$(cut -f2 "$tmp/miss")" != 'demo: the first half and the "second" half' ]; then
    echo "user_messages_selftest: FAIL: --missing did not report the one message the guide lacks" >&2
    status=1
fi
[ $status = 0 ] && echo "user_messages_selftest: PASS: $(wc -l < "$tmp/expected") fixture messages found, every non-message left out, --missing reports a missing one"
exit $status
