"""A portrait stream from landscape footage: the crop comes from the face found at build (head and upper body, the
face centred across, the head whole), and the framed avatar's geometry matches what a face detector sees in its
framed pictures, so lip-sync draws the mouth where the mouth is."""

from __future__ import annotations

import numpy as np

from render.engine.avatar.face import detect_landmarks
from render.engine.avatar.framing import HEAD_FRACTION, frame_subject, framed_assets
from tests.render.engine.avatar.sample_avatar import sample_assets


def test_the_crop_holds_the_head_and_upper_body_with_the_face_centred() -> None:
    assets = sample_assets()
    framing = frame_subject(assets, 720, 1280)
    sw, sh = assets.frame_size
    assert framing.width * 1280 == framing.height * 720  # the output's shape, so nothing is stretched
    assert framing.x0 >= 0
    assert framing.x0 + framing.width <= sw
    assert framing.y0 >= 0
    assert framing.y0 + framing.height <= sh
    pts = np.concatenate([c.landmarks[:, :, :2] for c in assets.clips.values()])
    centre = float(np.median(pts[:, :, 0].mean(axis=1)))
    assert abs(centre - (framing.x0 + framing.width / 2)) <= 0.05 * framing.width
    top, chin = float(np.median(pts[:, :, 1].min(axis=1))), float(np.median(pts[:, :, 1].max(axis=1)))
    assert top > framing.y0  # the face is inside, below the top edge
    # Upper body: the chin in the upper half, so chest and shoulders fill the rest.
    assert framing.y0 < chin < framing.y0 + 0.5 * framing.height
    assert (chin - top) / framing.height <= HEAD_FRACTION
    assert framing.scale <= 2.0


def test_the_framed_geometry_is_where_a_detector_finds_the_face_in_the_framed_picture() -> None:
    framing = frame_subject(sample_assets(), 720, 1280)
    framed = framed_assets(sample_assets(), framing)
    # Framed at the sample's own pixels (the renderer scales finished frames up to 720x1280).
    assert framed.frame_size == (framing.width, framing.height)
    assert framed.frame_size[0] * 1280 == framed.frame_size[1] * 720
    clip = framed.idle
    for index in (0, len(clip) // 2):
        picture = clip.frame(index)
        assert picture.shape == (framing.height, framing.width, 3)
        found = detect_landmarks(np.ascontiguousarray(picture), track=False)
        assert found is not None
        error = np.linalg.norm(found[:, :2] - clip.landmarks[index, :, :2], axis=1)
        iod = float(np.sqrt(abs(np.linalg.det(clip.to_px[index, :, :2].astype(np.float64)))))
        assert float(np.median(error)) < 0.05 * iod, (index, float(np.median(error)), iod)
