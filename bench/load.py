"""The load generator: closed-loop client processes on loopback, identical for every endpoint.

Each client process sends one request at a time over a fresh TCP connection (gunicorn's sync
workers close the connection after every response anyway, so keep-alive is not on offer),
reads the response to the end, records its latency, and goes again. The client is a few
lines of raw socket code, so it spends as little of the shared CPUs as possible and the same
on every endpoint. Requests are counted only when they finish inside the measured window,
which follows a warm-up; a response with another status than the expected one is an error.

The signing client first GETs the petition page once to obtain a session cookie and the
CSRF token (valid for the session), then POSTs the form with a new e-mail address each time.

A client can also be handed a list of paths (``Job.paths``): it requests them in turn, and
either cycles through them (``Job.cycle``) or uses each one once, as the confirmation links
must be (a link opened a second time takes the cheaper "already confirmed" path). A client
that runs out of once-only paths stops and says so (``ClientResult.ran_out``): its window's
figure is then too low, and the runner reports it as an error.
"""

from __future__ import annotations

import re
import resource
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

SET_COOKIE = re.compile(rb"^set-cookie:\s*([^=;\s]+=[^;\r\n]*)", re.IGNORECASE | re.MULTILINE)
CSRF_INPUT = re.compile(rb"<input[^>]*\bname=\"csrf_token\"[^>]*>")
VALUE = re.compile(rb'\bvalue="([^"]+)"')
ERROR_SAMPLES_KEPT = 3


@dataclass(frozen=True)
class Target:
    """One endpoint as the client calls it."""

    key: str
    label: str
    method: str
    path: str
    expect: int
    sign_form_path: str = ""  # for signing: the page that hands out the CSRF token


@dataclass(frozen=True)
class Job:
    """What one client process does: hit ``target`` from ``start_at`` (time.monotonic)."""

    host: str
    port: int
    target: Target
    start_at: float
    warmup: float
    duration: float
    email_prefix: str  # unique per client and run, so every signature is new
    paths: tuple[str, ...] = ()  # when given, requested in turn instead of target.path
    cycle: bool = False  # start the paths over when they run out (else each path once)


@dataclass
class ClientResult:
    """What one client process saw inside the measured window."""

    completed: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)
    cpu_seconds: float = 0.0
    ran_out: bool = False  # used every once-only path before the window ended
    answered: int = 0  # responses with the expected status, warm-up and late ones included


def _exchange(host: str, port: int, payload: bytes) -> bytes:
    """Send one request on a new connection and read the response until the server closes."""
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(payload)
        chunks = []
        while data := sock.recv(262_144):
            chunks.append(data)
    return b"".join(chunks)


def _status(response: bytes) -> int:
    try:
        return int(response[9:12])
    except ValueError:
        return 0


def _request(
    method: str, path: str, host_header: str, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host_header}", "User-Agent: campaign-bench"]
    lines += ["Accept: */*", "Accept-Encoding: identity", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def sign_session(host: str, port: int, page_path: str) -> tuple[str, str]:
    """GET the petition page once: its cookies (the session) and the form's CSRF token."""
    response = _exchange(host, port, _request("GET", page_path, f"{host}:{port}", {}))
    head, _, body = response.partition(b"\r\n\r\n")
    cookies = b"; ".join(SET_COOKIE.findall(head))
    field = CSRF_INPUT.search(body)
    token = VALUE.search(field.group(0)) if field else None
    if _status(response) != 200 or not cookies or token is None:
        raise RuntimeError(f"GET {page_path} gave no session cookie or no CSRF token")
    return cookies.decode("latin-1"), token.group(1).decode("latin-1")


def _sign_payload(job: Job, sequence: int, headers: dict[str, str], csrf_token: str) -> bytes:
    """The signing form, with a new e-mail address, the session's cookie and CSRF token."""
    body = urlencode(
        {
            "first_name": "Anna",
            "last_name": "Bench",
            "email": f"{job.email_prefix}n{sequence}@example.org",
            "country": "NL",
            "city": "Utrecht",
            "display": "first_name_country",
            "consent": "y",
            "csrf_token": csrf_token,
        }
    ).encode()
    return _request("POST", job.target.path, f"{job.host}:{job.port}", headers, body)


def run_client(job: Job) -> ClientResult:
    """Hit the target in a closed loop until the window ends; runs in a client process."""
    target, host_header = job.target, f"{job.host}:{job.port}"
    fixed, headers, csrf_token = b"", {}, ""
    if target.sign_form_path:
        cookie, csrf_token = sign_session(job.host, job.port, target.sign_form_path)
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    elif not job.paths:
        fixed = _request(target.method, target.path, host_header, headers)
    measure_from = job.start_at + job.warmup
    measure_until = measure_from + job.duration
    result = ClientResult()
    usage_start: resource.struct_rusage | None = None
    sequence = 0
    while (now := time.monotonic()) < job.start_at:
        time.sleep(min(0.05, job.start_at - now))
    while True:
        started = time.monotonic()
        if started >= measure_until:
            break
        if usage_start is None and started >= measure_from:
            usage_start = resource.getrusage(resource.RUSAGE_SELF)
        if target.sign_form_path:
            sequence += 1
            payload = _sign_payload(job, sequence, headers, csrf_token)
        elif job.paths:
            if sequence == len(job.paths) and not job.cycle:
                result.ran_out = True
                break
            path = job.paths[sequence % len(job.paths)]
            sequence += 1
            payload = _request(target.method, path, host_header, headers)
        else:
            payload = fixed
        try:
            response = _exchange(job.host, job.port, payload)
            status = _status(response)
            problem = "" if status == target.expect else f"HTTP {status}: {response[:300]!r}"
        except OSError as error:
            problem = f"{type(error).__name__}: {error}"
        finished = time.monotonic()
        result.answered += not problem
        if started < measure_from or finished > measure_until:
            continue
        result.completed += 1
        result.latencies.append(finished - started)
        if problem:
            result.errors += 1
            if len(result.error_samples) < ERROR_SAMPLES_KEPT:
                result.error_samples.append(problem)
    if usage_start is not None:
        usage_end = resource.getrusage(resource.RUSAGE_SELF)
        result.cpu_seconds = (usage_end.ru_utime - usage_start.ru_utime) + (
            usage_end.ru_stime - usage_start.ru_stime
        )
    return result
