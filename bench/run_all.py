"""Run every benchmark under bench/ (files named *_bench.py) one after the other and print their figures."""

import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for script in sorted(BENCH_DIR.glob("*_bench.py")):
        print(f"\n=== {script.name} ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=BENCH_DIR.parent, check=False)
        print(f"=== {script.name}: klar på {time.perf_counter() - started:.1f} s (status {result.returncode}) ===")
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
