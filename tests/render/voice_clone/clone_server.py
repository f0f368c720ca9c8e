"""A small speech server for the clone tests: the OpenAI-compatible `/v1/audio/speech` plus the reference upload and
deletion of docs/voice.md, in a thread. It speaks with espeak-ng (the CLI, as the consent tests' synthetic statements
do), so the speaker check is deterministic: `voice="en-us"` is the voice of the reference the tests upload, another
espeak voice is "another person". `mode` makes it misbehave: "silence", "slow" (answers after `delay_s`), "error"
(500), "no_delete" (DELETE answers 405). Every request is recorded, so a test can say the server saw nothing."""

from __future__ import annotations

import io
import json
import threading
import time
import wave
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from consent.biometrics.synthetic import speak


def wav_bytes(pcm: np.ndarray, rate: int) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(np.asarray(pcm, dtype="<i2").tobytes())
    return out.getvalue()


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class CloneServerState:
    speaker: str = "en-us"  # the espeak-ng voice every cloned voice speaks in
    mode: str = "ok"
    delay_s: float = 3.0
    requests: list[Seen] = field(default_factory=list)
    voices: dict[str, bytes] = field(default_factory=dict)


def _handler(state: CloneServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _record(self) -> bytes:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state.requests.append(Seen(self.command, self.path, dict(self.headers), body))
            return body

        def _send(self, status: int, body: bytes = b"", content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self._record()
            if state.mode == "error":
                return self._send(500, b'{"error": "boom"}')
            if self.path == "/v1/voices":
                voice_id = f"voice-{len(state.voices) + 1}"
                state.voices[voice_id] = body
                return self._send(201, json.dumps({"id": voice_id}).encode())
            if self.path == "/v1/audio/speech":
                request = json.loads(body)
                if request.get("voice") not in state.voices:
                    return self._send(404, b'{"error": "no such voice"}')
                if state.mode == "slow":
                    time.sleep(state.delay_s)
                pcm, rate = speak(request["input"], voice=state.speaker)
                if state.mode == "silence":
                    pcm = np.zeros_like(pcm)
                return self._send(200, wav_bytes(pcm, rate), "audio/wav")
            return self._send(404)

        def do_DELETE(self) -> None:
            self._record()
            if state.mode == "no_delete":
                return self._send(405)
            voice_id = self.path.rsplit("/", 1)[-1]
            if state.voices.pop(voice_id, None) is None:
                return self._send(404)
            return self._send(204)

    return Handler


class CloneServer:
    def __init__(self) -> None:
        self.state = CloneServerState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
