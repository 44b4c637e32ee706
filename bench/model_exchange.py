"""The exchange's model-based test with many more examples than CI runs (CI: 30)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_model(examples: int) -> list:
    env = {**os.environ, "WEIBAO_MODEL_EXAMPLES": str(examples), "QT_QPA_PLATFORM": "offscreen"}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                           "tests/exchange/test_exchange_model.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t
    verdict = "passed" if done.returncode == 0 else "FAILED\n" + done.stdout[-3000:]
    print(f"exchange model test: {examples} examples x 25 steps {verdict} in {took:.0f}s", flush=True)
    return []


BENCHES = {"exchange-model": lambda a: run_model(int(os.environ.get("WEIBAO_MODEL_EXAMPLES", "500")))}
