// SPDX-License-Identifier: MIT
// board_sim.cpp : the simulated board.  Verilates the whole iCEBreaker top level (UART
// included, PLL replaced by the `SIM clock path) and bridges its UART pins to a
// pseudo-terminal: any program that can open a serial port can talk to it.  The line between
// the pty and the UART pins plays the FT2232H: it runs at the baud the host set on the pty
// (termios), bit by bit, whatever rate the board's UART is at; the two agree only when the
// host and the board have switched together (SET_BAUD), exactly as on the board.
//
//   build/sim-board/qn_board_sim [--pts-file F] [--stats-file F] [--quiet]
//
// Prints the /dev/pts/N path on stdout and serves until SIGINT/SIGTERM.  The UART runs at the
// real bit timing (CLK_HZ / baud clocks per bit), so simulated time is time on the board.
// While the board has nothing to do (no byte on the line, nothing queued, core idle) the
// simulation waits without advancing time: simulated time is the time a host that keeps
// the link busy would see.  Statistics (JSON) go to stderr on exit and on SIGUSR1.
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"
#include "Vqn_top_icebreaker.h"
#include "Vqn_top_icebreaker___024root.h"
#include "verilated.h"
extern "C" {
#include "serial.h"
}

// one definition: mk/board.mk passes PROTO_DEFAULT_CLK_HZ / PROTO_DEFAULT_BAUD (protocol/snn_protocol.def)
#if !defined(SIM_CLK_HZ) || !defined(SIM_BAUD)
#error "build with -DSIM_CLK_HZ=... -DSIM_BAUD=... (make sim-board takes them from protocol/snn_protocol.def)"
#endif
static const int SLICE = 480;                     // clocks between looks at the pty (4 bytes at 3 Mbaud)
static const uint64_t RESET_CLKS = 64;           // power-up reset (PLL lock + 16 clocks) is over by then

static volatile sig_atomic_t g_stop = 0, g_stats = 0;
static void on_stop(int) { g_stop = 1; }
static void on_usr1(int) { g_stats = 1; }

// The line's bit clock: bit k of a character spans clocks [k, k + 1) * SIM_CLK_HZ / baud after
// its start, counted exactly in integers (any baud, also one the clock does not divide).
struct BitClock {
    uint64_t baud = SIM_BAUD, clk = 0;    // clocks since the character started
    // true when the clock just done ends a bit (twice_pos = 2: bit end, 1: mid-bit)
    bool at(uint64_t k2) const { return 2 * clk * baud >= k2 * (uint64_t)SIM_CLK_HZ; }
};

// Host -> board: serialises queued bytes onto RX, 8N1, back to back, at the host's baud.
struct LineOut {
    std::deque<uint8_t> q;
    int bit = -1;          // -1 idle, 0 start, 1..8 data, 9 stop
    BitClock bc;
    uint8_t cur = 0;
    int level() const
    {
        if (bit < 0) return 1;
        if (bit == 0) return 0;
        if (bit <= 8) return (cur >> (bit - 1)) & 1;
        return 1;
    }
    void tick()
    {
        if (bit >= 0) {
            bc.clk++;
            if (bc.at(2 * (uint64_t)(bit + 1)) && ++bit == 10) bit = -1;
        }
        if (bit < 0 && !q.empty()) {   // the next start bit right after the stop bit
            cur = q.front();
            q.pop_front();
            bit = 0;
            bc.clk = 0;
        }
    }
    bool idle() const { return bit < 0 && q.empty(); }
};

// Board -> host: samples TX mid-bit at the host's baud; bytes with a bad stop bit are
// counted, not passed on.
struct LineIn {
    int bit = -1;
    BitClock bc;
    uint8_t cur = 0;
    uint64_t framing_errors = 0;
    bool tick(int tx, uint8_t *out)
    {
        if (bit < 0) {
            if (!tx) { bit = 0; bc.clk = 0; }
            return false;
        }
        bc.clk++;
        if (!bc.at(2 * (uint64_t)bit + 1)) return false;   // the middle of bit `bit`
        if (bit == 0) {
            bit = tx ? -1 : 1;       // a glitch, not a start bit
            cur = 0;
            return false;
        }
        if (bit <= 8) {
            cur |= (uint8_t)(tx << (bit - 1));
            bit++;
            return false;
        }
        bit = -1;
        if (!tx) { framing_errors++; return false; }
        *out = cur;
        return true;
    }
    bool idle() const { return bit < 0; }
};

struct Stats {
    uint64_t cycles = 0, bytes_in = 0, bytes_out = 0, baud_changes = 0;
    double t0 = monotonic_s();
    double busy_wall = 0;         // wall time spent simulating (not waiting for the host)
};

static void print_stats(const Stats &s, const LineIn &in, const char *path, FILE *f)
{
    double wall = monotonic_s() - s.t0;
    fprintf(f, "{\"cycles\": %llu, \"clk_hz\": %d, \"baud\": %llu, \"baud_changes\": %llu, "
               "\"sim_seconds\": %.6f, \"bytes_in\": %llu, \"bytes_out\": %llu, "
               "\"framing_errors\": %llu, \"wall_seconds\": %.3f, \"busy_wall_seconds\": %.3f, "
               "\"mcycles_per_busy_second\": %.2f, \"pts\": \"%s\"}\n",
            (unsigned long long)s.cycles, SIM_CLK_HZ, (unsigned long long)in.bc.baud,
            (unsigned long long)s.baud_changes,
            (double)s.cycles / SIM_CLK_HZ, (unsigned long long)s.bytes_in,
            (unsigned long long)s.bytes_out, (unsigned long long)in.framing_errors, wall, s.busy_wall,
            s.busy_wall > 0 ? s.cycles / s.busy_wall / 1e6 : 0.0, path);
    fflush(f);
}

static int write_file_atomic(const char *path, const std::string &text)
{
    std::string tmp = std::string(path) + ".tmp";
    FILE *f = fopen(tmp.c_str(), "w");
    if (!f) return -1;
    fputs(text.c_str(), f);
    if (fclose(f) != 0) return -1;
    return rename(tmp.c_str(), path);
}

// statistics to stderr and, when asked, to a file
static void emit_stats(const Stats &s, const LineIn &in, const char *path, const char *stats_file,
                       bool quiet)
{
    if (!quiet) print_stats(s, in, path, stderr);
    if (!stats_file) return;
    char line[512] = "";
    FILE *mem = fmemopen(line, sizeof line, "w");
    if (!mem) return;
    print_stats(s, in, path, mem);
    fclose(mem);
    if (write_file_atomic(stats_file, line) != 0)
        fprintf(stderr, "qn_board_sim: cannot write %s: %s\n", stats_file, strerror(errno));
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: qn_board_sim [options]\n"
            "  The Quantarion board (rtl/board/qn_top_icebreaker.v + snn_core) in Verilator, its UART\n"
            "  on a pseudo-terminal.  Prints the /dev/pts/N path on stdout, serves until killed.\n"
            "  --pts-file FILE    also write the pts path to FILE (for scripts)\n"
            "  --stats-file FILE  write the JSON statistics to FILE on exit and on SIGUSR1\n"
            "  --quiet            no progress or statistics on stderr\n"
            "  --help             this text\n"
            "  Clock %d Hz; the UART starts at %d baud (%d clocks per bit, the real board's timing)\n"
            "  and the line runs at whatever baud the host sets on the pty.\n"
            "  Simulated time advances only while the board has work (see docs/protocol.md).\n",
            SIM_CLK_HZ, SIM_BAUD, SIM_CLK_HZ / SIM_BAUD);
}

int main(int argc, char **argv)
{
    const char *pts_file = nullptr, *stats_file = nullptr;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") { usage(stdout); return 0; }
        else if (a == "--quiet") quiet = true;
        else if ((a == "--pts-file" || a == "--stats-file") && i + 1 < argc)
            (a == "--pts-file" ? pts_file : stats_file) = argv[++i];
        else if (a.rfind("+verilator", 0) == 0) continue;
        else {
            fprintf(stderr, "qn_board_sim: unknown or incomplete option '%s' (try --help)\n", argv[i]);
            return 2;
        }
    }

    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        fprintf(stderr, "qn_board_sim: cannot create a pseudo-terminal: %s (is /dev/ptmx there?)\n",
                strerror(errno));
        return 1;
    }
    const char *path = ptsname(master);
    // keep a slave fd open: when a client closes the port, the board side then sees no EIO
    int slave = open(path, O_RDWR | O_NOCTTY);
    if (slave < 0 || serial_make_raw(slave) != 0 || serial_set_baud(slave, SIM_BAUD) != 0) {
        fprintf(stderr, "qn_board_sim: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
    signal(SIGUSR1, on_usr1);
    signal(SIGPIPE, SIG_IGN);

    VerilatedContext ctx;
    ctx.commandArgs(argc, argv);
    Vqn_top_icebreaker top(&ctx);
    top.CLK = 0;
    top.RX = 1;
    top.BTN_N = 1;
    top.eval();

    LineOut to_board;
    LineIn from_board;
    Stats st;

    // out of reset before the port is announced: a client that writes at once would otherwise
    // have its first bytes sent while the UART is still held in reset (and lost)
    for (; st.cycles < RESET_CLKS; st.cycles++) {
        top.CLK = 1;
        top.eval();
        top.CLK = 0;
        top.eval();
    }
    printf("%s\n", path);
    fflush(stdout);
    if (pts_file && write_file_atomic(pts_file, std::string(path) + "\n") != 0) {
        fprintf(stderr, "qn_board_sim: cannot write %s: %s\n", pts_file, strerror(errno));
        return 1;
    }
    std::deque<uint8_t> to_host;
    uint8_t buf[4096];
    double last_report = monotonic_s();

    while (!g_stop) {
        // host bytes in; board bytes out
        ssize_t r = read(master, buf, sizeof buf);
        if (r > 0) {
            to_board.q.insert(to_board.q.end(), buf, buf + r);
            st.bytes_in += (uint64_t)r;
        }
        while (!to_host.empty()) {
            size_t n = 0;
            while (n < to_host.size() && n < sizeof buf) { buf[n] = to_host[n]; n++; }
            ssize_t w = write(master, buf, n);
            if (w <= 0) break;
            to_host.erase(to_host.begin(), to_host.begin() + w);
        }
        if (g_stats) {
            g_stats = 0;
            emit_stats(st, from_board, path, stats_file, quiet);
        }

        // the host's baud (what it set on the pty): the line runs at it from the next character
        uint32_t baud = serial_get_baud(slave);
        if (baud != 0 && baud != to_board.bc.baud) {
            to_board.bc.baud = from_board.bc.baud = baud;
            st.baud_changes++;
        }
        bool board_idle = top.rootp->qn_top_icebreaker__DOT__board__DOT__o_idle;
        if (to_board.idle() && from_board.idle() && to_host.empty() && board_idle) {
            struct pollfd pfd = { master, POLLIN, 0 };
            poll(&pfd, 1, 100);
            continue;
        }
        // a slice of simulation; the UART lines are driven and sampled every clock
        double slice_t0 = monotonic_s();
        for (int i = 0; i < SLICE; i++) {
            to_board.tick();
            top.RX = to_board.level();
            top.CLK = 1;
            top.eval();
            top.CLK = 0;
            top.eval();
            st.cycles++;
            uint8_t b;
            if (from_board.tick(top.TX, &b)) {
                to_host.push_back(b);
                st.bytes_out++;
            }
        }
        st.busy_wall += monotonic_s() - slice_t0;
        if (!quiet && monotonic_s() - last_report > 10.0) {
            last_report = monotonic_s();
            fprintf(stderr, "qn_board_sim: %.3f s simulated (%llu cycles), %llu bytes in, %llu out\n",
                    (double)st.cycles / SIM_CLK_HZ, (unsigned long long)st.cycles,
                    (unsigned long long)st.bytes_in, (unsigned long long)st.bytes_out);
        }
    }
    top.final();
    emit_stats(st, from_board, path, stats_file, quiet);
    close(slave);
    close(master);
    return 0;
}
