"""On a GPU worker the onnx engine picks onnxruntime's CUDA provider by itself, and renders what the CPU provider
renders. Skipped where there is no usable CUDA device (CI has none); run on a lent GPU machine, see
docs/benchmarks-gpu.md."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from render.engine.avatar.assets import clip_frame
from render.engine.lipsync.onnx_engine import OnnxLipSyncEngine
from tests.render.engine.avatar.sample_avatar import FPS, sample_assets
from tests.render.engine.lipsync.tiny_models import export


def _cuda_provider_usable() -> bool:
    import onnxruntime as ort

    return torch.cuda.is_available() and "CUDAExecutionProvider" in ort.get_available_providers()


pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not _cuda_provider_usable(), reason="needs a CUDA GPU and onnxruntime-gpu (CI has no GPU)"),
]


def test_the_default_engine_runs_on_cuda_and_matches_the_cpu_provider(tmp_path: Path) -> None:
    model = export(tmp_path / "tiny_lipsync.onnx")
    bodies = [clip_frame(sample_assets().idle, i) for i in range(12)]
    t = np.arange(int(0.5 * 22050)) / 22050
    audio = (0.8 * np.sign(np.sin(2 * np.pi * 180 * t)) * (t >= 0.2)).astype(np.float32)

    on_gpu = OnnxLipSyncEngine(model, batch_size=5)
    assert on_gpu.providers[0] == "CUDAExecutionProvider"
    on_cpu = OnnxLipSyncEngine(model, batch_size=5, providers=["CPUExecutionProvider"])

    gpu_frames = on_gpu.render(bodies, audio, 22050, FPS)
    cpu_frames = on_cpu.render(bodies, audio, 22050, FPS)
    assert len(gpu_frames) == len(bodies)
    for a, b in zip(cpu_frames, gpu_frames, strict=True):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 2
