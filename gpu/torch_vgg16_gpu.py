#!/usr/bin/env python3
"""PyTorch's VGG16 features on the GPU: the side-by-side anchor for cxr's GPU numbers.

torchvision's vgg16().features (random weights; speed does not depend on them), float32, eval mode,
inference_mode, input already on the GPU, torch.backends.cudnn.benchmark = True. For each of
  TF32 allowed (PyTorch's default for cuDNN convolutions) and TF32 off (true float32, what cxr runs),
  NCHW and channels_last,
  batch 1, 8 and 32:
warm-up passes, then timed passes with CUDA events, median time -> images/s.

    python3 gpu/torch_vgg16_gpu.py [--out results.json] [--runs 30]
"""
import argparse
import json
import statistics
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", help="write the results as JSON here")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--batches", default="1,8,32")
    args = parser.parse_args()

    import torch
    import torchvision

    if not torch.cuda.is_available():
        print("torch_vgg16_gpu: skipped, torch sees no CUDA device")
        return 0
    torch.backends.cudnn.benchmark = True
    device = torch.device("cuda")
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, cuDNN {torch.backends.cudnn.version()}, "
          f"{torch.cuda.get_device_name(0)}")
    model = torchvision.models.vgg16(weights=None).features.to(device).eval()
    batches = [int(b) for b in args.batches.split(",")]
    results = []
    for tf32 in (True, False):
        torch.backends.cudnn.allow_tf32 = tf32
        torch.backends.cuda.matmul.allow_tf32 = tf32
        for layout in ("nchw", "channels_last"):
            fmt = torch.channels_last if layout == "channels_last" else torch.contiguous_format
            m = model.to(memory_format=fmt)
            for batch in batches:
                x = torch.randn(batch, 3, 224, 224, device=device).to(memory_format=fmt)
                with torch.inference_mode():
                    for _ in range(args.warmup):
                        m(x)
                    torch.cuda.synchronize()
                    times = []
                    for _ in range(args.runs):
                        start = torch.cuda.Event(enable_timing=True)
                        end = torch.cuda.Event(enable_timing=True)
                        start.record()
                        m(x)
                        end.record()
                        end.synchronize()
                        times.append(start.elapsed_time(end))
                ms = statistics.median(times)
                r = {"tf32": tf32, "layout": layout, "batch": batch, "median_ms": round(ms, 3),
                     "images_per_s": round(batch * 1000.0 / ms, 1)}
                results.append(r)
                print(f"torch-timing vgg16-features {'tf32' if tf32 else 'fp32'} {layout:13s} batch={batch:2d}: "
                      f"{ms:8.2f} ms, {r['images_per_s']:8.1f} images/s")
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"torch": torch.__version__, "device": torch.cuda.get_device_name(0), "results": results}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
