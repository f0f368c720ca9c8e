from __future__ import annotations

from pathlib import Path

import pytest

from render.engine.lipsync.onnx_engine import OnnxContract, OnnxLipSyncEngine, OnnxModelMismatch
from tests.render.engine.lipsync.tiny_models import export


def test_it_refuses_a_face_input_with_three_channels_and_names_the_mismatch(tmp_path: Path) -> None:
    path = export(tmp_path / "three_channels.onnx", face_channels=3)
    with pytest.raises(OnnxModelMismatch) as info:
        OnnxLipSyncEngine(path)
    assert str(info.value) == ("model input 'face' has shape [batch, 3, 96, 96]; the contract needs [batch, 6, 96, 96]")


def test_it_refuses_a_model_whose_inputs_have_other_names(tmp_path: Path) -> None:
    path = export(tmp_path / "renamed.onnx", names=("audio", "video"))
    with pytest.raises(
        OnnxModelMismatch, match="missing input\\(s\\) 'mel', 'face'; unexpected input\\(s\\) 'audio', 'video'"
    ):
        OnnxLipSyncEngine(path)


def test_it_refuses_a_model_built_for_another_crop_size(tmp_path: Path) -> None:
    path = export(tmp_path / "size128.onnx", size=128)
    with pytest.raises(OnnxModelMismatch, match=r"\[batch, 6, 128, 128\]; the contract needs \[batch, 6, 96, 96\]"):
        OnnxLipSyncEngine(path)
    # ... and accepts it when the contract is configured for 128 px crops.
    assert OnnxLipSyncEngine(path, contract=OnnxContract(size=128)).contract.size == 128


def test_it_refuses_a_file_that_is_not_an_onnx_model(tmp_path: Path) -> None:
    path = tmp_path / "garbage.onnx"
    path.write_bytes(b"not a protobuf")
    with pytest.raises(OnnxModelMismatch, match=r"garbage\.onnx cannot be loaded"):
        OnnxLipSyncEngine(path)
