#!/usr/bin/env python3
"""Dominant frequency and RMS of a WAV file (16-bit PCM), as one JSON line.

  wavtone.py FILE [--skip 0.5]   ->  {"file": ..., "dominant_hz": 440.0, "rms": 0.21, "seconds": 2.4}

Used by peers/tools/webrtc-selftest.sh on baresip's received-audio recording; needs numpy
(run it with the aiortc venv's python: /opt/sipterm-peers/aiortc-venv/bin/python).
"""
import argparse
import json
import math
import wave

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--skip", type=float, default=0.5, help="seconds to ignore at the start")
    a = p.parse_args()
    with wave.open(a.file, "rb") as w:
        rate, ch, width, n = w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()
        raw = w.readframes(n)
    out = {"file": a.file, "dominant_hz": None, "rms": 0.0, "seconds": 0.0, "sample_rate": rate}
    if width != 2 or not raw:
        print(json.dumps(out))
        return
    x = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(axis=1)
    x = x[int(a.skip * rate):]
    out["seconds"] = round(len(x) / rate, 3)
    if len(x) >= rate * 0.1:
        out["rms"] = round(float(np.sqrt(np.mean(x ** 2))), 5)
        size = 1 << int(math.ceil(math.log2(len(x) * 4)))
        spec = np.abs(np.fft.rfft(x * np.hanning(len(x)), size))
        freqs = np.fft.rfftfreq(size, 1.0 / rate)
        spec[freqs < 50] = 0
        out["dominant_hz"] = round(float(freqs[int(np.argmax(spec))]), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
