"""Log-mel spectrogram and per-video-frame mel windows, as Wav2Lip-style models expect them.

Same parameters as Wav2Lip's `hparams.py` (16 kHz, n_fft 800, hop 200 = 80 mel frames per second, 80 bins from
55 to 7600 Hz, pre-emphasis 0.97, dB scale with ref level 20 dB and min level -100 dB, symmetric normalisation to
[-4, 4]); numpy only, so the audio path needs no librosa.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

SAMPLE_RATE = 16000
N_FFT = 800
HOP = 200
MEL_BINS = 80
MEL_STEPS = 16
MEL_FPS = SAMPLE_RATE / HOP


def _hz_to_mel(f: NDArray[np.float64]) -> NDArray[np.float64]:
    # Slaney's mel scale (linear below 1 kHz, logarithmic above), as librosa's default.
    f = np.asarray(f, dtype=np.float64)
    lin = f / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(f, 1e-9) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log, lin)


def _mel_to_hz(m: NDArray[np.float64]) -> NDArray[np.float64]:
    m = np.asarray(m, dtype=np.float64)
    lin = m * (200.0 / 3)
    log = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0))
    return np.where(m >= 15.0, log, lin)


def mel_filterbank(sr: int = SAMPLE_RATE, n_fft: int = N_FFT, bins: int = MEL_BINS) -> NDArray[np.float64]:
    fmin, fmax = 55.0, 7600.0
    freqs = np.linspace(0, sr / 2, n_fft // 2 + 1)
    points = _mel_to_hz(np.linspace(_hz_to_mel(np.array(fmin)), _hz_to_mel(np.array(fmax)), bins + 2))
    bank = np.zeros((bins, len(freqs)))
    for i in range(bins):
        lo, mid, hi = points[i], points[i + 1], points[i + 2]
        rising = (freqs - lo) / max(mid - lo, 1e-9)
        falling = (hi - freqs) / max(hi - mid, 1e-9)
        bank[i] = np.maximum(0, np.minimum(rising, falling)) * (2.0 / (hi - lo))
    return bank


def resample(audio: NDArray[np.floating], sr: int, target: int = SAMPLE_RATE) -> NDArray[np.float64]:
    """Linear-interpolation resampling (speech through a mel filterbank does not need better)."""
    audio = np.asarray(audio, dtype=np.float64).reshape(-1)
    if sr == target or len(audio) == 0:
        return audio
    n = round(len(audio) * target / sr)
    return np.interp(np.arange(n) * (sr / target), np.arange(len(audio)), audio)


def mel_spectrogram(audio: NDArray[np.floating], sr: int) -> NDArray[np.float32]:
    """80×T normalised log-mel spectrogram (T = 80 per second of audio)."""
    if sr <= 0:
        raise ValueError("sample rate must be positive")
    x = resample(audio, sr)
    x = np.append(x[:1], x[1:] - 0.97 * x[:-1]) if len(x) else x
    pad = N_FFT // 2
    x = np.pad(x, pad, mode="reflect") if len(x) > pad else np.pad(x, pad)
    frames = 1 + (len(x) - N_FFT) // HOP
    idx = np.arange(N_FFT)[None, :] + HOP * np.arange(frames)[:, None]
    window = np.hanning(N_FFT + 1)[:-1]
    spec = np.abs(np.fft.rfft(x[idx] * window, axis=1)).T
    mel = mel_filterbank() @ spec
    db = 20 * np.log10(np.maximum(1e-5, mel)) - 20.0
    return np.clip(8.0 * ((db + 100.0) / 100.0) - 4.0, -4.0, 4.0).astype(np.float32)


def mel_windows(mel: NDArray[np.float32], n_frames: int, fps: float, steps: int = MEL_STEPS) -> NDArray[np.float32]:
    """n_frames × 1 × bins × steps: the mel window starting at each video frame's time (edge-padded at the end)."""
    bins, total = mel.shape
    out = np.empty((n_frames, 1, bins, steps), np.float32)
    padded = np.pad(mel, ((0, 0), (0, steps)), mode="edge") if total else np.full((bins, steps), -4.0, np.float32)
    for i in range(n_frames):
        start = min(int(MEL_FPS * i / fps), max(total - 1, 0))
        out[i, 0] = padded[:, start : start + steps]
    return out
