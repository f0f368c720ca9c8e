from __future__ import annotations

import numpy as np

from render.engine.lipsync.mel import MEL_BINS, MEL_STEPS, mel_spectrogram, mel_windows


def test_one_second_of_audio_gives_80_mel_frames_of_80_bins_in_range() -> None:
    sr = 16000
    t = np.arange(sr) / sr
    mel = mel_spectrogram((0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), sr)
    assert mel.shape == (MEL_BINS, 81)
    assert mel.dtype == np.float32
    assert mel.min() >= -4
    assert mel.max() <= 4


def test_silence_is_the_floor_and_a_tone_lights_its_own_band() -> None:
    sr = 22050  # resampled to 16 kHz inside
    t = np.arange(sr) / sr
    assert np.allclose(mel_spectrogram(np.zeros(sr, np.float32), sr), -4.0)
    low = mel_spectrogram(np.sin(2 * np.pi * 300 * t).astype(np.float32), sr)[:, 10:-10].mean(axis=1)
    high = mel_spectrogram(np.sin(2 * np.pi * 3000 * t).astype(np.float32), sr)[:, 10:-10].mean(axis=1)
    assert int(np.argmax(high)) > int(np.argmax(low)) + 20


def test_each_video_frame_gets_the_16_step_window_starting_at_its_time() -> None:
    mel = np.tile(np.arange(100, dtype=np.float32), (MEL_BINS, 1))  # value = mel frame index
    windows = mel_windows(mel, 25, 25.0)
    assert windows.shape == (25, 1, MEL_BINS, MEL_STEPS)
    assert windows[0, 0, 0, 0] == 0
    assert windows[1, 0, 0, 0] == 3.0
    assert windows[10, 0, 0, 0] == 32.0
    assert windows[24, 0, 0, -1] == 91.0
    short = mel_windows(mel[:, :20], 7, 25.0)
    assert short[6, 0, 0, 0] == 19.0
    assert short[6, 0, 0, -1] == 19.0
