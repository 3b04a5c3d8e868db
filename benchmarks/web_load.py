"""`symbrnn serve` under a class's load: 2 000 `/api/check` requests at 16-way concurrency
(the answers of `benchmarks/classroom.py`, each student's own), with `/api/spectral.svg`
and sheet downloads at the same time; latency percentiles, errors, and the server's
memory growth after warm-up. The server is a child process on 127.0.0.1 only.

    python benchmarks/web_load.py
    python benchmarks/web_load.py --requests 500 --concurrency 8
    python benchmarks/web_load.py --mode svg      # 16 clients on /api/spectral.svg
    python benchmarks/web_load.py --mode mixed    # 600 mixed requests, refused/reset counted
    python benchmarks/web_load.py --mode stop     # SIGINT with work in flight: time, leftovers

Targets (issue 25): 0 errors, p99 ≤ 100 ms, memory growth ≤ 50 MB after warm-up.
Targets (issue 36): /api/spectral.svg at 16 clients p99 ≤ 1 s, no 5xx; 600 mixed requests
from 16 clients, 0 refused or reset; stopped within 5 s of SIGINT with work in flight; no
temporary folder left.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    """The resident memory of one process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _children(pid: int) -> list[int]:
    """The server's own child processes (its worker for sheets and plots)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def _memory(pid: int) -> tuple[float, float]:
    """The server's memory, and its workers' (pdflatex children are short-lived)."""
    workers = sum(_rss_mb(c) for c in _children(pid) if Path(f"/proc/{c}").exists())
    return _rss_mb(pid), workers


def _bodies(students: int) -> list[dict]:
    sys.path.insert(0, str(Path(__file__).parent))
    from classroom import class_rows

    return [
        {
            "cell": row["cell"],
            "quantity": row["quantity"],
            "T": row["T"],
            "answer": row["answer"],
            "lang": "fr",
        }
        for row in class_rows(students, 14)
    ]


_local = threading.local()


def _call(url: str, body: dict | None = None) -> tuple[float, int]:
    """One request on this thread's kept-alive connection (as a browser keeps one)."""
    path = url.split(f"{HOST}:", 1)[1].split("/", 1)[1]
    port = int(url.split(f"{HOST}:", 1)[1].split("/", 1)[0])
    start = time.perf_counter()
    for attempt in range(2):
        conn = getattr(_local, "conn", None)
        if conn is None:
            conn = _local.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            if body is None:
                conn.request("GET", "/" + path)
            else:
                data = json.dumps(body).encode()
                conn.request("POST", "/" + path, data, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            return time.perf_counter() - start, response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            _local.conn = None
            if attempt:
                return time.perf_counter() - start, 0
    return time.perf_counter() - start, 0


def run(requests: int = 2000, concurrency: int = 16, students: int = 150) -> list[tuple]:
    port = _free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "symbrnn", "serve", "--host", HOST, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/check", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        bodies = _bodies(students)
        # warm-up: every distinct answer once (a class's answers repeat), the curve, a sheet
        with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
            cold = sorted(t for t, _ in pool.map(lambda b: _call(f"{base}/api/check", b), bodies))
        _call(f"{base}/api/spectral.svg?W=[[0.5,10],[0,0.5]]&T=30")
        _call(f"{base}/api/sheet?lang=fr")
        before, workers_before = _memory(server.pid)
        checks = [bodies[i % len(bodies)] for i in range(requests)]
        side = [f"{base}/api/spectral.svg?W=[[0.5,{s}],[0,0.5]]&T=30" for s in range(20)]
        side += [f"{base}/api/sheet?lang=fr&variant_seed={s}" for s in range(1, 11)]
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(concurrency + 2) as pool:
            others = [pool.submit(_call, url) for url in side]
            results = list(pool.map(lambda b: _call(f"{base}/api/check", b), checks))
            other_results = [f.result() for f in others]
        wall = time.perf_counter() - start
        after, workers_after = _memory(server.pid)
        expand = expand_page_seconds(base)
    finally:
        server.terminate()
        server.wait(10)
    latencies = sorted(t for t, _ in results)
    errors = sum(1 for _, status in results if status != 200 and status // 100 != 4)
    other_errors = sum(1 for _, status in other_results if status != 200)
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    rows = [
        (
            f"`serve`: {requests:,} `/api/check` at {concurrency}-way concurrency "
            f"({len(bodies):,} answers of {students} students, repeated as a class does)",
            f"{errors} errors, p50 {p50:.1f} ms, p99 {p99:.1f} ms, {requests / wall:,.0f} req/s",
            "target: 0 errors, p99 ≤ 100 ms",
        ),
        (
            f"`serve`: {len(side)} `/api/spectral.svg` and sheet downloads at the same time",
            f"{other_errors} errors",
            "target: 0 errors",
        ),
        (
            "`serve`: server memory after warm-up → after the load (its worker process for "
            "sheets and plots)",
            f"{before:.0f} MB → {after:.0f} MB (+{after - before:.1f} MB); worker "
            f"{workers_before:.0f} MB → {workers_after:.0f} MB (+{workers_after - workers_before:.1f} MB)",
            "target: ≤ +50 MB",
        ),
    ]
    rows.append(
        (
            f"`serve`: warm-up, each of the {len(bodies):,} answers judged for the first time "
            f"({concurrency}-way)",
            f"p50 {cold[len(cold) // 2] * 1000:.0f} ms, p99 {cold[int(len(cold) * 0.99)] * 1000:.0f} ms",
            "no target (a class's answers repeat: the verdicts are kept)",
        )
    )
    if expand is not None:
        rows.append(
            (
                "`/expand` at T = 50 (1 275 terms) in Chromium: click → first terms drawn, "
                "button usable",
                f"{expand:.2f} s",
                "target: interactive within 1 s",
            )
        )
    return rows


class Served:
    """``symbrnn serve`` in a child process on a free loopback port, with a private TMPDIR
    (what it leaves there is what it leaves behind)."""

    def __init__(self, *args: str):
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="symbrnn-bench-"))
        self.port = _free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "symbrnn", "serve", "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(self.tmp)},
        )
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{self.base}/check", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)

    def stop(self, sig=None) -> float:
        """Seconds from the signal (SIGINT by default) to the server's exit."""
        import signal

        start = time.perf_counter()
        self.process.send_signal(sig or signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return float("inf")
        return time.perf_counter() - start

    def leftovers(self) -> list[str]:
        import shutil

        left = sorted(str(p.relative_to(self.tmp)) for p in self.tmp.rglob("*"))
        shutil.rmtree(self.tmp, ignore_errors=True)
        return left


def _fresh_call(url: str, body: dict | None = None) -> tuple[float, int]:
    """One request on a connection of its own, no retry: 0 when refused or reset."""
    start = time.perf_counter()
    port = int(url.split(f"{HOST}:", 1)[1].split("/", 1)[0])
    path = "/" + url.split(f"{HOST}:", 1)[1].split("/", 1)[1]
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        if body is None:
            conn.request("GET", path)
        else:
            data = json.dumps(body).encode()
            conn.request("POST", path, data, {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - start, response.status
    except (OSError, http.client.HTTPException):
        return time.perf_counter() - start, 0
    finally:
        conn.close()


def _kept_call(url: str, body: dict | None = None) -> tuple[float, int]:
    """One request on this thread's kept-alive connection, no retry."""
    port = int(url.split(f"{HOST}:", 1)[1].split("/", 1)[0])
    path = "/" + url.split(f"{HOST}:", 1)[1].split("/", 1)[1]
    start = time.perf_counter()
    conn = getattr(_local, "kept", None)
    if conn is None:
        conn = _local.kept = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        if body is None:
            conn.request("GET", path)
        else:
            data = json.dumps(body).encode()
            conn.request("POST", path, data, {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - start, response.status
    except (OSError, http.client.HTTPException):
        conn.close()
        _local.kept = None
        return time.perf_counter() - start, 0


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] * 1000


def svg_load(clients: int = 16, each: int = 8) -> list[tuple]:
    """``clients`` clients asking for the spectral page's curves at once, each ``each``
    times over a few slider positions (cold server: the first drawings are made here)."""
    served = Served()
    try:
        urls = [
            f"{served.base}/api/spectral.svg?W=[[0.5,10],[0,0.5]]&scale={s}&T=30"
            for s in ("1", "0.5", "0.9", "1.1")
        ]
        jobs = [urls[(c + i) % len(urls)] for c in range(clients) for i in range(each)]
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(_fresh_call, jobs))
    finally:
        served.stop()
        served.leftovers()
    times = [t for t, _ in results]
    bad = sum(1 for _, status in results if status == 0 or status >= 500)
    return [
        (
            f"`serve`: {len(jobs)} `/api/spectral.svg` from {clients} concurrent clients "
            f"({len(urls)} distinct curves, cold server)",
            f"{bad} 5xx or refused, p50 {_percentile(times, 0.5):.0f} ms, "
            f"p99 {_percentile(times, 0.99):.0f} ms",
            "target: p99 ≤ 1 s, no 5xx",
        )
    ]


def _mixed_requests(base: str, count: int) -> list[tuple[str, dict | None]]:
    bodies = _bodies(20)
    kinds = [
        lambda i: (f"{base}/api/check", bodies[i % len(bodies)]),
        lambda i: (f"{base}/api/read", {"quantity": "dh_3/dh_1", "answer": "W W"}),
        lambda i: (f"{base}/api/question?id=III.1&variant_seed={i % 5}", None),
        lambda i: (f"{base}/api/spectral?W=[[0.5,{i % 7}],[0,0.5]]&T=40", None),
        lambda i: (f"{base}/api/spectral.svg?W=[[0.5,{i % 3}],[0,0.5]]&T=30", None),
        lambda i: (f"{base}/api/sheet?lang=fr&variant_seed={i % 4}", None),
        lambda i: (f"{base}/check?lang=en", None),
        lambda i: (f"{base}/static/katex/katex.min.css", None),
    ]
    return [kinds[i % len(kinds)](i) for i in range(count)]


def mixed_load(requests: int = 600, clients: int = 16) -> list[tuple]:
    """``requests`` mixed requests from ``clients`` clients, once on a new connection each
    and once on kept-alive connections; refused or reset connections counted, no retry."""
    rows = []
    for name, call in (("new connections", _fresh_call), ("kept-alive", _kept_call)):
        served = Served()
        try:
            jobs = _mixed_requests(served.base, requests)
            start = time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(clients) as pool:
                results = list(pool.map(lambda job, call=call: call(*job), jobs))
            wall = time.perf_counter() - start
        finally:
            served.stop()
            served.leftovers()
        reset = sum(1 for _, status in results if status == 0)
        errors = sum(1 for _, status in results if status >= 500)
        times = [t for t, _ in results]
        rows.append(
            (
                f"`serve`: {requests} mixed requests (check, read, question, spectral, svg, "
                f"sheet, page, static) from {clients} clients, {name}",
                f"{reset} refused or reset, {errors} 5xx, p99 {_percentile(times, 0.99):.0f} ms, "
                f"{wall:.1f} s",
                "target: 0 refused or reset",
            )
        )
    return rows


def _wait_for_latex(pid: int, seconds: float) -> bool:
    """Wait until the server runs pdflatex (its child, or bubblewrap's)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        stack, names = list(_children(pid)), []
        while stack:
            child = stack.pop()
            try:
                names.append(Path(f"/proc/{child}/comm").read_text().strip())
                stack += _children(child)
            except OSError:
                continue
        if {"pdflatex", "bwrap"} & set(names):
            time.sleep(0.5)
            return True
        time.sleep(0.1)
    return False


def stop_time() -> list[tuple]:
    """SIGINT while a PDF compiles, a curve is drawn and answers are judged: seconds to the
    server's exit, and what it leaves in its TMPDIR."""
    served = Served()
    bodies = _bodies(40)
    pool = concurrent.futures.ThreadPoolExecutor(8)
    try:
        pending = [pool.submit(_fresh_call, f"{served.base}/api/sheet?lang=fr&format=pdf")]
        pending += [pool.submit(_fresh_call, f"{served.base}/api/check", b) for b in bodies[:6]]
        pending.append(
            pool.submit(_fresh_call, f"{served.base}/api/spectral.svg?W=[[0.7,3],[0,0.7]]&T=400")
        )
        compiling = _wait_for_latex(served.process.pid, 60)
        seconds = served.stop()
    finally:
        pool.shutdown(wait=True)
    left = served.leftovers()
    return [
        (
            "`serve`: SIGINT with a PDF compile"
            + ("" if compiling else " (not started in 60 s)")
            + ", a drawing and 6 checks in flight",
            f"stopped in {seconds:.2f} s (exit {served.process.returncode}); "
            f"{len(left)} leftovers in its TMPDIR{': ' + ', '.join(left[:5]) if left else ''}",
            "target: ≤ 5 s, no leftovers",
        )
    ]


def expand_page_seconds(base: str) -> float | None:
    """Seconds from the click on Expand (T = 50, 1 275 terms) to the first terms drawn and
    the button usable again, in Debian's Chromium; None without it."""
    if not Path("/usr/bin/chromium").exists():
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{base}/expand?lang=fr")
        page.fill("#T", "50")
        start = time.perf_counter()
        page.click("#expand")
        page.wait_for_selector("#result .term .katex")
        page.wait_for_function("!document.getElementById('expand').disabled")
        seconds = time.perf_counter() - start
        browser.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["check", "svg", "mixed", "stop", "all"], default="check")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--students", type=int, default=150)
    args = parser.parse_args()
    print("| measurement | result | note |\n|---|---|---|")
    rows = []
    if args.mode in ("check", "all"):
        rows += run(args.requests, args.concurrency, args.students)
    if args.mode in ("svg", "all"):
        rows += svg_load(args.concurrency)
    if args.mode in ("mixed", "all"):
        rows += mixed_load(600 if args.mode == "all" else args.requests, args.concurrency)
    if args.mode in ("stop", "all"):
        rows += stop_time()
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
