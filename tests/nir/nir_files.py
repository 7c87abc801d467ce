# SPDX-License-Identifier: MIT
"""tests/nir/nir_files.py : host/nir against the `nir` reference library (docs/nir.md).

  write DIR           files made with NIR's own node classes and nir.write: graphs the import
                      must take (edges shuffled, an Affine with a zero bias, LIF and IF, a
                      Flatten, Norse's r = 1 convention, a pre-1.0.6 file without v_reset) and
                      graphs it must refuse; prints {file: "ok" | words the refusal must name}
  check-export F.nir M.qmodel
                      nir.read (with its type check) reads our export, and it describes the
                      model: the chain, sizes, tau = dt 2^k, r, v_threshold = (theta - 1/2) s,
                      weights = w s, the metadata; M.qmodel is parsed here independently of C
  check-import SRC.nir BACK.nir DT
                      BACK.nir (host/nir export of host/nir import of SRC.nir --dt DT) holds
                      what docs/nir.md's rules give for SRC.nir: gain folded into the weights,
                      INT8 = round(w / s) with s = amax / 127, theta = floor(v_threshold / s) + 1
"""
import json
import struct
import sys
import zlib

import h5py
import numpy as np
import nir

DT = 1e-4


def lif(n, tau, thr, r=None, v_leak=0.0, v_reset=0.0):
    return nir.LIF(tau=np.full(n, tau, np.float32), r=np.full(n, tau / DT if r is None else r, np.float32),
                   v_leak=np.full(n, v_leak, np.float32), v_threshold=np.full(n, thr, np.float32),
                   v_reset=np.full(n, v_reset, np.float32))


def graph(nodes, edges, check=True):
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=check)


def write(path, g):
    nir.write(path, g)


def cmd_write(d):
    rng = np.random.default_rng(7)
    w1 = rng.normal(0, 0.3, (12, 20)).astype(np.float32)
    w2 = rng.normal(0, 0.3, (5, 12)).astype(np.float32)
    man = {}
    # Norse-style: r = 1, tau = 8 ms; with --dt 1e-3 the leak is exact (k = 3), gain dt/tau = 1/8
    nodes = {"in": nir.Input(np.array([20])), "fc": nir.Affine(weight=w1, bias=np.zeros(12, np.float32)),
             "neu": lif(12, 8e-3, 0.7, r=1.0), "fc2": nir.Linear(weight=w2),
             "spk": nir.IF(r=np.ones(5, np.float32), v_threshold=np.full(5, 0.05, np.float32),
                           v_reset=np.zeros(5, np.float32)),
             "out": nir.Output(np.array([5]))}
    edges = [("fc2", "spk"), ("neu", "fc2"), ("spk", "out"), ("in", "fc"), ("fc", "neu")]
    write(f"{d}/norse.nir", graph(nodes, edges))
    man["norse.nir"] = "ok"
    # the same file as NIR before 1.0.6 wrote it: no v_reset datasets
    write(f"{d}/old.nir", graph(nodes, edges))
    with h5py.File(f"{d}/old.nir", "r+") as f:
        del f["node/nodes/neu/v_reset"]
        del f["node/nodes/spk/v_reset"]
        del f["version"]
        f.create_dataset("version", data="1.0.4", dtype=h5py.string_dtype())
    man["old.nir"] = "ok"
    # a flattened 2-D input, snnTorch's conventions (r = tau / dt), per-neuron thresholds
    nodes = {"input": nir.Input(np.array([4, 5])), "flat": nir.Flatten(input_type={"input": np.array([4, 5])},
                                                                      start_dim=0, end_dim=-1),
             "0": nir.Linear(weight=w1), "1": lif(12, DT * 16, 1.0), "output": nir.Output(np.array([12]))}
    nodes["1"].v_threshold = np.linspace(0.5, 1.5, 12).astype(np.float32)
    write(f"{d}/flat.nir", graph(nodes, [("1", "output"), ("input", "flat"), ("flat", "0"), ("0", "1")]))
    man["flat.nir"] = "ok"

    def bad(name, nodes, edges, words):
        write(f"{d}/{name}", graph(nodes, edges, check=False))
        man[name] = words

    base = lambda n=12: {"in": nir.Input(np.array([20])), "fc": nir.Linear(weight=w1), "neu": lif(n, DT * 8, 1.0),
                         "out": nir.Output(np.array([n]))}
    chain = [("in", "fc"), ("fc", "neu"), ("neu", "out")]
    g = base()
    g["fc"] = nir.Affine(weight=w1, bias=np.full(12, 0.1, np.float32))
    bad("bias.nir", g, chain, ["Affine 'fc'", "bias"])
    g = base()
    g["neu"] = lif(12, DT * 8, 1.0, v_leak=0.2)
    bad("vleak.nir", g, chain, ["LIF 'neu'", "v_leak"])
    g = base()
    g["neu"] = lif(12, DT * 8, 1.0, v_reset=0.3)
    bad("vreset.nir", g, chain, ["LIF 'neu'", "v_reset"])
    g = base()
    g["neu"] = nir.CubaLIF(tau_syn=np.full(12, 2e-3), tau_mem=np.full(12, 8e-3), r=np.ones(12), v_leak=np.zeros(12),
                           v_threshold=np.ones(12), w_in=np.ones(12))
    bad("cubalif.nir", g, chain, ["CubaLIF 'neu'", "current-based"])
    g = base()
    g["conv"] = nir.Conv2d(input_shape=(4, 5), weight=np.ones((1, 1, 3, 3), np.float32), stride=1, padding=0,
                           dilation=1, groups=1, bias=np.zeros(1, np.float32))
    bad("conv.nir", g, [("in", "conv"), ("conv", "fc"), ("fc", "neu"), ("neu", "out")], ["Conv2d 'conv'", "convolution"])
    g = base()
    g["rec"] = nir.Linear(weight=np.eye(12, dtype=np.float32))
    bad("recurrent.nir", g, chain + [("neu", "rec"), ("rec", "neu")], ["cycle", "recurrent"])
    bad("selfloop.nir", base(), chain + [("neu", "neu")], ["'neu'", "self-loop"])
    bad("dangling.nir", base(), chain + [("neu", "ghost")], ["'ghost'", "dangling"])
    g = base()
    g["fc2"] = nir.Linear(weight=w1)
    bad("branch.nir", g, chain + [("in", "fc2")], ["'in'", "feeds 2"])
    g = base(600)
    g["fc"] = nir.Linear(weight=np.zeros((600, 20), np.float32))
    bad("toobig.nir", g, chain, ["Linear 'fc'", "600 neurons"])
    print(json.dumps(man))


def read_qmodel(path):
    """The fields the check needs, from docs/model-format.md (version 1 and 2 share them)."""
    b = open(path, "rb").read()
    assert b[:4] == b"QSNM", "not a model"
    assert zlib.crc32(b[:-4]) == struct.unpack_from("<I", b, len(b) - 4)[0], "CRC"
    L, T, enc = b[12], b[13], b[14]
    W, N = struct.unpack_from("<IH", b, 16)
    layers, off = [], 64 + 16 * L
    thr = np.frombuffer(b, "<i2", N, off + W)
    scale = np.frombuffer(b, "<f4", N, off + W + 2 * N)
    tfl = np.frombuffer(b, "<f4", N, off + W + 6 * N)
    for l in range(L):
        I, H, k, reset, tmode, _, wi, ti, nt = struct.unpack_from("<HHBBBBIHH", b, 64 + 16 * l)
        w = np.frombuffer(b, np.int8, I * H, off + wi).reshape(I, H)
        layers.append(dict(I=I, H=H, k=k, reset=reset, tmode=tmode, w=w, thr=thr[ti:ti + nt],
                           scale=scale[ti:ti + nt], tfl=tfl[ti:ti + nt]))
    return dict(T=T, enc=enc, layers=layers, dataset=b[24:48].split(b"\0")[0].decode())


def fail(msg):
    sys.exit(f"nir_files: FAIL: {msg}")


def cmd_check_export(path, qpath):
    g = nir.read(path)  # type-checks every edge's shapes
    m = read_qmodel(qpath)
    order, cur = [], "input"
    nxt = dict(g.edges)
    while cur in nxt:
        cur = nxt[cur]
        order.append(cur)
    if order[-1] != "output" or len(order) != 2 * len(m["layers"]) + 1:
        fail(f"{path}: chain {order}")
    for l, ly in enumerate(m["layers"]):
        lin, neu = g.nodes[order[2 * l]], g.nodes[order[2 * l + 1]]
        s = np.broadcast_to(ly["scale"], (ly["H"],)).astype(np.float32)
        th = np.broadcast_to(ly["thr"], (ly["H"],)).astype(np.float64)
        if not isinstance(lin, nir.Linear) or lin.weight.shape != (ly["H"], ly["I"]):
            fail(f"layer {l}: {type(lin).__name__} {getattr(lin, 'weight', np.zeros(0)).shape}")
        if not np.array_equal(lin.weight, (ly["w"].astype(np.float32) * s[None, :]).T):
            fail(f"layer {l}: weights are not INT8 x scale")
        if ly["k"] == 0:
            ok = isinstance(neu, nir.IF) and np.all(neu.r == 1)
        else:
            ok = (isinstance(neu, nir.LIF) and np.all(neu.tau == np.float32(DT * 2 ** ly["k"]))
                  and np.all(neu.r == 2.0 ** ly["k"]) and np.all(neu.v_leak == 0))
        if not ok:
            fail(f"layer {l}: neuron node {type(neu).__name__} does not hold leak shift {ly['k']}")
        vth = ((th - 0.5) * s.astype(np.float64)).astype(np.float32)
        if not np.array_equal(neu.v_threshold, vth) or np.any(neu.v_reset != 0):
            fail(f"layer {l}: v_threshold is not (theta - 1/2) * scale, or v_reset != 0")
        if neu.metadata.get("quantarion_reset") != ("zero" if ly["reset"] else "subtract"):
            fail(f"layer {l}: reset metadata {neu.metadata.get('quantarion_reset')}")
    md = g.metadata
    if md.get("quantarion_steps") != m["T"] or md.get("quantarion_encoding") != ("direct" if m["enc"] else "rate"):
        fail(f"graph metadata {md}")
    print(json.dumps({"file": path, "nodes": len(g.nodes), "layers": len(m["layers"]), "read_by": "nir " + nir.version}))


def cmd_check_import(src, back, dt):
    g, b = nir.read(src), nir.read(back)
    names = [k for k in ("fc", "neu", "fc2", "spk", "0", "1") if k in g.nodes]
    layers = [(g.nodes[names[i]], g.nodes[names[i + 1]]) for i in range(0, len(names), 2)]
    for l, (lin, neu) in enumerate(layers):
        blin, bneu = b.nodes[f"linear{l}"], b.nodes[f"lif{l}" if f"lif{l}" in b.nodes else f"if{l}"]
        if isinstance(neu, nir.LIF):
            gain = neu.r.astype(np.float64) * dt / neu.tau
            k = int(round(np.log2(neu.tau[0] / dt)))
            if not (isinstance(bneu, nir.LIF) and np.allclose(bneu.tau / DT, 2.0 ** k)):
                fail(f"layer {l}: leak shift is not round(log2(tau / dt)) = {k}")
        else:
            gain = neu.r.astype(np.float64)
        w = (lin.weight.astype(np.float64) * gain[:, None]).astype(np.float32)  # (H, I)
        per_channel = b.metadata.get("quantarion_weights") == "per-channel"
        amax = np.abs(w).max(axis=1) if per_channel else np.full(w.shape[0], np.abs(w).max())
        s = (amax.astype(np.float32) / np.float32(127)).astype(np.float32)[:, None]  # (H, 1)
        q = np.clip(np.round(w / s), -127, 127)
        if not np.array_equal(blin.weight, (q * s).astype(np.float32)):
            fail(f"layer {l}: INT8 weights are not round(gain w / (amax / 127))")
        s = s[:, 0].astype(np.float64)
        theta = np.floor(neu.v_threshold.astype(np.float64) / s) + 1
        if not np.array_equal(bneu.v_threshold, ((theta - 0.5) * s).astype(np.float32)):
            fail(f"layer {l}: thresholds are not floor(v_threshold / s) + 1")
    print(json.dumps({"file": src, "layers": len(layers), "dt": dt, "checked": "gain, INT8, threshold, leak"}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        cmd_write(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "check-export":
        cmd_check_export(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "check-import":
        cmd_check_import(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        sys.exit(__doc__)
