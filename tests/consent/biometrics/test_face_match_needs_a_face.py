from __future__ import annotations

import io

import numpy as np
import pytest

from consent.biometrics.errors import MediaRejected
from consent.biometrics.face import compare_faces, face_track_summary
from tests.consent.biometrics import media_factory as mf
from tests.consent.biometrics.conftest import SIZE


def test_a_statement_without_a_face_is_a_clear_error_not_a_no_match() -> None:
    cat = face_track_summary(io.BytesIO(mf.video_bytes(mf.gentle_motion(mf.chelsea(), SIZE), count=20, fps=10)))
    assert cat.embeddings == []
    with pytest.raises(MediaRejected) as caught:
        compare_faces(cat.embeddings, [np.zeros(128, dtype=np.float32)])
    assert caught.value.code == "no_face"
    assert "statement" in caught.value.message


def test_a_sample_without_embeddings_is_a_clear_error() -> None:
    with pytest.raises(MediaRejected) as caught:
        compare_faces([np.zeros(128, dtype=np.float32)], [])
    assert caught.value.code == "no_face"
    assert "sample" in caught.value.message


def test_embeddings_of_the_wrong_size_are_refused() -> None:
    with pytest.raises(ValueError, match="128-D"):
        compare_faces([np.zeros(256)], [np.zeros(256)])
