"""A training sample sent in chunks over a connection that drops mid-chunk: the server keeps every whole chunk it
received, refuses the torn one, says where to resume, and the finished sample is validated and stored in the vault
exactly like a one-shot upload. Runs against the live HTTP server, so the torn chunk is a real half-sent body."""

from __future__ import annotations

import hashlib
import json
import socket
from typing import Any
from urllib.parse import urlsplit

from consent.models import SampleUpload, SampleUploadPart, VaultObject
from tests.consent.statements import sample_video


def _request(base: str, method: str, path: str, token: str, body: bytes = b"", **headers: str) -> tuple[int, Any]:
    """One HTTP/1.1 request on a fresh socket."""
    import http.client

    host = urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.request(method, path, body=body, headers={"Authorization": f"Token {token}", **headers})
    response = connection.getresponse()
    status, data = response.status, json.loads(response.read() or b"{}")
    connection.close()
    return status, data


def _torn_put(base: str, path: str, token: str, offset: int, chunk: bytes) -> tuple[int, Any]:
    """Announce the whole chunk, send half of it, then stop sending (the phone went into a tunnel)."""
    host = urlsplit(base)
    sock = socket.create_connection((host.hostname, host.port), timeout=30)
    head = (
        f"PUT {path} HTTP/1.1\r\nHost: {host.netloc}\r\nAuthorization: Token {token}\r\n"
        f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: {offset}\r\n"
        f"Content-Length: {len(chunk)}\r\nConnection: close\r\n\r\n"
    ).encode()
    sock.sendall(head + chunk[: len(chunk) // 2])
    sock.shutdown(socket.SHUT_WR)
    raw = b""
    while block := sock.recv(65536):
        raw += block
    sock.close()
    status_line, _, rest = raw.partition(b"\r\n")
    body = rest.split(b"\r\n\r\n", 1)[1]
    return int(status_line.split()[1]), json.loads(body)


def test_a_torn_chunk_is_refused_whole_and_the_upload_resumes_to_an_accepted_sample(
    live_server: Any, transactional_db: Any, personas: dict[str, Any], consent_environment: dict[str, Any]
) -> None:
    from accounts.tokens import issue_api_token

    _, token = issue_api_token(user=personas["iris"])
    video = sample_video()
    chunk = max(16 * 1024, len(video) // 5 + 1)
    base = live_server.url

    status, created = _request(
        base,
        "POST",
        "/api/v1/consent/sample-uploads/",
        token,
        json.dumps({"size": len(video), "content_type": "video/mp4", "filename": "sample.mp4"}).encode(),
        **{"Content-Type": "application/json"},
    )
    assert status == 201, created
    path = f"/api/v1/consent/sample-uploads/{created['id']}/"

    chunk_headers = {"Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}
    status, state = _request(base, "PUT", path, token, video[:chunk], **chunk_headers)
    assert (status, state["offset"]) == (200, chunk)

    # The second chunk is torn: nothing of it is kept, and the reason names the offset to send it from again.
    status, refused = _torn_put(base, path, token, chunk, video[chunk : 2 * chunk])
    assert status == 400
    assert refused["code"] == "chunk_incomplete"
    assert f"offset {chunk}" in refused["message"]

    # The client asks where to resume, and sends the rest from there.
    status, state = _request(base, "GET", path, token)
    assert (status, state["offset"], state["status"]) == (200, chunk, "open")
    offset = state["offset"]
    while offset < len(video):
        status, state = _request(
            base,
            "PUT",
            path,
            token,
            video[offset : offset + chunk],
            **{"Content-Type": "application/offset+octet-stream", "Upload-Offset": str(offset)},
        )
        assert status == 200, state
        offset = state["offset"]

    status, sample = _request(base, "POST", path + "finish/", token)
    assert status == 201, sample
    stored = VaultObject.objects.get(public_id=sample["id"])
    assert stored.kind == VaultObject.Kind.SAMPLE
    assert stored.plaintext_size == len(video)
    assert stored.plaintext_sha256 == hashlib.sha256(video).hexdigest()
    assert sample["media"]["frames_with_one_face"] > 0
    upload = SampleUpload.objects.get(public_id=created["id"])
    assert (upload.status, upload.sample_id) == (SampleUpload.Status.FINISHED, stored.pk)
    # The parts are gone once the sample is in the vault; the upload cannot be finished twice.
    assert not SampleUploadPart.objects.filter(upload=upload).exists()
    assert not list((consent_environment["media"] / "vault").rglob("*.part.vcv"))
    status, again = _request(base, "POST", path + "finish/", token)
    assert (status, again["code"]) == (409, "upload_finished")
