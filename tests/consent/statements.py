"""Live statement videos for the API tests: a portrait that performs the challenge's actions in their windows while
espeak-ng reads the code (consent.biometrics.synthetic), and the calls that issue a challenge and submit a video."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from consent.biometrics import liveness, synthetic
from tests.consent.biometrics import media_factory as mf

SIZE = (640, 480)


def issue(client: Any, grant: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/consent/grants/{grant.public_id}/statement-challenge/")
    assert response.status_code == 201, response.json()
    return response.json()


def actions_of(issued: dict[str, Any]) -> list[liveness.ChallengeAction]:
    return liveness.actions_from_json(issued["actions"])


def live_statement(
    issued: dict[str, Any],
    *,
    portrait: np.ndarray | None = None,
    spoken: str | None = None,
    actions: list[liveness.ChallengeAction] | None = None,
    **kwargs: Any,
) -> bytes:
    """The statement the challenge asks for; `spoken` and `actions` replace what is said and done."""
    return synthetic.statement_video(
        mf.astronaut() if portrait is None else portrait,
        code=issued["code"] if spoken is None else spoken,
        actions=actions_of(issued) if actions is None else actions,
        size=SIZE,
        **kwargs,
    )


def upload(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def submit(client: Any, grant: Any, issued: dict[str, Any], data: bytes, *, typed: str | None = None) -> Any:
    body: dict[str, Any] = {"challenge": issued["challenge"], "video": upload(data, "statement.mp4")}
    if typed is not None:
        body["code"] = typed
    return client.post(f"/api/v1/consent/grants/{grant.public_id}/statement/", body)


def sample_video(portrait: np.ndarray | None = None, *, seconds: int = 31, fps: int = 2) -> bytes:
    return mf.video_bytes(
        mf.gentle_motion(mf.astronaut() if portrait is None else portrait, SIZE), count=seconds * fps, fps=fps
    )


def upload_sample(client: Any, data: bytes) -> Any:
    return client.post("/api/v1/consent/samples/", {"video": upload(data, "sample.mp4")})
