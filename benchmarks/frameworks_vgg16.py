#!/usr/bin/env python3
"""The frameworks' side of benchmarks/compare-cpu.sh, and the comparison table.

  frameworks_vgg16.py run --framework F --threads N --batches 1,8 --repeats 7 --json out.json
      times VGG16's features forward (13 3x3 convolutions with ReLU, 5 2x2 max pools, 224x224x3
      seeded random input, random weights) in framework F, on N threads: a few warm-up passes,
      then the median of --repeats timed passes. F is one of
        torch       PyTorch eager, NCHW and channels_last (the network is built from torch.nn
                    layers, as torchvision's vgg16().features is; no torchvision needed)
        onnxruntime ONNX Runtime on the same network as an ONNX graph built with onnx.helper
        tensorflow  Keras's keras.applications.VGG16(weights=None, include_top=False)
      The instruction set PyTorch may use is set by the caller through ATEN_CPU_CAPABILITY and
      ONEDNN_MAX_CPU_ISA; ONNX Runtime and TensorFlow pick theirs from the CPU and cannot be held
      to less, so they are timed at the machine's own.

  frameworks_vgg16.py table --runs run1.json run2.json ... [--isa NAME]
      prints the median over rounds of every framework's images/s (cxr's from
      dev.cxr.benchmarks.ForwardTiming, timed the same way), side by side, with cxr / fastest other.

Any Python 3 with the frameworks installed; the venv made by compare-cpu.sh has them all.
"""
import argparse
import json
import os
import statistics
import sys
import time

CONVS = [(3, 64), (64, 64), None, (64, 128), (128, 128), None, (128, 256), (256, 256), (256, 256), None,
         (256, 512), (512, 512), (512, 512), None, (512, 512), (512, 512), (512, 512), None]


def timed(fn, warmup, repeats):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def run_torch(args, batches):
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    layers = []
    for c in CONVS:
        layers += [nn.MaxPool2d(2, 2)] if c is None else [nn.Conv2d(c[0], c[1], 3, padding=1), nn.ReLU(inplace=True)]
    model = nn.Sequential(*layers).eval()
    capability = [line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines()
                  if "CPU capability usage" in line]
    version = f"PyTorch {torch.__version__}"
    results = []
    for batch in batches:
        x = torch.rand(batch, 3, 224, 224, generator=torch.Generator().manual_seed(2))
        for layout in ("nchw", "channels_last"):
            fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
            m = model.to(memory_format=fmt)
            xi = x.contiguous(memory_format=fmt)
            with torch.no_grad():
                median, times = timed(lambda: m(xi), args.warmup, args.repeats)
            results.append(result(f"{version} {layout}", batch, args.threads, median, times))
    return {"framework": version, "isa": capability[0] if capability else "", "results": results}


def onnx_vgg16():
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(1)
    nodes, inits = [], []
    prev = "input"
    for i, c in enumerate(CONVS):
        out = f"t{i}"
        if c is None:
            nodes.append(helper.make_node("MaxPool", [prev], [out], kernel_shape=[2, 2], strides=[2, 2]))
        else:
            w = rng.normal(0, (2 / (9 * c[0])) ** 0.5, (c[1], c[0], 3, 3)).astype(np.float32)
            b = rng.uniform(-0.05, 0.05, c[1]).astype(np.float32)
            inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
            nodes.append(helper.make_node("Conv", [prev, f"w{i}", f"b{i}"], [f"c{i}"], kernel_shape=[3, 3],
                                          pads=[1, 1, 1, 1]))
            nodes.append(helper.make_node("Relu", [f"c{i}"], [out]))
        prev = out
    graph = helper.make_graph(nodes, "vgg16_features",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["n", 3, 224, 224])],
                              [helper.make_tensor_value_info(prev, TensorProto.FLOAT, ["n", 512, 7, 7])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def run_onnxruntime(args, batches):
    import numpy as np
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(onnx_vgg16(), options, providers=["CPUExecutionProvider"])
    version = f"ONNX Runtime {ort.__version__}"
    results = []
    for batch in batches:
        x = np.random.default_rng(2).random((batch, 3, 224, 224), dtype=np.float32)
        median, times = timed(lambda: session.run(None, {"input": x}), args.warmup, args.repeats)
        results.append(result(version, batch, args.threads, median, times))
    return {"framework": version, "isa": "the CPU's own (MLAS)", "results": results}


def run_tensorflow(args, batches):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    import keras

    keras.utils.set_random_seed(1)
    model = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))
    version = f"TensorFlow {tf.__version__} / Keras {keras.__version__}"
    results = []
    for batch in batches:
        x = tf.constant(np.random.default_rng(2).random((batch, 224, 224, 3), dtype=np.float32))
        f = tf.function(lambda t: model(t, training=False))
        median, times = timed(lambda: f(x).numpy(), args.warmup, args.repeats)
        results.append(result(version, batch, args.threads, median, times))
    return {"framework": version, "isa": "the CPU's own (oneDNN, Eigen)", "results": results}


def result(name, batch, threads, median, times):
    print(f"{name:40s} batch {batch} threads {threads}: {batch / median:6.2f} images/s", file=sys.stderr)
    return {"name": name, "batch": batch, "threads": threads, "median_s": median, "images_per_s": batch / median,
            "times_s": times}


def run(args):
    batches = [int(b) for b in args.batches.split(",")]
    runner = {"torch": run_torch, "onnxruntime": run_onnxruntime, "tensorflow": run_tensorflow}[args.framework]
    info = runner(args, batches)
    info["env"] = {k: os.environ[k] for k in ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA") if k in os.environ}
    with open(args.json, "w") as f:
        json.dump(info, f, indent=1)


def table(args):
    runs = {}
    names = []
    for path in args.runs:
        with open(path) as f:
            t = json.load(f)
        for r in t["results"]:
            runs.setdefault((r["batch"], r["threads"], r["name"]), []).append(r["images_per_s"])
            if r["name"] not in names:
                names.append(r["name"])
    ours = [n for n in names if n == "cxr"]
    theirs = [n for n in names if n != "cxr"]
    configs = sorted({(b, t) for (b, t, _) in runs})
    rounds = max(len(v) for v in runs.values())
    print()
    print(f"VGG16 features forward, 224x224, images/s (higher is better), median of {rounds} rounds"
          + (f"; {args.isa}" if args.isa else ""))
    print()
    header = "| batch | threads | " + " | ".join(ours + theirs) + " | cxr / fastest other |"
    print(header)
    print("|" + "|".join("---:" for _ in range(header.count("|") - 1)) + "|")
    for (batch, threads) in configs:
        med = {n: statistics.median(runs[(batch, threads, n)]) for n in ours + theirs if (batch, threads, n) in runs}
        cells = " | ".join(f"{med[n]:.2f}" if n in med else "-" for n in ours + theirs)
        others = [med[n] for n in theirs if n in med]
        ratio = f"{med['cxr'] / max(others):.2f}x" if "cxr" in med and others else "-"
        print(f"| {batch} | {threads} | {cells} | {ratio} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="time one framework's VGG16 features")
    r.add_argument("--framework", choices=["torch", "onnxruntime", "tensorflow"], required=True)
    r.add_argument("--threads", type=int, required=True)
    r.add_argument("--batches", default="1,8")
    r.add_argument("--warmup", type=int, default=3)
    r.add_argument("--repeats", type=int, default=7)
    r.add_argument("--json", required=True)
    t = sub.add_parser("table", help="print the comparison table")
    t.add_argument("--runs", nargs="+", required=True)
    t.add_argument("--isa", default="")
    args = parser.parse_args()
    run(args) if args.command == "run" else table(args)


if __name__ == "__main__":
    main()
