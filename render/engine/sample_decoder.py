"""Frames of a consented sample video, decoded with PyAV straight from memory (the vault's plaintext never touches
the disk), for the avatar build."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

# Sample codecs the avatar build decodes (the consent upload accepts the same set).
SUPPORTED_CODECS = frozenset({"h264", "vp8", "vp9", "av1", "hevc"})


class SampleError(ValueError):
    """A sample the build cannot read; `code` is stable (no_video_stream, unsupported_codec, corrupt_sample)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class DecodedSample(Sequence[Any]):
    """RGB frames of an in-memory video, decoded lazily with PyAV: sequential reads decode forward, a jump
    backwards reopens the container. build_avatar reads every frame once in order, then a few contiguous spans."""

    def __init__(self, data: IO[bytes]) -> None:
        import av

        self._data = data
        try:
            with av.open(data, mode="r") as container:
                if not container.streams.video:
                    raise SampleError("no_video_stream", "the sample has no video stream")
                stream = container.streams.video[0]
                codec = stream.codec_context.name
                if codec not in SUPPORTED_CODECS:
                    raise SampleError(
                        "unsupported_codec",
                        f"the sample's video codec {codec!r} is not supported; use one of "
                        f"{', '.join(sorted(SUPPORTED_CODECS))}",
                    )
                rate = stream.average_rate or stream.guessed_rate
                self.fps = float(rate) if rate else 25.0
                self._count = sum(1 for packet in container.demux(stream) if packet.size)
        except av.error.FFmpegError as exc:
            raise SampleError("corrupt_sample", f"the sample cannot be read as a video: {exc}") from None
        if self._count == 0:
            raise SampleError("corrupt_sample", "the sample holds no video frames")
        self._container: Any = None
        self._frames: Iterator[Any] | None = None
        self._position = -1
        self._current: Any = None

    def __len__(self) -> int:
        return self._count

    def _reopen(self) -> None:
        import av

        if self._container is not None:
            self._container.close()
        self._data.seek(0)
        self._container = av.open(self._data, mode="r")
        self._frames = self._container.decode(video=0)
        self._position = -1

    def __getitem__(self, index: Any) -> Any:
        import av

        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index == self._position:
            return self._current
        if self._frames is None or index < self._position:
            self._reopen()
        assert self._frames is not None
        try:
            while self._position < index:
                frame = next(self._frames)
                self._position += 1
                if self._position == index:
                    self._current = frame.to_ndarray(format="rgb24")
        except StopIteration:
            raise SampleError(
                "corrupt_sample", f"the sample ends after {self._position + 1} of {self._count} frames"
            ) from None
        except av.error.FFmpegError as exc:
            raise SampleError("corrupt_sample", f"frame {self._position + 1} cannot be decoded: {exc}") from None
        return self._current

    def close(self) -> None:
        if self._container is not None:
            self._container.close()
            self._container = None
