"""streaming.llm_config.llm_backend: None while VERACAST_LLM_URL is empty; otherwise a backend for the configured
URL, model and timeout, with the API key read from its file at that moment (never from settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from streaming.llm_config import llm_backend
from tests.streaming.generation.helpers import chat_server, lines_reply, product


def test_no_url_means_no_backend(settings: Any) -> None:
    settings.LLM_URL = ""
    assert llm_backend() is None


def test_the_configured_backend_sends_the_key_from_its_file(settings: Any, tmp_path: Path) -> None:
    key_file = tmp_path / "llm.key"
    key_file.write_text("sk-from-file\n")
    with chat_server(lines_reply([{"text": "本直播由人工智能生成。", "intent": "disclosure"}])) as server:
        settings.LLM_URL = server.url
        settings.LLM_MODEL = "local-model"
        settings.LLM_API_KEY_FILE = str(key_file)
        settings.LLM_TIMEOUT_S = 7.5
        backend = llm_backend()
        assert backend is not None
        assert backend.timeout_s == 7.5
        assert "sk-from-file" not in repr(backend)
        backend.generate(products=[product()], language="zh", brand_name="Acme")
        key_file.write_text("sk-rotated")  # a rotated key is used by the next backend, without a restart
        rotated = llm_backend()
        assert rotated is not None
        rotated.generate(products=[product()], language="zh", brand_name="Acme")
    assert [r.headers["Authorization"] for r in server.received] == ["Bearer sk-from-file", "Bearer sk-rotated"]
    assert server.received[0].body["model"] == "local-model"


def test_a_key_file_that_disappeared_names_the_variable(settings: Any, tmp_path: Path) -> None:
    settings.LLM_URL = "http://127.0.0.1:9/v1"
    settings.LLM_MODEL = "m"
    settings.LLM_API_KEY_FILE = str(tmp_path / "gone.key")
    with pytest.raises(ImproperlyConfigured, match="VERACAST_LLM_API_KEY_FILE"):
        llm_backend()
