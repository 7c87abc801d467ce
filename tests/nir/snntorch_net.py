# SPDX-License-Identifier: MIT
"""tests/nir/snntorch_net.py : a small snnTorch network trained on the CPU, exported with
snnTorch's own NIR exporter, and compared class by class with host/nir's import of it.

  train    train (Leaky beta = 1 - 2^-k, Linear without bias, reset to zero), export F.nir with
           snntorch.export_nir.export_to_nir + nir.write, classify the accelerator's own input
           spikes (tests/nir/rate_spikes.c) with snnTorch, write the classes as JSON
  compare  the same snnTorch classes against host/eval's per-image CSV of the imported model,
           and against snnTorch run with the INT8 weights and thresholds of the imported model
           (read back from host/nir export), which splits a difference into its two causes

The decision rule on snnTorch's outputs is the accelerator's (hls/snn_infer.c snn_decide):
most output spikes, ties to the larger final membrane, then to the lower index.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch
import nir
import snntorch as snn
from snntorch import functional as SF
from snntorch import utils as snn_utils
from snntorch.export_nir import export_to_nir


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(magic & 0xFF)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def make_net(sizes, k):
    """Linear (no bias) -> Leaky per layer.  beta and threshold are per-neuron tensors: the
    exporter of snnTorch 0.9.4 writes a 0-d v_threshold for a scalar one, which nir 1.0.8's
    type check rejects."""
    beta = 1.0 - 2.0 ** -k
    layers = []
    for i in range(len(sizes) - 1):
        h = sizes[i + 1]
        layers.append(torch.nn.Linear(sizes[i], h, bias=False))
        layers.append(snn.Leaky(beta=torch.full((h,), beta), threshold=torch.ones(h), init_hidden=True,
                                reset_mechanism="zero", reset_delay=False,
                                output=(i == len(sizes) - 2)))
    return torch.nn.Sequential(*layers)


def run(net, spikes):
    """spikes (T, B, I) -> output spike counts (B, C) and final membranes (B, C), after reset."""
    snn_utils.reset(net)
    counts = 0
    for t in range(spikes.shape[0]):
        spk, mem = net(spikes[t])
        counts = counts + spk
    return counts, mem


def decide(counts, mem):
    counts = np.asarray(counts)
    mem = np.asarray(mem, dtype=np.float64)
    cand = counts == counts.max(axis=1, keepdims=True)
    m = np.where(cand, mem, -np.inf)
    cand &= m == m.max(axis=1, keepdims=True)
    return cand.argmax(axis=1)


def load_spikes(path, n, steps, inputs):
    raw = np.fromfile(path, dtype=np.uint8).reshape(n, steps, -1)
    bits = np.unpackbits(raw, axis=2)[:, :, :inputs]
    return torch.from_numpy(bits.transpose(1, 0, 2).astype(np.float32))  # (T, N, I)


def classify(net, spikes, batch=512):
    out = []
    with torch.no_grad():
        for lo in range(0, spikes.shape[1], batch):
            counts, mem = run(net, spikes[:, lo:lo + batch])
            out.append(decide(counts.numpy(), mem.numpy()))
    return np.concatenate(out)


def cmd_train(a):
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    sizes = [int(s) for s in a.sizes.split(",")]
    x = read_idx(f"{a.data}/train-images-idx3-ubyte").reshape(-1, sizes[0])[: a.train_images]
    y = read_idx(f"{a.data}/train-labels-idx1-ubyte")[: a.train_images]
    labels = read_idx(f"{a.data}/t10k-labels-idx1-ubyte")
    net = make_net(sizes, a.k)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    loss_fn = SF.ce_rate_loss()
    p = torch.from_numpy(x.astype(np.float32) / 256.0)  # the coder spikes with probability x / 256
    t0 = time.time()
    for epoch in range(a.epochs):
        order = torch.randperm(len(p))
        for lo in range(0, len(p), a.batch):
            idx = order[lo: lo + a.batch]
            pb = p[idx]
            snn_utils.reset(net)
            rec = []
            for _ in range(a.steps):
                spk, _ = net((torch.rand_like(pb) < pb).float())
                rec.append(spk)
            loss = loss_fn(torch.stack(rec), torch.from_numpy(y[idx.numpy()].astype(np.int64)))
            opt.zero_grad()
            loss.backward()
            opt.step()
        print(f"snntorch_net: epoch {epoch + 1}/{a.epochs} loss {loss.item():.4f} "
              f"({time.time() - t0:.1f} s)", file=sys.stderr)
    train_seconds = time.time() - t0
    graph = export_to_nir(net, torch.zeros(1, sizes[0]), ignore_dims=[0])
    nir.write(a.out, graph)
    spikes = load_spikes(a.spikes, a.images, a.steps, sizes[0])
    pred = classify(net, spikes)
    acc = float((pred == labels[: a.images]).mean())
    json.dump({"images": int(a.images), "steps": a.steps, "leak_shift": a.k, "sizes": sizes,
               "train_images": int(len(p)), "epochs": a.epochs, "train_seconds": round(train_seconds, 1),
               "snntorch_accuracy": round(acc, 6), "pred": pred.tolist()}, open(a.pred, "w"))
    print(json.dumps({"snntorch_accuracy": round(acc, 6), "train_seconds": round(train_seconds, 1),
                      "train_images": int(len(p)), "nir": a.out}))


def cmd_compare(a):
    ref = json.load(open(a.pred))
    sizes, n = ref["sizes"], ref["images"]
    snn_pred = np.array(ref["pred"])
    rows = np.loadtxt(a.csv, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    ours, labels = rows[:, 2], rows[:, 1]
    if len(ours) != n:
        sys.exit(f"snntorch_net: FAIL: {len(ours)} rows in {a.csv}, expected {n}")
    # snnTorch (float arithmetic, float leak) with the imported model's INT8 weights and
    # thresholds, read back through NIR: what is left is the integer leak and saturation
    g = nir.read(a.int8_nir)
    net = make_net(sizes, ref["leak_shift"])
    chain = [k for k in ("linear0", "lif0", "linear1", "lif1", "linear2", "lif2", "linear3", "lif3") if k in g.nodes]
    with torch.no_grad():
        for i in range(0, len(chain), 2):
            lin, lif = net[i], net[i + 1]
            lin.weight.copy_(torch.from_numpy(np.asarray(g.nodes[chain[i]].weight)))
            lif.threshold.copy_(torch.from_numpy(np.asarray(g.nodes[chain[i + 1]].v_threshold)))
    spikes = load_spikes(a.spikes, n, ref["steps"], sizes[0])
    int8_pred = classify(net, spikes)
    r = {
        "images": int(n),
        "snntorch_accuracy": ref["snntorch_accuracy"],
        "imported_accuracy": round(float((ours == labels).mean()), 6),
        "agreement": round(float((ours == snn_pred).mean()), 6),
        "disagreements": int((ours != snn_pred).sum()),
        "int8_weights_float_leak_vs_snntorch": round(float((int8_pred == snn_pred).mean()), 6),
        "imported_vs_int8_weights_float_leak": round(float((ours == int8_pred).mean()), 6),
        "train_seconds": ref["train_seconds"],
    }
    print(json.dumps(r))
    json.dump(r, open(a.report, "w"), indent=1)
    if r["agreement"] < a.min_agreement:
        sys.exit(f"snntorch_net: FAIL: agreement {r['agreement']} below {a.min_agreement}: the mapping is broken")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True, help="idx folder (train-*, t10k-*)")
    t.add_argument("--spikes", required=True, help="rate_spikes output for the test split")
    t.add_argument("--images", type=int, required=True, help="test images in --spikes")
    t.add_argument("--sizes", default="784,64,10")
    t.add_argument("--steps", type=int, default=16)
    t.add_argument("--k", type=int, default=3, help="leak shift: beta = 1 - 2^-k")
    t.add_argument("--epochs", type=int, default=2)
    t.add_argument("--train-images", type=int, default=8000)
    t.add_argument("--batch", type=int, default=100)
    t.add_argument("--lr", type=float, default=5e-3)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--out", required=True, help="the NIR file to write")
    t.add_argument("--pred", required=True, help="snnTorch's classes (JSON) to write")
    c = sub.add_parser("compare")
    c.add_argument("--pred", required=True)
    c.add_argument("--csv", required=True, help="host/eval --per-image of the imported model")
    c.add_argument("--int8-nir", required=True, help="host/nir export of the imported model")
    c.add_argument("--spikes", required=True)
    c.add_argument("--report", required=True)
    c.add_argument("--min-agreement", type=float, default=0.9,
                   help="below this the mapping itself is wrong (a transposed weight gives ~0.1)")
    a = ap.parse_args()
    cmd_train(a) if a.cmd == "train" else cmd_compare(a)


if __name__ == "__main__":
    main()
