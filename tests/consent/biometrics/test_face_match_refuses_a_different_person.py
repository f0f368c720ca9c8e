from __future__ import annotations

import io

from consent.biometrics.face import compare_faces, face_track_summary


def test_grace_hoppers_statement_does_not_match_the_astronauts_sample(
    grace_hopper_statement_webm: bytes, astronaut_sample_webm: bytes
) -> None:
    statement = face_track_summary(io.BytesIO(grace_hopper_statement_webm))
    sample = face_track_summary(io.BytesIO(astronaut_sample_webm))
    assert statement.frames_with_one_face == 12  # the refusal is about identity, not about a missing face
    match = compare_faces(statement.embeddings, sample.embeddings)
    assert match.decision == "no_match"
    assert not match.is_match
    assert match.distance_median > 0.6
