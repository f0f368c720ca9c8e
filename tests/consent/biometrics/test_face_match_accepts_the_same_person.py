from __future__ import annotations

import io

from consent.biometrics.face import FACE_MATCH_THRESHOLD, compare_faces, face_track_summary


def test_the_astronauts_statement_matches_her_training_sample(
    astronaut_statement_mp4: bytes, astronaut_sample_webm: bytes
) -> None:
    # Statement: H.264, full portrait, gentle motion. Sample: VP8, cropped, zoomed and brighter.
    statement = face_track_summary(io.BytesIO(astronaut_statement_mp4))
    sample = face_track_summary(io.BytesIO(astronaut_sample_webm))
    match = compare_faces(statement.embeddings, sample.embeddings)
    assert match.decision == "match"
    assert match.is_match
    assert match.threshold == FACE_MATCH_THRESHOLD
    assert match.frames_used == 12
    assert match.distance_median < 0.3  # well inside the threshold, not scraping past it
    assert match.distance_median <= match.distance_p90
