"""The GPU paths of lip-sync, each against the same code on the CPU in the same run.

- viseme-warp (torch): per-frame cost at 720p and 1080p with `device="cuda"` and `device="cpu"`, and the largest
  difference between the two outputs (the CUDA test in tests/render/engine/lipsync allows 2 levels of 255).
- onnx engine (onnxruntime): the CUDA execution provider against the CPU one, on two models that follow the engine's
  contract: the tiny test model (what the engine itself costs: mel, crops, paste-back) and a Wav2Lip-sized generator
  with random weights (`Wav2LipSized`, about Wav2Lip's layers and parameter count, built here with torch, no weights
  downloaded), whose inference cost stands for a real user-supplied model's.

On a machine with no CUDA device nothing is measured: the section says so and points to docs/benchmarks-gpu.md, which
holds the figures of the last run on a GPU machine with that machine and date. The GPU machines lent to sessions have
no mediapipe, so the avatars can be built beforehand where it is installed and carried there:

    python bench/bench_gpu.py --build-assets DIR      # on the development machine (CPU)
    python bench/bench_gpu.py --assets DIR            # on the GPU machine: measures, writes docs/benchmarks-gpu.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "benchmarks-gpu.md"
FPS = 25.0
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
FRAMES = 40
RUNS = 5


def _ensure_path() -> None:
    for p in (str(ROOT), str(ROOT / "platform")):
        if p not in sys.path:
            sys.path.insert(0, p)


def build_assets(directory: Path) -> None:
    """Build the benchmark avatars (needs mediapipe) and store them as AvatarAssets.to_bytes() files."""
    _ensure_path()
    from render.engine.avatar import build_avatar
    from render.engine.avatar.sample import TalkingPortrait

    directory.mkdir(parents=True, exist_ok=True)
    for name, size in SIZES.items():
        clip = TalkingPortrait(seconds=5.0, fps=FPS, size=size, closed=((0.0, 2.5),), gestures=((3.0, 4.0),))
        assets = build_avatar([clip[i] for i in range(len(clip))], FPS)
        (directory / f"avatar-{name}.bin").write_bytes(assets.to_bytes())
        print(f"wrote {directory / f'avatar-{name}.bin'}")


def _load_assets(directory: Path | None) -> dict[str, Any]:
    _ensure_path()
    from render.engine.avatar.assets import AvatarAssets

    if directory is None:
        directory = Path(tempfile.mkdtemp(prefix="bench-gpu-assets-"))
        build_assets(directory)
    return {name: AvatarAssets.from_bytes((directory / f"avatar-{name}.bin").read_bytes()) for name in SIZES}


def _mouth_params(n: int) -> Any:
    from render.engine.lipsync.params import MouthParams

    t = np.arange(n) / FPS
    return MouthParams(
        (0.5 - 0.5 * np.cos(2 * np.pi * 1.6 * t)).astype(np.float32),
        (0.5 + 0.3 * np.sin(2 * np.pi * 0.7 * t)).astype(np.float32),
        (np.clip(np.sin(2 * np.pi * 0.45 * t), 0, 1) * 0.6).astype(np.float32),
    )


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def viseme_warp(assets: Any) -> dict[str, Any]:
    """ms per frame on each device (median of RUNS renders of FRAMES frames) and the largest CPU/CUDA difference."""
    from render.engine.avatar.assets import clip_frame
    from render.engine.lipsync.viseme_warp import VisemeWarpEngine

    bodies = [clip_frame(assets.idle, i) for i in range(FRAMES)]
    for body in bodies:  # decoded outside the timing: the compositor hands decoded frames over
        _ = body.image
    params = _mouth_params(FRAMES)
    result: dict[str, Any] = {}
    outputs = {}
    for device in ("cpu", "cuda"):
        engine = VisemeWarpEngine(assets, device=device)
        outputs[device] = list(engine.render(bodies, params))  # warm-up: kernels, allocator, caches
        times = []
        for _ in range(RUNS):
            _sync(device)
            started = time.perf_counter()
            list(engine.render(bodies, params))
            _sync(device)
            times.append((time.perf_counter() - started) / FRAMES * 1000)
        result[device] = statistics.median(times)
    result["max_diff"] = max(
        int(np.abs(a.astype(int) - b.astype(int)).max()) for a, b in zip(outputs["cpu"], outputs["cuda"], strict=True)
    )
    return result


def _wav2lip_sized() -> Any:
    import torch
    from torch import nn

    def block(cin: int, cout: int, k: int = 3, s: Any = 1, p: int = 1, residual: bool = False) -> nn.Module:
        return _Conv(nn.Conv2d(cin, cout, k, s, p), nn.BatchNorm2d(cout), residual)

    class _Conv(nn.Module):
        def __init__(self, conv: nn.Module, norm: nn.Module, residual: bool) -> None:
            super().__init__()
            self.conv, self.norm, self.residual = conv, norm, residual

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = self.norm(self.conv(x))
            return torch.relu(out + x if self.residual else out)

    def up(cin: int, cout: int, k: int = 3, s: int = 2, p: int = 1, out_pad: int = 1) -> nn.Module:
        return nn.Sequential(
            nn.ConvTranspose2d(cin, cout, k, s, p, output_padding=out_pad),
            nn.BatchNorm2d(cout),
            nn.ReLU(),
            block(cout, cout, residual=True),
            block(cout, cout, residual=True),
        )

    class Wav2LipSized(nn.Module):
        """Wav2Lip's generator layout (face encoder with skips, audio encoder, transposed-conv decoder), 96x96."""

        def __init__(self) -> None:
            super().__init__()
            widths = [
                (6, 16, 1, 0),
                (16, 32, 2, 2),
                (32, 64, 2, 3),
                (64, 128, 2, 2),
                (128, 256, 2, 2),
                (256, 512, 2, 1),
            ]
            self.face = nn.ModuleList(
                nn.Sequential(
                    block(cin, cout, 7 if cin == 6 else 3, stride, 3 if cin == 6 else 1),
                    *[block(cout, cout, residual=True) for _ in range(extra)],
                )
                for cin, cout, stride, extra in widths
            )
            self.face_last = nn.Sequential(block(512, 512, 3, 1, 0), block(512, 512, 1, 1, 0))
            self.audio = nn.Sequential(
                block(1, 32),
                block(32, 32, residual=True),
                block(32, 32, residual=True),
                block(32, 64, 3, (3, 1)),
                block(64, 64, residual=True),
                block(64, 64, residual=True),
                block(64, 128, 3, 3),
                block(128, 128, residual=True),
                block(128, 128, residual=True),
                block(128, 256, 3, (3, 2)),
                block(256, 256, residual=True),
                block(256, 512, 3, 1, 0),
                block(512, 512, 1, 1, 0),
            )
            self.start = nn.Sequential(block(512, 512, 1, 1, 0))
            self.ups = nn.ModuleList(
                [
                    up(1024, 512, 3, 1, 0, 0),
                    up(1024, 256),
                    up(512, 128),
                    up(256, 64),
                    up(128, 32),
                    up(64, 16),
                ]
            )
            self.out = nn.Sequential(block(32, 16), nn.Conv2d(16, 3, 1), nn.Sigmoid())

        def forward(self, mel: torch.Tensor, face: torch.Tensor) -> torch.Tensor:
            skips = []
            x = face
            for stage in self.face:
                x = stage(x)
                skips.append(x)
            x = self.face_last(x)
            skips.append(x)
            a = self.audio(mel)
            a = nn.functional.adaptive_avg_pool2d(a, 1)
            y = self.start(a)
            y = torch.cat([y, skips.pop()], 1)
            for i, layer in enumerate(self.ups):
                y = layer(y)
                if i + 1 < len(self.ups):
                    y = torch.cat([y, skips.pop()], 1)
            return self.out(torch.cat([y, skips.pop()], 1))

    return Wav2LipSized().eval()


def export_wav2lip_sized(path: Path) -> tuple[Path, int]:
    import torch

    model = _wav2lip_sized()
    params = sum(p.numel() for p in model.parameters())
    example = (torch.zeros(2, 1, 80, 16), torch.zeros(2, 6, 96, 96))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            example,
            str(path),
            input_names=["mel", "face"],
            output_names=["mouth"],
            dynamic_axes={"mel": {0: "batch"}, "face": {0: "batch"}, "mouth": {0: "batch"}},
            dynamo=False,
        )
    return path, params


def onnx_engine(assets: Any, model: Path, batch: int) -> dict[str, dict[str, float]]:
    """ms per frame on each provider: the whole OnnxLipSyncEngine.render (mel, crops, inference, paste-back) and
    its inference alone (`infer` on inputs prepared beforehand)."""
    from render.engine.avatar.assets import clip_frame
    from render.engine.lipsync.mel import mel_spectrogram, mel_windows
    from render.engine.lipsync.onnx_engine import OnnxLipSyncEngine

    bodies = [clip_frame(assets.idle, i) for i in range(FRAMES)]
    for body in bodies:
        _ = body.image
    audio = (0.3 * np.sin(2 * np.pi * 220 * np.arange(int(FRAMES / FPS * 16000)) / 16000)).astype(np.float32)
    result: dict[str, dict[str, float]] = {}
    for provider in ("CPUExecutionProvider", "CUDAExecutionProvider"):
        engine = OnnxLipSyncEngine(model, batch_size=batch, providers=[provider])
        if engine.providers[0] != provider:
            raise RuntimeError(f"onnxruntime fell back to {engine.providers} instead of {provider}")
        mels = mel_windows(mel_spectrogram(audio, 16000), FRAMES, FPS, engine.contract.mel_steps)
        faces, _ = engine.prepare(bodies)
        engine.render(bodies, audio, 16000, FPS)
        whole, infer = [], []
        for _ in range(RUNS):
            started = time.perf_counter()
            engine.render(bodies, audio, 16000, FPS)
            whole.append((time.perf_counter() - started) / FRAMES * 1000)
            started = time.perf_counter()
            engine.infer(mels, faces)
            infer.append((time.perf_counter() - started) / FRAMES * 1000)
        result[provider] = {"whole": statistics.median(whole), "infer": statistics.median(infer)}
    return result


def measure(asset_dir: Path | None) -> str:
    _ensure_path()
    import onnxruntime as ort
    import torch

    sys.path.insert(0, str(ROOT))
    from tests.render.engine.lipsync.tiny_models import export as export_tiny

    assets = _load_assets(asset_dir)
    warp = {name: viseme_warp(a) for name, a in assets.items()}
    with tempfile.TemporaryDirectory() as tmp:
        tiny = onnx_engine(assets["720p"], export_tiny(Path(tmp) / "tiny.onnx"), 16)
        big_path, big_params = export_wav2lip_sized(Path(tmp) / "wav2lip-sized.onnx")
        big = onnx_engine(assets["720p"], big_path, 16)

    gpu = torch.cuda.get_device_name(0)
    lines = [
        "## GPU: lip-sync on CUDA",
        "",
        f"Device: {gpu}; torch {torch.__version__} (CUDA {torch.version.cuda}), onnxruntime "
        f"{ort.__version__} ({', '.join(ort.get_available_providers())}); host: {os.cpu_count()} CPU cores, "
        f"Python {platform.python_version()}. Medians of {RUNS} renders of {FRAMES} frames after one warm-up render, "
        "CPU and CUDA in the same run; the engines' CPU work runs on 1 torch/BLAS thread, as in the render worker "
        "(onnxruntime's CPU provider keeps its own default thread pool).",
        "",
        "Avatars: the synthetic talking portrait, 5 s at each size, "
        + ("built beforehand with `--build-assets` (no mediapipe on this machine)." if asset_dir else "built here.")
        + " The viseme-warp rows run `VisemeWarpEngine` (the render worker's crop variant adds no GPU work).",
        "",
        "| engine | CPU | CUDA | CPU / CUDA |",
        "|---|---:|---:|---:|",
    ]
    for name, r in warp.items():
        ratio = r["cpu"] / r["cuda"]
        lines.append(f"| viseme-warp, {name} | {r['cpu']:.1f} ms/frame | {r['cuda']:.1f} ms/frame | {ratio:.1f}x |")
    for label, r in (
        ("onnx engine, tiny test model (engine overhead), 720p, batch 16", tiny),
        (f"onnx engine, Wav2Lip-sized generator ({big_params / 1e6:.1f} M parameters), 720p, batch 16", big),
    ):
        for part, what in (("whole", "whole engine"), ("infer", "inference alone")):
            cpu, cuda = r["CPUExecutionProvider"][part], r["CUDAExecutionProvider"][part]
            lines.append(f"| {label}: {what} | {cpu:.1f} ms/frame | {cuda:.1f} ms/frame | {cpu / cuda:.1f}x |")
    lines += [
        "",
        "Largest difference between the CPU and CUDA viseme-warp frames: "
        + ", ".join(f"{name} {r['max_diff']} of 255" for name, r in warp.items())
        + " (tests/render/engine/lipsync/test_viseme_warp_runs_on_cuda_like_on_cpu.py allows 2).",
        "",
        "viseme-warp works on a face-sized region, so a GPU mostly saves the thin-plate-spline warp and blend; "
        "the per-frame Python and the copies to and from the device remain. The onnx engine moves the whole model "
        "onto the GPU; its crops and paste-back stay on the CPU.",
    ]
    return "\n".join(lines)


def run() -> str:
    """For `make bench`: measures where CUDA is available, otherwise points to the last GPU figures."""
    import torch

    if not torch.cuda.is_available():
        return (
            "## GPU: lip-sync on CUDA\n\nThis machine has no CUDA device, so nothing was measured on a GPU in this "
            "run. The figures of the last run on a GPU machine, with that machine and date, are in "
            "[benchmarks-gpu.md](benchmarks-gpu.md)."
        )
    section = measure(None)
    _write(section)
    return section


def _write(section: str) -> None:
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    OUTPUT.write_text(
        f"# GPU benchmarks\n\nWritten by `bench/bench_gpu.py` on {today}, on a machine with a CUDA device. "
        "`make bench` on a machine without one leaves this file as it is.\n\n" + section + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUTPUT}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-assets", type=Path, help="build the benchmark avatars into this folder and stop")
    parser.add_argument("--assets", type=Path, help="use avatars built beforehand with --build-assets")
    args = parser.parse_args()
    if args.build_assets:
        build_assets(args.build_assets)
        return 0
    section = measure(args.assets)
    print(section)
    _write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
