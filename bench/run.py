"""`make bench`: run every bench/bench_*.py in turn; each prints one JSON object per figure.

Pass --quick for a small, fast run (the scripts' own --quick), or name scripts
to run only those: `python bench/run.py bench_codec bench_urc`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    wanted = [a.removesuffix(".py") for a in argv if not a.startswith("-")]
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if s.stem in wanted]
    failed = []
    for script in scripts:
        print(f"# {script.name}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        args = [sys.executable, str(script)] + (["--quick"] if quick else [])
        code = subprocess.call(args, cwd=HERE.parent)
        print(f"# {script.name}: exit {code} in {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"# failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
