"""Small Wav2Lip-contract ONNX models built with torch for the onnx engine's tests and benchmark."""

from __future__ import annotations

import warnings
from pathlib import Path

import torch


class MouthDarkener(torch.nn.Module):
    """Returns the reference crop with its lower half darkened by the loudness of the mel window, through a conv."""

    def __init__(self, face_channels: int = 6) -> None:
        super().__init__()
        self.face_channels = face_channels
        self.conv = torch.nn.Conv2d(3, 3, 3, padding=1, bias=False)
        with torch.no_grad():
            self.conv.weight.zero_()
            for c in range(3):
                self.conv.weight[c, c, 1, 1] = 1.0

    def forward(self, mel: torch.Tensor, face: torch.Tensor) -> torch.Tensor:
        reference = face[:, self.face_channels - 3 :]
        loud = torch.sigmoid(2.0 * mel.mean(dim=(1, 2, 3)) + 4.0)[:, None, None, None]
        rows = torch.arange(reference.shape[2], dtype=torch.float32)[None, None, :, None]
        lower = (rows >= reference.shape[2] // 2).float()
        return torch.clamp(self.conv(reference) * (1.0 - 0.6 * loud * lower), 0.0, 1.0)


def export(
    path: Path,
    *,
    face_channels: int = 6,
    names: tuple[str, str] = ("mel", "face"),
    size: int = 96,
    dynamic_batch: bool = True,
    batch: int = 2,
) -> Path:
    model = MouthDarkener(face_channels).eval()
    example = (torch.zeros(batch, 1, 80, 16), torch.zeros(batch, face_channels, size, size))
    axes = {names[0]: {0: "batch"}, names[1]: {0: "batch"}, "mouth": {0: "batch"}} if dynamic_batch else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter announces its deprecation; it needs no onnxscript
        torch.onnx.export(
            model, example, str(path), input_names=list(names), output_names=["mouth"], dynamic_axes=axes, dynamo=False
        )
    return path
