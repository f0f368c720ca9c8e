"""Browser fixtures of the consent flow: Debian's Chromium with a fake camera fed from a Y4M file made from a
public-domain portrait, a fake microphone fed from a WAV of speech, and a CDP virtual authenticator on the tab.

A statement must be live: the code spoken, the challenge's actions done at their moments. A fake camera plays a file
and cannot react to a random challenge, so the live server (same process) issues a fixed code and fixed actions
(`fixed_challenge`, autouse), which the Y4M performs (consent.biometrics.synthetic) and the WAV speaks. Chromium
starts both files when the camera opens, a moment before the page starts recording: within the server's slack.

The fake-media flags are process-wide, so each test launches its own Chromium with its own camera file, from the
session's one Playwright driver (tests/conftest.py).
"""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from consent.biometrics import synthetic
from consent.biometrics.liveness import ChallengeAction
from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.consent.biometrics import media_factory as mf

CAMERA_SIZE = (640, 480)
CAMERA_FPS = 10
CODE = "471930"
ACTIONS = [
    ChallengeAction("turn_left", 2.0, 4.5),
    ChallengeAction("open_mouth", 5.0, 7.5),
    ChallengeAction("turn_right", 8.0, 10.5),
]
SPEECH = f"I consent to Veracast using my digital likeness for Acme. {synthetic.code_sentence(CODE, lead='My code is')}"
# Longer than the recording (the last window ends at 10.5 s, the page stops 1 s later), so the files do not loop.
CAMERA_SECONDS = 14


@pytest.fixture(autouse=True)
def fixed_challenge(monkeypatch: pytest.MonkeyPatch) -> None:
    from consent import services

    monkeypatch.setattr(services.codes, "generate_code", lambda **_: CODE)
    monkeypatch.setattr(services.liveness, "generate_actions", lambda *_, **__: list(ACTIONS))


def write_y4m(
    path: Path, portrait: np.ndarray, *, seconds: int = CAMERA_SECONDS, actions: list[ChallengeAction] = ACTIONS
) -> Path:
    """A 4:2:0 Y4M of the portrait doing `actions` at their moments (4:4:4 gives `NotFoundError`)."""
    import av

    still = synthetic.place_on_canvas(portrait, CAMERA_SIZE)
    landmarks = synthetic.landmarks_of(still)
    with av.open(str(path), "w", format="yuv4mpegpipe") as out:
        stream = out.add_stream("rawvideo", rate=CAMERA_FPS)
        stream.width, stream.height, stream.pix_fmt = *CAMERA_SIZE, "yuv420p"
        for i in range(seconds * CAMERA_FPS):
            picture = synthetic.perform(still, actions, i / CAMERA_FPS, lm=landmarks)
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def write_wav(path: Path) -> Path:
    """The sentence and the code from espeak-ng, padded with silence to CAMERA_SECONDS; 48 kHz mono 16-bit."""
    rate = 48000
    pcm, source_rate = synthetic.speak(SPEECH)
    positions = np.arange(round(len(pcm) * rate / source_rate)) * source_rate / rate
    samples = np.interp(positions, np.arange(len(pcm)), pcm.astype(np.float64)).astype("<i2")
    samples = np.concatenate([samples, np.zeros(max(0, rate * CAMERA_SECONDS - len(samples)), dtype="<i2")])
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())
    return path


@pytest.fixture(scope="session")
def camera_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("camera")
    return {
        "astronaut": write_y4m(directory / "astronaut.y4m", mf.astronaut()),
        "grace_hopper": write_y4m(directory / "grace_hopper.y4m", mf.grace_hopper()),
        # Someone who reads the code but does none of the actions (a still face: a photo, or an old clip).
        "astronaut_still": write_y4m(directory / "astronaut_still.y4m", mf.astronaut(), actions=[]),
        "speech": write_wav(directory / "speech.wav"),
    }


@pytest.fixture(scope="session")
def astronaut_sample() -> bytes:
    """The training sample: 31 s of the astronaut portrait at 2 fps, 640x480 H.264 (the upload rules' minimum)."""
    return mf.video_bytes(mf.gentle_motion(mf.astronaut(), CAMERA_SIZE), count=62, fps=2)


@pytest.fixture(scope="module")
def chromium_type(playwright_driver: Any) -> Any:
    """Playwright's BrowserType for Chromium, from the session's one driver."""
    return playwright_driver.chromium


class Tab:
    """A page on the live server with a virtual passkey authenticator; collects console errors and CSP reports."""

    def __init__(self, page: Any, cdp: Any, authenticator_id: str, errors: list[str]) -> None:
        self.page = page
        self.cdp = cdp
        self.authenticator_id = authenticator_id
        self.errors = errors


@pytest.fixture
def open_tab(
    chromium_type: Any, live_server: Any, transactional_db: Any, settings: Any, camera_files: dict[str, Path]
) -> Iterator[Callable[[str], Tab]]:
    """`open_tab("astronaut")`: a fresh Chromium whose camera shows that portrait (`language="zh-hans"`: a browser
    that asks for Chinese). Any console error, page error or CSP violation fails the test at teardown."""
    # WebAuthn on http://localhost:PORT: rp_id "localhost", and the origin includes the port.
    settings.WEBAUTHN_RP_ID = "localhost"
    settings.WEBAUTHN_ORIGINS = [live_server.url]
    opened: list[tuple[Any, Tab]] = []

    def open_(camera: str, language: str = "en") -> Tab:
        browser = chromium_type.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={camera_files[camera]}",
                f"--use-file-for-fake-audio-capture={camera_files['speech']}",
            ],
        )
        chinese = language == "zh-hans"
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 900},
            locale="zh-CN" if chinese else "en-US",
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9" if chinese else "en-US,en;q=0.9"},
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
        page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable", {"enableUI": False})
        authenticator_id = cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )["authenticatorId"]
        tab = Tab(page, cdp, authenticator_id, errors)
        opened.append((browser, tab))
        return tab

    yield open_
    for browser, tab in opened:
        browser.close()
        assert tab.errors == [], f"console errors, page errors or CSP violations: {tab.errors}"


@pytest.fixture
def verified_iris_with_sample(personas: dict[str, Any], astronaut_sample: bytes) -> dict[str, Any]:
    """iris (verified, adult) with her astronaut training sample in the vault, uploaded through the real service."""
    import io

    from consent.services import upload_sample

    sample = upload_sample(user=personas["iris"], video=io.BytesIO(astronaut_sample), content_type="video/mp4")
    return {**personas, "sample": sample}


def utc_date(offset_days: int = 0) -> str:
    from datetime import timedelta

    return (datetime.now(UTC).date() + timedelta(days=offset_days)).isoformat()
