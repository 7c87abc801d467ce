/* SPDX-License-Identifier: MIT
 * rate_spikes.c : the accelerator's own input spikes (hls/ rate coder, image i seeded with i,
 * host/eval's and host/run's rule) for the first N test images of a dataset, so that the
 * snnTorch test feeds snnTorch exactly the spikes the golden model and the board see.
 *   rate_spikes DATA N T OUT   writes N*T*ceil(I/8) bytes: image, step, pixels bit-packed
 *                              MSB first (numpy.unpackbits order); prints {"images", ...}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "qio.h"
#include "snn.h"

int main(int argc, char **argv)
{
    static uint16_t ev[SNN_MAX_INPUTS];
    static uint8_t row[SNN_MAX_INPUTS / 8];
    dataset_t d;
    snn_encoder_t e;
    char err[1024];
    FILE *f;
    int n, T, i, t, k, I, bytes;
    if (argc != 5 || (n = atoi(argv[2])) < 1 || (T = atoi(argv[3])) < 1 || T > SNN_MAX_STEPS) {
        fprintf(stderr, "usage: rate_spikes DATA N T OUT.bin (N >= 1, 1 <= T <= %d)\n", SNN_MAX_STEPS);
        return 2;
    }
    if (dataset_load(argv[1], &d, err, sizeof err) < 0) {
        fprintf(stderr, "rate_spikes: %s\n", err);
        return 1;
    }
    I = d.test.rows * d.test.cols;
    bytes = (I + 7) / 8;
    n = n < d.test.n ? n : d.test.n;
    if (I > SNN_MAX_INPUTS) {
        fprintf(stderr, "rate_spikes: %d pixels, the coder takes at most %d\n", I, SNN_MAX_INPUTS);
        return 1;
    }
    f = fopen_check(argv[4], "wb");
    for (i = 0; i < n; i++) {
        snn_encode_seed(&e, (uint32_t)i);
        for (t = 0; t < T; t++) {
            const uint16_t m = snn_encode_rate_step(&e, d.test.images + (size_t)i * I, I, ev);
            memset(row, 0, (size_t)bytes);
            for (k = 0; k < m; k++)
                row[ev[k] / 8] |= (uint8_t)(0x80 >> (ev[k] % 8));
            fwrite_check(row, 1, (size_t)bytes, f, argv[4]);
        }
    }
    fclose_check(f, argv[4]);
    printf("{\"images\":%d,\"steps\":%d,\"inputs\":%d}\n", n, T, I);
    dataset_free(&d);
    return 0;
}
