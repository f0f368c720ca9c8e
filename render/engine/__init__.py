"""Render engine: pure library code for GPU/CPU render workers. Imports no Django (ARCHITECTURE invariant).

Labels and provenance: label (visible AI label), watermark (+ watermark_cli), encode/fmp4 (HLS fMP4), metadata
(GB 45438 AIGC, FLV onMetaData), c2pa_sign (per-segment C2PA), devcerts (development chain), pipeline (all of it).
"""
