"""Wall time of `laoxiao demo-data --scale 1.0` on a fresh SQLite database."""

from __future__ import annotations

import os
import subprocess
import time

from common import BENCH_DIR, ROOT


def main() -> None:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / "generation.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        (BENCH_DIR / f"generation.sqlite3{suffix}").unlink(missing_ok=True)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{path}", "DJANGO_SETTINGS_MODULE": "laoxiao.settings_test"}
    laoxiao = str(ROOT / ".venv" / "bin" / "laoxiao")
    subprocess.run([laoxiao, "migrate", "-v0"], check=True, env=env)
    started = time.perf_counter()
    subprocess.run(
        [laoxiao, "demo-data", "--scale", "1.0", "--seed", "1"], check=True, env=env, stdout=subprocess.DEVNULL
    )
    took = time.perf_counter() - started
    baseline = time.perf_counter()
    subprocess.run([laoxiao, "load-areas", "6401"], check=True, env=env, stdout=subprocess.DEVNULL)
    areas = time.perf_counter() - baseline
    print(f"demo-data --scale 1.0 on SQLite: {took:.1f} s (goal < 180 s: {'met' if took < 180 else 'NOT met'})")
    print(f"baseline: load-areas 6401 alone {areas:.1f} s; ratio {took / areas:.0f}x")
    path.unlink()


if __name__ == "__main__":
    main()
