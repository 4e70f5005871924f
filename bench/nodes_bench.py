"""`make bench`, several nodes: two app servers and two mail dispatchers over one PostgreSQL
and one Redis behave as one site.

    .venv/bin/python -m bench.nodes_bench [--clients 16] [--per-client 40]

Two nodes, each with its own instance folder: gunicorn (2 sync workers) on its own port and
`flask queue dispatch`, all sharing one PostgreSQL database, one Redis and the same keys.
CLIENTS clients sign through both at once: each reads the form (and its CSRF token and
session cookie) from one node and posts it to the other, so nothing works unless sessions
and CSRF hold across nodes. Then the check: every signature has exactly one row and exactly
one e-mail reached the SMTP sink (none lost, none twice); every link, opened through
alternate nodes, confirms; both nodes' count API and the recount agree with the rows.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
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
)
from bench.load import sign_session
from bench.mail_bench import Sink, _json, mail_env
from bench.server import HOST, free_port

PYTHON = sys.executable
BIN = Path(sys.executable).parent
SLUG = "mail-bench"


class Node:
    """One node: its instance folder, gunicorn and a mail dispatcher."""

    def __init__(self, name: str, work: Path, env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        instance = work / name / "instance"
        instance.mkdir(parents=True)
        self.env = env | {"CAMPAIGN_INSTANCE_PATH": str(instance)}
        self.log = open(work / f"{name}.log", "w")  # noqa: SIM115 - closed in stop()
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        gunicorn = [str(BIN / "gunicorn"), "-w", "2", "-b", f"{HOST}:{self.port}", "wsgi:app"]
        dispatch = [str(BIN / "flask"), "--app", "wsgi", "queue", "dispatch"]
        for command in (gunicorn, dispatch):
            self.processes.append(
                subprocess.Popen(
                    command, cwd=PROJECT_ROOT, env=self.env, stdout=self.log, stderr=self.log
                )
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if request(self.port, "GET", f"/petitions/{SLUG}")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise click.ClickException(f"node {self.name} did not start; see {self.log.name}")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(30)
        self.log.close()


def request(
    port: int, method: str, path: str, body: str = "", cookie: str = ""
) -> tuple[int, str, str]:
    """(status, body, Set-Cookie) of one request over a new connection (bench.load's raw
    sockets are for throughput; this is for the checks)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body.encode(), headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    set_cookie = response.getheader("Set-Cookie", "")
    connection.close()
    return response.status, text, set_cookie


def signer(number: int, count: int, nodes: list[Node], failures: list[str]) -> None:
    """Sign ``count`` times: the form from one node, the POST to the other."""
    for index in range(count):
        read, post = (nodes[0], nodes[1]) if (number + index) % 2 else (nodes[1], nodes[0])
        try:
            cookie, token = sign_session(HOST, read.port, f"/petitions/{SLUG}")
        except (RuntimeError, OSError) as error:
            failures.append(f"form from {read.name}: {error}")
            continue
        form = urllib.parse.urlencode(
            {
                "first_name": "Алесь",
                "last_name": "Бяляцкі",
                "email": f"node-{number}-{index}@example.org",
                "country": "NL",
                "city": "",
                "display": "first_name_country",
                "consent": "y",
                "csrf_token": token,
            }
        )
        status, _body, _ = request(post.port, "POST", f"/petitions/{SLUG}", form, cookie)
        if status != 302:
            failures.append(f"signing on {post.name}: {status}")


def run(database_url: str, redis_url: str, clients: int, per_client: int) -> dict[str, object]:
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    work = new_work_dir("nodes")
    sink = Sink(work)
    # One set of keys for both nodes, as production shares them.
    shared = mail_env(
        work, database_url, sink, REDIS_URL=redis_url, CAMPAIGN_MICROCACHE_SECONDS="0"
    )
    _json([PYTHON, "-m", "bench.mail_worker", "seed", "0"], shared)
    nodes = [Node("node-a", work, shared), Node("node-b", work, shared)]
    failures: list[str] = []
    try:
        for node in nodes:
            node.start()
        say(f"Two nodes up (ports {nodes[0].port}, {nodes[1].port}); {clients} clients signing")
        threads = [
            threading.Thread(target=signer, args=(number, per_client, nodes, failures))
            for number in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        signing_seconds = time.perf_counter() - started
        expected = clients * per_client
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = _json([PYTHON, "-m", "bench.mail_worker", "verify"], shared)
            if state["still_due"] == 0 and len(sink.received()) >= expected:
                break
            time.sleep(0.5)
        received = sink.received()
        links = sink.links()
        opened = []
        for index, path in enumerate(links.values()):
            opened.append(request(nodes[index % 2].port, "GET", path)[0])
        state = _json([PYTHON, "-m", "bench.mail_worker", "verify"], shared)
        api = [
            json.loads(request(node.port, "GET", f"/api/v1/petitions/{SLUG}")[1])["signature_count"]
            for node in nodes
        ]
        recount = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", "petitions", "recount", SLUG, "--check"],
            cwd=PROJECT_ROOT,
            env=nodes[0].env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        for node in nodes:
            node.stop()
        sink.stop()
    wanted = {f"node-{n}-{i}@example.org" for n in range(clients) for i in range(per_client)}
    return {
        "expected": expected,
        "failures": failures,
        "signings_per_second": expected / signing_seconds,
        "rows": int(state["signatures"]),
        "mails": len(received),
        "lost": len(wanted - set(received)),
        "duplicates": len(received) - len(set(received)),
        "links_ok": sum(1 for status in opened if status == 200),
        "confirmed": int(state["confirmed"]),
        "api": api,
        "recount": recount.returncode,
        "recount_output": recount.stdout.strip()[-300:],
    }


@click.command()
@click.option("--clients", default=16, show_default=True)
@click.option("--per-client", default=40, show_default=True, help="Signatures per client.")
@click.option(
    "--database-url",
    default="postgresql://postgres@127.0.0.1:5432/campaign_nodes_bench",
    show_default=True,
)
@click.option("--redis-url", default="redis://127.0.0.1:6379/9", show_default=True)
def main(clients: int, per_client: int, database_url: str, redis_url: str) -> None:
    """Two nodes over one PostgreSQL and Redis: nothing lost, nothing twice, counts agree."""
    before = os.getloadavg()
    with scratch_database(database_url, keep=False):
        result = run(database_url, redis_url, clients, per_client)
    after = os.getloadavg()
    expected = result["expected"]
    ok = (
        not result["failures"]
        and result["rows"] == expected
        and result["mails"] == expected
        and result["lost"] == 0
        and result["duplicates"] == 0
        and result["links_ok"] == expected
        and result["confirmed"] == expected
        and result["api"] == [expected, expected]
        and result["recount"] == 0
    )
    body = [
        f"Load average before: {load_average(before)}; after: {load_average(after)}.",
        "",
        "| what | figure |",
        "|---|---|",
        f"| signatures sent by {clients} clients through both nodes | {expected} |",
        f"| signing requests that failed | {len(result['failures'])} |",  # type: ignore[arg-type]
        f"| signings per second, both nodes | {result['signings_per_second']:.0f} |",
        f"| signature rows | {result['rows']} |",
        f"| e-mails at the sink (two dispatchers) | {result['mails']} |",
        f"| addresses that got no e-mail | {result['lost']} |",
        f"| e-mails sent twice | {result['duplicates']} |",
        f"| links confirmed through alternate nodes | {result['links_ok']} |",
        f"| confirmed rows | {result['confirmed']} |",
        f"| count API on node A, node B | {result['api'][0]}, {result['api'][1]} |",  # type: ignore[index]
        f"| `flask petitions recount --check` | {'DRIFT' if result['recount'] else 'no drift'} |",
        "",
        f"Verdict: {'met: one site, nothing lost or doubled' if ok else 'MISS'}.",
        "",
    ]
    if result["failures"]:
        body += ["First failures: " + "; ".join(result["failures"][:5]), ""]  # type: ignore[index]
    text = section("nodes", "Two nodes over one PostgreSQL and Redis", __doc__ or "", body)
    replace_section(RESULTS, "nodes", text)
    print("\n".join(body))


if __name__ == "__main__":
    main()
