#!/usr/bin/python3
"""PyTorch's side of benchmarks/compare-cpu.sh, and the comparison table.

  torch_vgg16.py run --threads N --batches 1,8 --repeats 7 --json out.json
      times torchvision's vgg16().features forward (no_grad, eval mode) on 224x224 seeded random
      input, in NCHW and channels_last memory formats, with torch.set_num_threads(N): a few
      warm-up passes, then the median of --repeats timed passes.

  torch_vgg16.py table --jmh jmh.json --torch torch-1.json torch-2.json ...
      prints cxr's JMH results and PyTorch's side by side, with ratios.

Uses Debian's python3-torch and python3-torchvision (apt-get install python3-torch
python3-torchvision); run with /usr/bin/python3.
"""
import argparse
import json
import statistics
import sys
import time


def run(args):
    import torch
    import torchvision

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = torchvision.models.vgg16().features.eval()
    results = []
    for batch in [int(b) for b in args.batches.split(",")]:
        x = torch.rand(batch, 3, 224, 224, generator=torch.Generator().manual_seed(2))
        for layout in ("nchw", "channels_last"):
            fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
            m = model.to(memory_format=fmt)
            xi = x.contiguous(memory_format=fmt)
            times = []
            with torch.no_grad():
                for _ in range(args.warmup):
                    m(xi)
                for _ in range(args.repeats):
                    t0 = time.perf_counter()
                    m(xi)
                    times.append(time.perf_counter() - t0)
            median = statistics.median(times)
            results.append({"layout": layout, "batch": batch, "threads": args.threads,
                            "median_s": median, "images_per_s": batch / median,
                            "times_s": times})
            print(f"torch {torch.__version__} {layout:13s} batch {batch} threads {args.threads}: "
                  f"{batch / median:6.2f} images/s (median of {args.repeats})", file=sys.stderr)
    capability = [line.split(":", 1)[1].strip() for line in torch.__config__.show().splitlines()
                  if "CPU capability usage" in line]
    info = {"torch": torch.__version__, "torchvision": torchvision.__version__,
            "capability": capability[0] if capability else "", "results": results}
    with open(args.json, "w") as f:
        json.dump(info, f, indent=1)


def table(args):
    with open(args.jmh) as f:
        jmh = json.load(f)
    ours = {}
    for r in jmh:
        if not r["benchmark"].endswith("Vgg16ForwardBenchmark.forward"):
            continue
        p = r["params"]
        images = r["secondaryMetrics"]["images"]
        ours[(int(p["batch"]), int(p["threads"]))] = (images["score"], images["scoreError"])
    torch_rows = {}
    version = ""
    capability = ""
    for path in args.torch:
        with open(path) as f:
            t = json.load(f)
        version = t["torch"]
        capability = t.get("capability", "")
        for r in t["results"]:
            torch_rows[(r["batch"], r["threads"], r["layout"])] = r["images_per_s"]

    print()
    print(f"VGG16 features forward, 224x224, images/s (higher is better); PyTorch {version} ({capability})")
    print()
    header = "| batch | threads | cxr (JMH, +- 99.9% CI) | PyTorch NCHW | PyTorch channels_last | cxr / best PyTorch |"
    print(header)
    print("|" + "|".join("---:" for _ in range(header.count("|") - 1)) + "|")
    for (batch, threads) in sorted(ours):
        score, err = ours[(batch, threads)]
        nchw = torch_rows.get((batch, threads, "nchw"))
        cl = torch_rows.get((batch, threads, "channels_last"))
        best = max([v for v in (nchw, cl) if v is not None], default=None)
        fmt = lambda v: f"{v:.2f}" if v is not None else "-"
        ratio = f"{score / best:.2f}x" if best else "-"
        print(f"| {batch} | {threads} | {score:.2f} +- {err:.2f} | {fmt(nchw)} | {fmt(cl)} | {ratio} |")
    print()
    for batch in sorted({b for (b, _) in ours}):
        threads = sorted(t for (b, t) in ours if b == batch)
        if len(threads) > 1:
            one = ours[(batch, threads[0])][0]
            most = ours[(batch, threads[-1])][0]
            print(f"cxr batch {batch}: {threads[-1]} threads / {threads[0]} thread = {most / one:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="time PyTorch's VGG16 features")
    r.add_argument("--threads", type=int, required=True)
    r.add_argument("--batches", default="1,8")
    r.add_argument("--warmup", type=int, default=3)
    r.add_argument("--repeats", type=int, default=7)
    r.add_argument("--json", required=True)
    t = sub.add_parser("table", help="print the comparison table")
    t.add_argument("--jmh", required=True)
    t.add_argument("--torch", nargs="+", required=True)
    args = parser.parse_args()
    run(args) if args.command == "run" else table(args)


if __name__ == "__main__":
    main()
