#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# user_messages.sh [--missing GUIDE.md] : the messages a user can meet, extracted from the sources.
# C and C++ (host/src, sim, hls): the format string (adjacent literals joined, as the compiler
#   does) of fprintf(stderr, ...); of snprintf into an err|msg|why buffer (also s->err, msg + used:
#   texts a program later prints after "tool: "); of macros whose body prints __VA_ARGS__ there
#   (model_file.c's FAIL(code, ...), tr_fit.c's SAY(...)); of calls to *fail*/*die*/*error*/*warn*
#   helpers; the texts a ternary picks for such a call's %s (x ? "unexpected argument" : "...");
#   `return "..."` and `why = "..."` texts (error-code names, errno hints, checkpoint reasons); the
#   second string of {"Name", "text"} tables (host/nir's refusals); the harnesses' verdict lines
#   (printf/fprintf(stream, ...) starting MISMATCH or FAIL in sim/) and the $display/$error/$fatal
#   lines of the Verilog benches in sim/.
# Verilog (rtl/, sim/): $display/$error/$fatal texts, and the modules instantiated as `NAME bad ();`
#   in a generate-if: an impossible parameter stops elaboration with NAME as the message.
#   Left out: the operation names handed to qio_error() and usb_ftdi_fail() ("fwrite", "select
#   interface"): they fill a %s of those helpers' own templates, which are extracted.
# Make and shell (mk/, Makefile, host/scripts/): `echo "..." >&2`, `echo '...' >&2`,
#   `printf '...' ... >&2`, $(error ...), ${VAR:?text} and usage="..." texts, calls of *fail*/*die*
#   shell functions with a quoted text (verify.sh's `fail CHECK "why"`), and the report page's
#   `missing "..."` notes.
# Not seen: perror(), plain printf to stdout, texts kept in other variables, getopt's own messages.
# Output: FILE<TAB>MESSAGE per line, sorted; MESSAGE with its escapes undone, leading and trailing
# newlines and blanks dropped, inner newlines as spaces, format conversions (%s) and make/shell
# variables ($(X), $x; make's $$ as $) as written.  A text counts when, without its conversions,
# variables and "tool: " prefix, it holds two words of 3+ letters or --options (READ_BACK is an
# identifier, not a word; moving-average is one word), or one such word and a conversion ("%s: %s
# failed: %s"): pure wrappers ("train: %s") and bare names ("fclose") carry no text of their own.
# --missing GUIDE: only the messages GUIDE does not contain verbatim; exit 1 if any.
# --root DIR: the sources under DIR instead of this repository's (user_messages_selftest.sh).
set -euo pipefail
usage="usage: user_messages.sh [--root DIR] [--missing GUIDE.md]"
root=$(cd "$(dirname "$0")/../.." && pwd)
guide=
while [ $# -gt 0 ]; do
    case $1 in
    --missing) [ $# -ge 2 ] && [ -f "$2" ] || { echo "user_messages: no guide at ${2:-}" >&2; exit 2; }
               guide=$(realpath "$2"); shift 2 ;;
    --root) [ $# -ge 2 ] && [ -d "$2" ] || { echo "$usage" >&2; exit 2; }
            root=$(realpath "$2"); shift 2 ;;
    *) echo "$usage" >&2; exit 2 ;;
    esac
done
cd "$root"
{ for d in host/src sim hls; do
      if [ -d $d ]; then find $d -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.h' -o -name '*.v' \); fi
  done
  if [ -d rtl ]; then find rtl -type f -name '*.v'; fi
  for d in mk host/scripts; do
      if [ -d $d ]; then find $d -type f \( -name '*.mk' -o -name '*.sh' \); fi
  done
  if [ -f Makefile ]; then echo Makefile; fi; } | LC_ALL=C sort |
GUIDE=$guide perl -e '
use strict; use warnings;
my $lit  = qr/"(?:[^"\\\n]|\\.)*"/;                 # one C string literal
my $lits = qr/((?:$lit\s*)+)/;                       # adjacent literals, joined by the compiler
my $arg  = qr/(?:[^"(),;]|\((?:[^()"]|$lit)*\))+/;  # a non-literal argument, one level of parens
my $call = qr/(?<a>\((?:[^()"]++|$lit|(?&a))*\))/;  # a whole argument list, nested parens
my (%seen, @out);
sub add {
    my ($file, $m, $raw) = @_;
    $m =~ s/^(?:\\n)+//; $m =~ s/(?:\\n)+$//;
    $m =~ s/\\n/ /g; $m =~ s/\\t/ /g; $m =~ s/^\s+|\s+$//g; $m =~ s/\\"/"/g; $m =~ s/\\\x27/\x27/g; $m =~ s/\\\\/\\/g;
    my $t = $m;
    $t =~ s/%[-+ #0-9.*]*(?:l|ll|z|h|hh)?[diouxXfgeEcsp]//g;          # C conversions
    $t =~ s/%0?d|%0?s|%0?h|%[0-9]*h//g;                                # Verilog %0d %05h
    1 while $t =~ s/\$\(\([^()]*\)\)|\$[({][^(){}]*[)}]//g;             # $((..)) $(..) ${..}, innermost first
    $t =~ s/\$\w+//g;
    $t =~ s/^[a-z_\/]+: *//;                                            # the "tool: " prefix
    return push @out, "$file\t$m" if $raw;                # a module name that stops elaboration
    my @w = ((grep { tr/A-Za-z// >= 3 } $t =~ /(?<![-\w])[A-Za-z][-A-Za-z]*[A-Za-z](?![-\w])/g),
             $t =~ /(?<![-\w])--\w[-\w]*/g);
    return if @w < 2 && !(@w == 1 && $m =~ /%|\$/);     # one word: only with a conversion or variable
    push @out, "$file\t$m" unless $seen{"$file\t$m"}++;
}
sub joined { my $s = shift; return join "", $s =~ /"((?:[^"\\\n]|\\.)*)"/g; }
my (@files, %src);
while (my $file = <STDIN>) {
    chomp $file;
    open my $fh, "<", $file or die "user_messages: $file: $!\n";
    local $/; $src{$file} = <$fh>; close $fh; push @files, $file;
}
# message macros: #define NAME(...) whose body prints to stderr or an err/msg/why buffer
my $dest = qr/(?:stderr|[\w>.-]*?\b(?:err|msg|why)\w*(?:\s*\+\s*\w+)?)/;
my @macros = map { /^[ \t]*#[ \t]*define[ \t]+(\w+)\((?:[^()\n]*)\)((?:[^\n]*\\\n)*[^\n]*)/mg } map { $src{$_} } grep { /\.(?:c|cpp|h)$/ } @files;
my %mac; for (my $i = 0; $i < @macros; $i += 2) {
    $mac{$macros[$i]} = 1 if $macros[$i + 1] =~ /\b(?:v?f|v?sn)printf\(\s*$dest\s*,/ && $macros[$i + 1] =~ /__VA_ARGS__/;
}
my $macro = %mac ? join("|", sort keys %mac) : "(?!)";
for my $file (@files) {
    my $src = $src{$file};
    if ($file =~ /\.(?:c|cpp|h)$/) {
        while ($src =~ /(?:\bfprintf\(\s*stderr,\s*
                         |\bsnprintf\(\s*(?:[\w\[\].]+(?:->|\.))*(?:err|msg|why)\w*(?:\s*\+\s*\w+)?,\s*$arg,\s*
                         |\b(?:$macro)\(\s*(?:$arg,\s*)*
                         |\{\s*"\w+",\s*(?=$lit\s*\})
                         |\b(?!qio_error\b|usb_ftdi_fail\b)\w*(?:fail|die|error|warn)\w*\(\s*(?:$arg,\s*)*
                         |\breturn\s+
                         |\b(?:why|reason|hint)\s*=\s*)$lits/gx) {
            add($file, joined($1));
        }
        # texts a ternary picks for a %s of such a call: path ? "unexpected argument" : "--out FILE is required"
        while ($src =~ /(?:\bfprintf(?=\(\s*stderr)|\bsnprintf(?=\(\s*(?:[\w\[\].]+(?:->|\.))*(?:err|msg|why))
                         |\b(?:$macro)|\b(?!qio_error\b|usb_ftdi_fail\b)\w*(?:fail|die|error|warn)\w*)\s*$call/gx) {
            my ($args, $prev) = ($+{a}, "");
            while ($args =~ /\G(?:((?:$lit\s*)+)|([^"]+))/g) {
                my ($l, $o) = ($1, $2);
                if (defined $l) { add($file, joined($l)) if $prev =~ /[?:]\s*$/; }
                else { $prev = $o; }
            }
        }
        if ($file =~ m{^sim/}) {
            while ($src =~ /\bf?printf\(\s*(?:\w+,\s*)?((?:"(?:MISMATCH|FAIL)(?:[^"\\\n]|\\.)*"\s*)(?:$lit\s*)*)/g) {
                add($file, joined($1));
            }
        }
    } elsif ($file =~ /\.v$/) {
        while ($src =~ /\$(?:display|error|fatal)\(\s*(?:\d+\s*,\s*)?$lits/g) { add($file, joined($1)); }
        while ($src =~ /\b(\w+)\s+bad\s*\(\s*\)\s*;/g) { add($file, $1, 1); }
    } else {
        my $shq = qr/"((?:[^"\\]|\\.)*)"|\x27([^\x27]*)\x27/;
        while ($src =~ /\becho\s+$shq(?=\s*>&2)|>&2\s+echo\s+$shq/g) {
            add($file, join("", grep { defined } $1, $2, $3, $4));
        }
        while ($src =~ /\bprintf\s+$shq[^\n;|]*?>&2/g) { add($file, defined $1 ? $1 : $2); }
        while ($src =~ /\$\(error\s+((?:[^()]++|\((?1)\))*)\)/g) { add($file, $1); }
        while ($src =~ /\$\{\w+:\?([^}\$]+)\}|\busage=$shq/g) { add($file, join("", grep { defined } $1, $2, $3)); }
        while ($src =~ /(?:^|[;&|{(]|then|do|else)\s*(?:\w*(?:fail|die)\w*|missing)\s+(?:\w+\s+)*"((?:[^"\\\$]|\\.|\$(?!\()|\$\((?:[^()]|\([^()]*\))*\))*)"/gm) {
            add($file, $1);
        }
    }
}
for (@out) { s/\$\$/\$/g if /^(?:mk\/|Makefile)/; }
my %u; @out = grep { !$u{$_}++ } @out;
@out = sort @out;
if ($ENV{GUIDE} ne "") {
    open my $g, "<", $ENV{GUIDE} or die "user_messages: $ENV{GUIDE}: $!\n";
    local $/; my $doc = <$g>; close $g;
    my @miss = grep { my (undef, $m) = split /\t/, $_, 2; index($doc, $m) < 0 } @out;
    print "$_\n" for @miss;
    exit(@miss ? 1 : 0);
}
print "$_\n" for @out;
'
