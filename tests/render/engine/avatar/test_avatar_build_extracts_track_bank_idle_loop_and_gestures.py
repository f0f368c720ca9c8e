from __future__ import annotations

import itertools

import numpy as np

from render.engine.avatar.gestures import GESTURES
from tests.render.engine.avatar.sample_avatar import FPS, QUIET, WAVES, sample_build, sample_clip


def test_it_tracks_the_face_in_every_frame_and_measures_head_pose() -> None:
    assets, _ = sample_build()
    clip, _ = sample_clip()
    assert assets.stats["frames_with_face"] == len(clip)
    for c in assets.clips.values():
        assert c.landmarks.shape == (len(c), 478, 3)
        assert np.isfinite(c.landmarks).all()
        # The sample only zooms and pans: head rotation relative to the median face stays small.
        assert np.abs(c.pose).max() < 10.0


def test_it_builds_a_mouth_bank_that_spans_closed_to_open_mouths() -> None:
    assets, _ = sample_build()
    bank = assets.bank
    assert len(bank) == 96
    assert bank.crops.shape[1:] == (139, 192, 3)
    openings = bank.features[:, 0]
    assert openings.max() - openings.min() > 0.15  # IOD units: clearly closed to clearly open
    assert len(set(bank.source_frames.tolist())) == len(bank)


def test_it_picks_the_idle_loop_inside_the_quiet_stretch() -> None:
    assets, _ = sample_build()
    idle = assets.idle
    assert 2.0 <= idle.end_s - idle.start_s <= 4.0
    # The only stretch with a still mouth and still body is QUIET; the loop may overrun it by a few frames at most.
    assert idle.start_s >= QUIET[0]
    assert idle.end_s <= QUIET[1] + 0.5
    assert float(np.std(idle.shapes[:, 0])) < 0.015  # landmark jitter only


def test_it_cuts_marked_gestures_with_their_names_and_times() -> None:
    assets, _ = sample_build()
    assert set(assets.clips) == {"idle", "greet", "thank"}
    assert set(assets.clips) <= set(GESTURES)
    greet = assets.clips["greet"]
    assert (greet.start_s, greet.end_s) == WAVES[0]
    assert len(greet) == round((WAVES[0][1] - WAVES[0][0]) * FPS)
    assert greet.frame(0).shape == (720, 1280, 3)


def test_it_reports_progress_from_zero_to_one() -> None:
    _, progress = sample_build()
    assert progress[0] == 0.0
    assert progress[-1] == 1.0
    assert all(b >= a for a, b in itertools.pairwise(progress))
    assert len(progress) >= 10
