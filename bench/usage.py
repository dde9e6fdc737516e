#!/usr/bin/env python3
"""Usage benchmark: prints one Markdown table.

Measures, in one run on this machine, for a generated district of N students with D days of generated usage
(`steward generate usage`, the demo catalog's products): `steward ingest events` of the whole file into SQLite
(events/s, peak RSS) and again (every event already stored); `POST /api/v1/events` over loopback in batches of
10,000 lines on two connections (events/s); p50/p99 of the usage dashboard for the last 30 days and for the whole
range, and of the monthly question (distinct people active per product x school x month, `/usage/monthly.csv`);
and, as the reference, DuckDB (Python package) loading the same NDJSON and answering the same question from the raw
events, matching people and schools as Steward does, with the answers compared row for row. Not a test: nothing
here asserts a speed.

    python3 bench/usage.py [--students 100000] [--days 365] [--work DIR] [--keep]

Needs: cargo (builds the release binary), /usr/bin/time, pip for duckdb and requests.
"""

import argparse
import datetime
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster import BIN, ROOT, percentile, print_table, quiet_env, sh, steward, timed  # noqa: E402

PORT = 18777
ADMIN = "admin@cedarvalley.example"
DEMO_PASSWORD = "steward-demo-2026"


def prepare(work, n, days, env):
    """A database holding the demo catalog and a generated roster of n students, and the usage files."""
    roster, db = work / f"district-{n}", work / f"usage-{n}.db"
    shutil.rmtree(roster, ignore_errors=True)
    for p in work.glob(f"usage-{n}.db*"):
        p.unlink()
    timed([BIN, "generate", "district", "--students", n, "--seed", 1, "--out", roster], env)
    url = f"sqlite:{db}"
    timed(steward(url, "demo", "--build-only"), env)
    imported, _, _ = timed(steward(url, "import", "oneroster", roster), env)
    today = datetime.date.today()
    events, http = work / f"usage-{n}.ndjson", work / f"usage-{n}-http.ndjson"
    gen_s, _, _ = timed([BIN, "generate", "usage", "--roster", roster, "--days", days, "--until", today, "--seed", 1,
                         "--out", events], env)
    # Another seed over the last week: events the batch ingest did not store.
    timed([BIN, "generate", "usage", "--roster", roster, "--days", 7, "--until", today, "--seed", 2, "--out", http], env)
    return roster, db, url, events, http, imported, gen_s


def api_token(db):
    """An API token for the demo's district administrator, written straight into the file (the benchmark's own
    fixture; the tokens page does the same)."""
    token = "bench-" + hashlib.sha256(os.urandom(16)).hexdigest()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    con = sqlite3.connect(db)
    user = con.execute("SELECT id FROM users WHERE email = ?", (ADMIN,)).fetchone()[0]
    con.execute("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, 'bench', ?, ?)",
                (user, hashlib.sha256(token.encode()).hexdigest(), now))
    con.commit()
    con.close()
    return token


def http_ingest(base, token, path, lines_per_batch=10_000, connections=2):
    """Sends the file's lines in batches over keep-alive connections; returns (events, seconds, stored)."""
    import requests

    with open(path, "rb") as f:
        lines = f.read().splitlines(keepends=True)
    batches = [b"".join(lines[i:i + lines_per_batch]) for i in range(0, len(lines), lines_per_batch)]
    stored, lock = [0], threading.Lock()

    def worker(mine):
        s = requests.Session()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"}
        for body in mine:
            r = s.post(f"{base}/api/v1/events", data=body, headers=headers, timeout=300)
            if r.status_code != 200:
                sys.exit(f"POST /api/v1/events answered {r.status_code}: {r.text[:500]}")
            with lock:
                stored[0] += r.json()["stored"]

    threads = [threading.Thread(target=worker, args=(batches[i::connections],)) for i in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(lines), time.perf_counter() - start, stored[0]


def signed_in(base):
    import re

    import requests

    s = requests.Session()
    page = s.get(f"{base}/sign-in").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = s.post(f"{base}/sign-in", data={"email": ADMIN, "password": DEMO_PASSWORD, "csrf_token": csrf},
               allow_redirects=False)
    if r.status_code != 303:
        sys.exit(f"signing in answered {r.status_code}")
    return s


def latency(session, url, times):
    """The first answer's time (computed), then p50 and p99 of the rest (figures reused for up to a minute)."""
    out = []
    for _ in range(times):
        start = time.perf_counter()
        r = session.get(url)
        out.append((time.perf_counter() - start) * 1000)
        if r.status_code != 200:
            sys.exit(f"{url} answered {r.status_code}")
    return out[0], percentile(out[1:], 50), percentile(out[1:], 99), r.text


def duckdb_answer(files, roster, domains):
    """DuckDB loads the raw events, then answers: distinct people per product x school x month, people matched by
    the identifier the event gives (sourcedId, else e-mail, else username) and the school named when it is one,
    else the person's primary school; as Steward does. Returns (load s, [query ms], rows)."""
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(
        "CREATE TABLE ev AS SELECT * FROM read_ndjson(?, columns = {time: 'VARCHAR', userSourcedId: 'VARCHAR', "
        "userEmail: 'VARCHAR', username: 'VARCHAR', schoolSourcedId: 'VARCHAR', productDomain: 'VARCHAR', "
        "kind: 'VARCHAR', durationSeconds: 'BIGINT'})", [[str(f) for f in files]])
    load = time.perf_counter() - start
    con.execute("CREATE TABLE users AS SELECT sourcedId, lower(email) AS email, username, primaryOrgSourcedId "
                "FROM read_csv(?, all_varchar = true) WHERE status IS NULL OR status = 'active'",
                [str(roster / "users.csv")])
    con.execute("CREATE TABLE schools AS SELECT sourcedId FROM read_csv(?, all_varchar = true) WHERE type = 'school'",
                [str(roster / "orgs.csv")])
    con.execute("CREATE TABLE products (domain VARCHAR)")
    con.executemany("INSERT INTO products VALUES (?)", [[d] for d in domains])
    query = """
        WITH matched AS (
            SELECT e.productDomain AS domain, left(e.time, 7) AS month,
                   COALESCE(u1.sourcedId, u2.sourcedId, u3.sourcedId) AS person,
                   COALESCE(s.sourcedId, u1.primaryOrgSourcedId, u2.primaryOrgSourcedId, u3.primaryOrgSourcedId) AS school
            FROM ev e
            LEFT JOIN users u1 ON u1.sourcedId = e.userSourcedId
            LEFT JOIN users u2 ON e.userSourcedId IS NULL AND u2.email = lower(e.userEmail)
            LEFT JOIN users u3 ON e.userSourcedId IS NULL AND e.userEmail IS NULL AND u3.username = e.username
            LEFT JOIN schools s ON s.sourcedId = e.schoolSourcedId
        )
        SELECT domain, school, month, COUNT(DISTINCT person) AS people FROM matched
        WHERE person IS NOT NULL AND school IN (SELECT sourcedId FROM schools) AND domain IN (SELECT domain FROM products)
        GROUP BY ALL ORDER BY ALL"""
    times, rows = [], []
    for _ in range(5):
        start = time.perf_counter()
        rows = con.execute(query).fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return load, times, {(d, s, m): p for d, s, m, p in rows}


def steward_answer(csv_text, roster):
    """Steward's answer for the generated roster's schools (the demo catalog's database also holds the demo
    district's own usage, which the raw events given to DuckDB do not)."""
    import csv
    import io

    with open(roster / "orgs.csv", newline="") as f:
        schools = {r["sourcedId"] for r in csv.DictReader(f) if r["type"] == "school"}
    out = {}
    for r in csv.DictReader(io.StringIO(csv_text)):
        if int(r["people_active"]) > 0 and r["school_sourced_id"] in schools:
            out[(r["launch_domain"], r["school_sourced_id"], r["month"])] = int(r["people_active"])
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=100_000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--work", default="/tmp/steward-bench-usage")
    ap.add_argument("--keep", action="store_true", help="keep generated files and databases")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    for module in ("duckdb", "requests"):
        try:
            __import__(module)
        except ImportError:
            sh([sys.executable, "-m", "pip", "install", "--quiet", "--root-user-action=ignore", module])
    import duckdb

    sh(["cargo", "build", "--release", "-q", "-p", "steward-cli"], cwd=ROOT)
    env = quiet_env()
    # The benchmark's year must be kept whole: raw events are refused past the retention period.
    env["STEWARD_USAGE_RETENTION_DAYS"] = str(args.days + 30)
    n, days = args.students, args.days
    roster, db, url, events, http, imported, gen_s = prepare(work, n, days, env)
    count = sum(1 for _ in open(events, "rb"))
    size = events.stat().st_size / 1e9
    rows = [(f"{n:,} students, {days} days: generate the usage ({count:,} events, {size:.1f} GB NDJSON)",
             f"{gen_s:.1f} s", "", "")]

    ingest_s, ingest_mb, _ = timed(steward(url, "ingest", "events", events), env)
    rows.append(("batch ingest from the file (`steward ingest events`, SQLite)", f"{ingest_s:.1f} s",
                 f"{ingest_mb:,.0f} MB", f"{count / ingest_s:,.0f} events/s"))
    again_s, _, out = timed(steward(url, "ingest", "events", events), env)
    rows.append(("the same file again (every event already stored, nothing counted twice)", f"{again_s:.1f} s", "",
                 f"{count / again_s:,.0f} events/s"))

    token = api_token(db)
    server = subprocess.Popen(steward(url, "serve", "--bind", f"127.0.0.1:{PORT}"), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{PORT}"
    try:
        import requests

        for _ in range(400):
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        sent, http_s, stored = http_ingest(base, token, http)
        rows.append((f"HTTP `POST /api/v1/events`, {sent:,} events in batches of 10,000 on 2 connections",
                     f"{http_s:.1f} s", "", f"{sent / http_s:,.0f} events/s ({stored:,} new)"))
        s = signed_in(base)
        today = datetime.date.today()
        first = today - datetime.timedelta(days=days - 1)
        views = [
            ("dashboard `/usage`, last 30 days (exact people active, DAU/WAU/MAU, by product, chart, waste total)",
             "/usage", 30),
            (f"dashboard `/usage`, all {days} days", f"/usage?from={first}&to={today}", 10),
            ("license utilization `/usage/utilization`", "/usage/utilization", 30),
            ("waste finder `/usage/waste`", "/usage/waste", 30),
            ("usage by student group `/usage/groups`", "/usage/groups", 30),
        ]
        for label, path, times in views:
            cold, p50, p99, _ = latency(s, f"{base}{path}", times)
            rows.append((label, f"p50 {p50:.1f} ms", f"p99 {p99:.1f} ms", f"first (computed) {cold:.0f} ms"))
        months = f"from={first:%Y-%m}&to={today:%Y-%m}"
        _, m50, m99, csv_text = latency(s, f"{base}/usage/monthly.csv?{months}", 30)
    finally:
        server.terminate()
        server.wait()

    con = sqlite3.connect(db)
    domains = [d for (d,) in con.execute("SELECT launch_domain FROM products WHERE launch_domain IS NOT NULL")]
    con.close()
    # Steward holds both files' events (the batch and the HTTP ingest): so does DuckDB.
    load_s, duck_ms, duck_rows = duckdb_answer([events, http], roster, domains)
    ours = steward_answer(csv_text, roster)
    same = "identical" if ours == duck_rows else f"DIFFERENT ({len(ours)} against {len(duck_rows)} rows)"
    d50 = percentile(duck_ms, 50)
    rows.append((f"people per product x school x month (`/usage/monthly.csv`, {len(ours):,} rows)",
                 f"p50 {m50:.1f} ms", f"p99 {m99:.1f} ms", f"{d50 / m50:,.0f}x faster than DuckDB; {same}"))
    rows.append((f"DuckDB {duckdb.__version__}: load the same NDJSON, both files (reference)", f"{load_s:.1f} s", "", ""))
    rows.append(("DuckDB: the same question from the raw events, matching people and schools (reference)",
                 f"p50 {d50:.0f} ms", f"max {max(duck_ms):.0f} ms", ""))
    if ours != duck_rows:
        diff = sorted(set(ours.items()) ^ set(duck_rows.items()))[:10]
        print(f"answers differ, first: {diff}", file=sys.stderr)

    if not args.keep:
        shutil.rmtree(roster, ignore_errors=True)
        for p in [events, http, *work.glob(f"usage-{n}.db*")]:
            p.unlink(missing_ok=True)
    print_table("Usage benchmark", ["what", "time", "peak RSS / p99", "rate / vs reference"], rows,
                f"; roster import before it {imported:.0f} s")


if __name__ == "__main__":
    main()
