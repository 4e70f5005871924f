"""gunicorn under the bench: start on a free loopback port, wait until it answers, stop it.

The server is always stopped by the runner's ``finally``; it runs in its own session so
that Ctrl+C in the terminal reaches the runner, which then stops it in order.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all programs (and the hypervisor's steal) have used so far, over all CPUs."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


# What the app's deployment serves (README, "Deployment"): the real entry point.
APP = "wsgi:app"
APP_PROBE = "/healthz"


class Gunicorn:
    """``gunicorn --workers WORKERS --bind 127.0.0.1:PORT APP`` as a context.

    ``app`` is the WSGI application gunicorn loads (the campaign app by default; bench/run.py
    also serves ``bench.bare_app:create_app()`` with the very same options); ``probe`` is a
    path that answers 200 once a worker is up.
    """

    def __init__(
        self,
        project_root: Path,
        env: dict[str, str],
        log_path: Path,
        workers: int,
        *,
        app: str = APP,
        probe: str = APP_PROBE,
    ):
        self.project_root = project_root
        self.env = env
        self.log_path = log_path
        self.workers = workers
        self.app = app
        self.probe = probe
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            self.app,
        ]

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self, timeout: float = 30.0) -> None:
        """Start gunicorn and wait until both workers have answered a request."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.project_root,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with status {self.process.returncode}; see {self.log_path}"
                )
            if self._answers() and len(self.worker_pids()) >= self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def _answers(self) -> bool:
        request = f"GET {self.probe} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
        try:
            with socket.create_connection((HOST, self.port), timeout=2) as sock:
                sock.sendall(request.encode())
                return sock.recv(12).startswith(b"HTTP/1.1 200")
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM (graceful), then SIGKILL to the whole group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)

    def worker_pids(self) -> list[int]:
        """The master's children, i.e. the workers."""
        if self.process is None:
            return []
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """User + system CPU time used so far by the master and its workers."""
        total = 0
        pids = [self.process.pid] if self.process is not None else []
        for pid in pids + self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a worker that just exited; gunicorn replaces it
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        return total / CLOCK_TICKS
