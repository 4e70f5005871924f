"""`make bench`, mail: the dispatcher's drain against a plain smtplib loop, and a kill test.

    .venv/bin/python -m bench.mail_bench [--count 3000] [--rounds 5]

Both send to the same local aiosmtpd sink (bench/smtp_sink.py, its own process). In
interleaved rounds, a plain smtplib loop (bench/mail_plain.py: one connection, one
EmailMessage built per mail) sends COUNT e-mails, then the app's dispatchers send COUNT due
confirmation e-mails: claim with a lease, load, fill in the rendered template, send over one
connection, mark each sent. Medians of e-mails per second, on SQLite and on PostgreSQL.
Target: the dispatchers >= 0.5 x the loop.

Like with like: the signing figure it is compared with (bench/run.py) comes from 2 gunicorn
workers on the machine's 2 cores, so the drain runs DISPATCHERS dispatcher processes
(``--dispatchers``, default 2: one per core, as the README's deployment runs
``flask queue dispatch``), each bench/mail_worker.py in its own process with one dispatcher
thread. Each process starts the app, says it is ready, and all are set going at once; the
drain's time runs from the first one's first claim to the last one's last mark, so the app's
start is not counted (startup_bench measures it). The table also gives the drain with one
dispatcher process, and the dispatchers' CPU per e-mail (user + system of their processes
over the e-mails sent), which depends less on other programs than the rate does. The plain
loop is one process, one connection, as it was: the ratio compares the app's whole drain
with it. The sink is one Python process too, sharing the 2 cores with the dispatchers (and,
on PostgreSQL, the server): when the cores are full, the sink's own rate caps both the loop
and the drain, so more dispatcher processes than cores buy nothing here. "Faster than
signing" is best read from CPU: the dispatchers' CPU per e-mail against the signing POST's
server CPU per request in the web tables (the same 2 cores do either).

The kill test: COUNT e-mails due, `flask queue dispatch` started, killed with SIGKILL when
about a third has reached the sink, started again (a short lease, so the killed one's claim
runs out quickly); then every signature must be marked sent and every recipient must have
reached the sink. Duplicates are counted (possible only for mail accepted in the instant
before the kill).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import click

from bench.common import (
    PROJECT_ROOT,
    RESULTS,
    load_average,
    new_work_dir,
    replace_section,
    say,
    scratch_database,
    section,
    server_env,
)
from bench.server import free_port

PYTHON = sys.executable
FLASK = str(Path(sys.executable).with_name("flask"))
TARGET = 0.5


class Sink:
    """The aiosmtpd sink process and the file of recipients it received."""

    def __init__(self, work: Path) -> None:
        self.port = free_port()
        self.path = work / "received.txt"
        self.path.write_text("")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "bench.smtp_sink", str(self.port), str(self.path)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.process.stdout.readline()  # "ready"

    def received(self) -> list[str]:
        """The recipients, one per message received."""
        return [line.split(" ", 1)[0] for line in self.path.read_text().splitlines()]

    def links(self) -> dict[str, str]:
        """Each recipient's (last) confirmation link path."""
        lines = (line.split(" ", 1) for line in self.path.read_text().splitlines())
        return {recipient: path for recipient, path in lines if path != "-"}

    def clear(self) -> None:
        self.path.write_text("")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def _json(args: list[str], env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise click.ClickException(f"{' '.join(args[-2:])} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def mail_env(work: Path, database_url: str, sink: Sink, **extra: str) -> dict[str, str]:
    """The app's bench settings (bench.common.server_env) sending mail to ``sink``."""
    return (
        os.environ
        | server_env(work / "instance", database_url)
        | {
            "CAMPAIGN_MAIL_TRANSPORT": "smtp",
            "CAMPAIGN_MAIL_SMTP_PORT": str(sink.port),
            "CAMPAIGN_MAIL_SENDER": "Campaign <campaign@example.org>",
            "CAMPAIGN_BASE_URL": "http://127.0.0.1:5000",
            "CAMPAIGN_LOG_LEVEL": "WARNING",
        }
        | extra
    )


def drain_once(env: dict[str, str], processes: int) -> dict[str, float]:
    """``processes`` dispatcher processes, set going together; the drain from the first
    claim to the last mark, and their CPU time in all."""
    workers = [
        subprocess.Popen(
            [PYTHON, "-m", "bench.mail_worker", "drain-ready"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    for worker in workers:
        assert worker.stdout is not None
        if worker.stdout.readline().strip() != "ready":
            raise click.ClickException(f"a dispatcher did not start:\n{worker.communicate()[1]}")
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        if worker.returncode != 0:
            raise click.ClickException(f"a dispatcher failed:\n{err[-3000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    seconds = max(r["ended"] for r in results) - min(r["began"] for r in results)
    return {
        "sent": sum(r["sent"] for r in results),
        "seconds": seconds,
        "cpu": sum(r["cpu"] for r in results),
        "each": [r["sent"] for r in results],
    }


def drain_rounds(database_url: str, count: int, rounds: int, dispatchers: int) -> dict[str, object]:
    work = new_work_dir("mail")
    if not database_url:
        database_url = f"sqlite:///{work / 'instance' / 'bench.sqlite3'}"
    sink = Sink(work)
    env = mail_env(work, database_url, sink)
    try:
        say(f"Seeding {count} pending signatures ...")
        _json([PYTHON, "-m", "bench.mail_worker", "seed", str(count)], env)
        plain: list[float] = []
        ours: list[float] = []
        single: list[float] = []
        cpu: list[float] = []
        drained = False
        for number in range(rounds):
            sink.clear()
            result = _json([PYTHON, "-m", "bench.mail_plain", str(sink.port), str(count)], env)
            plain.append(result["sent"] / result["seconds"])
            for processes, rates in ((dispatchers, ours), (1, single)):
                if drained:
                    _json([PYTHON, "-m", "bench.mail_worker", "reset"], env)
                sink.clear()
                drain = drain_once(env, processes)
                drained = True
                received = sink.received()
                if drain["sent"] != count or len(received) != count or len(set(received)) != count:
                    raise click.ClickException(
                        f"dispatchers sent {drain['sent']}, sink got {len(received)} "
                        f"({len(set(received))} different) of {count}"
                    )
                rates.append(drain["sent"] / drain["seconds"])
                if rates is ours:
                    cpu.append(drain["cpu"] / drain["sent"])
                    shares = "/".join(str(n) for n in drain["each"])  # type: ignore[attr-defined]
            say(
                f"  round {number + 1}: plain loop {plain[-1]:.0f}/s, {dispatchers} dispatcher "
                f"processes {ours[-1]:.0f}/s (each sent {shares}), one {single[-1]:.0f}/s"
            )
    finally:
        sink.stop()
    return {
        "plain": statistics.median(plain),
        "ours": statistics.median(ours),
        "single": statistics.median(single),
        "cpu_ms": statistics.median(cpu) * 1000,
    }


def kill_test(database_url: str, count: int) -> dict[str, int | float]:
    work = new_work_dir("mail-kill")
    if not database_url:
        database_url = f"sqlite:///{work / 'instance' / 'bench.sqlite3'}"
    sink = Sink(work)
    env = mail_env(work, database_url, sink, CAMPAIGN_MAIL_LEASE_SECONDS="3")
    env["CAMPAIGN_MAIL_IDLE_SECONDS"] = "0.2"
    try:
        _json([PYTHON, "-m", "bench.mail_worker", "seed", str(count)], env)
        command = [FLASK, "--app", "wsgi", "queue", "dispatch"]
        first = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while len(sink.received()) < count // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.send_signal(signal.SIGKILL)
        first.wait()
        at_kill = len(sink.received())
        say(f"  killed the dispatcher with SIGKILL after {at_kill} of {count} e-mails")
        second = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            state = _json([PYTHON, "-m", "bench.mail_worker", "verify"], env)
            if state["still_due"] == 0:
                break
            time.sleep(0.5)
        second.terminate()
        second.wait(30)
    finally:
        sink.stop()
    received = sink.received()
    expected = {f"signer-{number}@example.org" for number in range(count)}
    return {
        "count": count,
        "at_kill": at_kill,
        "marked_sent": int(state["marked_sent"]),
        "still_due": int(state["still_due"]),
        "lost": len(expected - set(received)),
        "duplicates": len(received) - len(set(received)),
    }


@click.command()
@click.option("--count", default=3000, show_default=True, help="E-mails per round.")
@click.option("--rounds", default=5, show_default=True, help="Interleaved rounds.")
@click.option(
    "--postgres-url",
    default="postgresql://postgres@127.0.0.1:5432/campaign_mail_bench",
    show_default=True,
    help="A scratch database (created and dropped); empty to skip PostgreSQL.",
)
@click.option(
    "--dispatchers",
    default=2,
    show_default=True,
    help="Dispatcher processes for the drain (2: one per core, as signing's 2 workers).",
)
def main(count: int, rounds: int, postgres_url: str, dispatchers: int) -> None:
    """Measure the mail dispatcher against a plain smtplib loop; kill it mid-drain."""
    before = os.getloadavg()
    databases = [("SQLite", "")] + ([("PostgreSQL", postgres_url)] if postgres_url else [])
    lines = [
        f"| database | plain smtplib loop, e-mails/s | {dispatchers} dispatcher processes, "
        "e-mails/s | ratio | target | | one dispatcher process, e-mails/s | dispatchers' CPU "
        "per e-mail |",
        "|---|---|---|---|---|---|---|---|",
    ]
    kills = [
        "| database | e-mails | killed after | marked sent | still due | lost | duplicates |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, url in databases:
        say(f"Mail drain on {name} ...")
        with scratch_database(url, keep=False):
            figures = drain_rounds(url, count, rounds, dispatchers)
        ratio = figures["ours"] / figures["plain"]  # type: ignore[operator]
        verdict = "met" if ratio >= TARGET else "MISS"
        lines.append(
            f"| {name} | {figures['plain']:.0f} | {figures['ours']:.0f} | {ratio:.2f} x "
            f"| >= {TARGET} x | {verdict} | {figures['single']:.0f} "
            f"| {figures['cpu_ms']:.2f} ms |"
        )
        say(f"Kill test on {name} ...")
        kill_url = url.replace("campaign_mail_bench", "campaign_mail_kill") if url else ""
        with scratch_database(kill_url, keep=False):
            kill = kill_test(kill_url, count)
        kills.append(
            f"| {name} | {kill['count']} | {kill['at_kill']} | {kill['marked_sent']} "
            f"| {kill['still_due']} | {kill['lost']} | {kill['duplicates']} |"
        )
    after = os.getloadavg()
    body = [
        f"Load average before: {load_average(before)}; after: {load_average(after)}.",
        "",
        f"Drain: {count} e-mails a round, {rounds} interleaved rounds, medians; "
        f"{dispatchers} dispatcher processes (and, for comparison, one).",
        "",
        *lines,
        "",
        "Kill test (`kill -9` of `flask queue dispatch` mid-drain, then a new one):",
        "",
        *kills,
        "",
    ]
    text = section("mail", "Mail: dispatcher against a plain smtplib loop", __doc__ or "", body)
    replace_section(RESULTS, "mail", text)
    print("\n".join(body))


if __name__ == "__main__":
    main()
