"""The demo city as `make demo` serves it, built once in a temporary folder and served by a real server process.

The role crawler signs in with the printed demo accounts and walks the pages people open; the server
runs in its own process on its own SQLite file, so nothing the rest of the suite does touches it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LAOXIAO = Path(sys.executable).with_name("laoxiao")
DEMO_SCALE = os.environ.get("LAOXIAO_CRAWLER_SCALE", "0.05")  # what `make demo` builds


@dataclass
class DemoSite:
    url: str
    passwords: dict[str, str]
    database_url: str
    process: subprocess.Popen[bytes]
    env: dict[str, str]  # the site's own settings, for a script run against its database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "LAOXIAO_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "laoxiao.settings_test",  # fixed throwaway keys, no env file
        "DATABASE_URL": f"sqlite:///{root / 'laoxiao.sqlite3'}",
        "LAOXIAO_PROJECT_DIR": str(root),
        "LAOXIAO_MEDIA_ROOT": str(root / "media"),
    }


def demo_site_start(root: Path) -> DemoSite:
    env = _environment(root)
    log = (root / "demo-setup.log").open("wb")
    subprocess.run([LAOXIAO, "migrate", "--verbosity", "0"], env=env, check=True, stdout=log, stderr=log)
    subprocess.run([LAOXIAO, "demo-setup", "--scale", DEMO_SCALE], env=env, check=True, stdout=log, stderr=log)
    accounts = (root / "var" / "demo-accounts.txt").read_text(encoding="utf-8").split("\n")
    passwords = dict(line.split()[:2] for line in accounts if line.strip())
    port = _free_port()
    server_log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [LAOXIAO, "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=server_log,
        stderr=server_log,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/login/", timeout=2)  # noqa: S310 - our own loopback server
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the demo server stopped: see {root / 'server.log'}") from None
            time.sleep(0.1)
    return DemoSite(url=url, passwords=passwords, database_url=env["DATABASE_URL"], process=process, env=env)


def demo_site_stop(site: DemoSite) -> None:
    site.process.terminate()
    site.process.wait(timeout=10)
