"""A clone server that is down, slow or failing is a stable error code, never a hang or another voice; a failed
reference upload is ledgered (the bytes may have left)."""

from __future__ import annotations

from typing import Any

import pytest

from render.engine.speech import synthesize
from render.engine.speech.clone_backend import CloneServerError
from render.errors import RenderFailed
from render.voice_clone import check_server_url, clone_backend_for
from tests.render.voice_clone.helpers import LINE, kinds, voice_avatar

pytestmark = pytest.mark.django_db(transaction=True)


def _backend(avatar: Any) -> Any:
    return clone_backend_for(avatar=avatar, purpose="livestream_ecommerce", platform="douyin", name="clone:test")


def test_a_server_that_is_down_fails_the_upload_with_a_code(personas: dict[str, Any], clone_server: Any) -> None:
    avatar = voice_avatar(personas)
    clone_server.close()
    with pytest.raises(RenderFailed) as failed:
        _backend(avatar)
    assert failed.value.code == "clone_server_down"
    assert kinds(avatar) == ["voice_clone.reference_send_failed"]


def test_a_slow_server_times_out(personas: dict[str, Any], clone_server: Any) -> None:
    avatar = voice_avatar(personas)
    _backend(avatar)
    clone_server.state.mode = "slow"  # answers after 3 s; the platform waits 2 s
    with pytest.raises(CloneServerError) as failed:
        synthesize(LINE, language="en", backend="clone:test", voice_consent_granted=True)
    assert failed.value.code == "clone_server_timeout"


def test_a_failing_server_is_a_clone_server_error(personas: dict[str, Any], clone_server: Any) -> None:
    avatar = voice_avatar(personas)
    _backend(avatar)
    clone_server.state.mode = "error"
    with pytest.raises(CloneServerError) as failed:
        synthesize(LINE, language="en", backend="clone:test", voice_consent_granted=True)
    assert failed.value.code == "clone_server_error"


def test_private_hosts_and_credentials_in_the_url_are_refused_where_configured_so() -> None:
    assert check_server_url("https://tts.example.com:8443", allow_private_hosts=False)
    for url, code in [
        ("http://127.0.0.1:9880", "clone_server_private_host"),
        ("http://169.254.169.254", "clone_server_private_host"),
        ("http://localhost:9880", "clone_server_private_host"),
        ("http://user:pw@tts.example.com", "clone_server_url_invalid"),
        ("ftp://tts.example.com", "clone_server_url_invalid"),
    ]:
        with pytest.raises(RenderFailed) as refused:
            check_server_url(url, allow_private_hosts=False)
        assert refused.value.code == code, url
