"""The published stream (init + every segment, as a recorder keeps it), measured by ffmpeg's EBU R128 meter: -16 LUFS
integrated within 1 LU (the live tolerance of EBU R128 s1) and true peak at most -1 dBTP, although every segment was
encoded on its own."""

from __future__ import annotations

from pathlib import Path

from render.engine.speech.loudness import MAX_TRUE_PEAK_DBTP, TARGET_LUFS
from tests.render.engine.outside_tools import concatenated, ebur128
from tests.render.engine.stream.rendered import rendered


def test_ffmpeg_measures_minus_16_lufs_and_no_true_peak_over_minus_1_dbtp(tmp_path: Path) -> None:
    stream = rendered()
    path = concatenated(stream.directory, [r.uri for r in stream.results], tmp_path / "stream.mp4")
    integrated, peak = ebur128(path)
    assert abs(integrated - TARGET_LUFS) <= 1.0, integrated
    assert peak <= MAX_TRUE_PEAK_DBTP, peak
