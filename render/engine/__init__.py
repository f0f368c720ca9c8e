"""Render engine: pure library code for GPU/CPU render workers. Imports no Django (ARCHITECTURE invariant, enforced by
tests/render/engine/test_the_engine_imports_no_django.py).

Labels and provenance: label (visible AI label), watermark (+ watermark_cli), encode/fmp4 (HLS fMP4), metadata
(GB 45438 AIGC, FLV onMetaData), c2pa_sign (per-segment C2PA), devcerts (development chain), yuv (the one RGB→YUV
converter), options (every choice offered), segment (the typed segment record), hls (playlists), sample_decoder
(PyAV sample frames). stream.StreamRenderer runs label -> watermark -> encode -> metadata -> C2PA per segment.
"""
