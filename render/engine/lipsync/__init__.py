"""Lip-sync engines: `viseme-warp` (default, model-free, torch) and `onnx` (Wav2Lip-style user model, onnxruntime).

Pure library code (no Django). Engines take body frames with face geometry (`render.engine.avatar.BodyFrame`) and
per-frame mouth parameters or audio, and return RGB frames.
"""

from __future__ import annotations

from render.engine.lipsync.params import MouthParams

__all__ = ["MouthParams"]
