#!/usr/bin/env python3
"""Rostering benchmark: prints one Markdown table.

Measures, in one run on this machine: `steward import oneroster` of generated districts of N students into SQLite
and into PostgreSQL (wall time and peak RSS of the process), a 1% delta, the OneRoster REST provider's latency (the
first `users?limit=1000` page, which takes the paging snapshot, then p50/p99 of 200 pages; the same for a filtered
query), and as the reference DuckDB (Python package) loading the same CSV files with `read_csv`. Not a test: nothing
here asserts a speed.

    python3 bench/roster.py [--students 100000,1000000] [--work DIR] [--no-postgres] [--keep]

Needs: cargo (builds the release binary), /usr/bin/time, a PostgreSQL server at STEWARD_BENCH_POSTGRES
(default postgres://postgres@127.0.0.1:5432) unless --no-postgres, and pip for duckdb.
"""

import argparse
import base64
import datetime
import http.client
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "steward"
PG = os.environ.get("STEWARD_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def sh(args, **kw):
    return subprocess.run(args, check=True, text=True, capture_output=True, **kw)


def timed(args, env=None):
    """Runs a command under /usr/bin/time; returns (seconds, peak RSS in MB, stdout)."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M", *map(str, args)], text=True, capture_output=True, env=env)
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, args))}\n{out.stderr[-3000:]}")
    seconds, kb = out.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024, out.stdout


def steward(db_url, *args):
    return [str(BIN), "--database-url", db_url, *map(str, args)]


def quiet_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("STEWARD_")}
    env["STEWARD_LOG"] = "warn"
    return env


def duckdb_load(folder):
    """Seconds for DuckDB to load every CSV of the set into tables, and the row count."""
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    rows = 0
    for csv in sorted(folder.glob("*.csv")):
        if csv.name == "manifest.csv":
            continue
        con.execute(f'CREATE TABLE "{csv.stem}" AS SELECT * FROM read_csv(?, header = true)', [str(csv)])
        rows += con.execute(f'SELECT COUNT(*) FROM "{csv.stem}"').fetchone()[0]
    return time.perf_counter() - start, rows


def sqlite_floor(folder, work):
    """Seconds for SQLite's own CSV loader (the `sqlite3` shell's `.import`, C, no validation) to load the same files
    into tables of text columns keyed by sourcedId, in one transaction in WAL mode: the floor any SQLite import
    stands on. None when the shell is not installed."""
    if shutil.which("sqlite3") is None:
        return None
    db = work / "sqlite-floor.db"
    for p in work.glob("sqlite-floor.db*"):
        p.unlink()
    script = ["PRAGMA journal_mode=WAL;", "PRAGMA synchronous=NORMAL;", "BEGIN;"]
    for csv in sorted(folder.glob("*.csv")):
        if csv.name == "manifest.csv":
            continue
        header = csv.open(encoding="utf-8-sig").readline().strip().split(",")
        cols = ", ".join(f'"{c}" TEXT' + (" PRIMARY KEY" if c == "sourcedId" else "") for c in header)
        script += [f'CREATE TABLE "{csv.stem}" ({cols});', f'.import --csv --skip 1 {csv} "{csv.stem}"']
    script.append("COMMIT;")
    start = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input="\n".join(script), text=True, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    for p in work.glob("sqlite-floor.db*"):
        p.unlink()
    return seconds


def fixture_product(db_path):
    """An approved, district-licensed product for the REST measurement, written straight into the SQLite file (the
    benchmark's own fixture; Steward's forms and API do the same with validation)."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    today = datetime.date.today()
    con = sqlite3.connect(db_path)
    cur = con.cursor()
    cur.execute("INSERT INTO vendors (name, created_at, updated_at) VALUES ('Bench Vendor', ?, ?)", (now, now))
    vendor = cur.lastrowid
    category = cur.execute("SELECT id FROM categories ORDER BY id LIMIT 1").fetchone()[0]
    cur.execute(
        "INSERT INTO products (name, vendor_id, category_id, grade_low, grade_high, wcag, dpa_status, essa_tier, "
        "status, scope, search_text, created_at, updated_at) VALUES ('Bench Reader', ?, ?, 0, 12, 'aa', 'signed', "
        "'none', 'approved', 'district_wide', 'bench reader', ?, ?)",
        (vendor, category, now, now),
    )
    product = cur.lastrowid
    for element in ["name", "email", "student_id", "grade_level"]:
        cur.execute("INSERT INTO product_tags (product_id, kind, value) VALUES (?, 'data_element', ?)", (product, element))
    cur.execute(
        "INSERT INTO contracts (product_id, school_id, license_model, cost_minor, currency, start_date, end_date, "
        "funding_source, auto_renew, notice_days, created_at, updated_at) VALUES (?, NULL, 'district', 100000, 'USD', "
        "?, ?, 'general_fund', 0, 30, ?, ?)",
        (product, str(today - datetime.timedelta(days=30)), str(today + datetime.timedelta(days=300)), now, now),
    )
    con.commit()
    con.close()
    return product


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def rest_latency(db_url, db_path, port):
    product = fixture_product(db_path)
    out = sh(steward(db_url, "api-client", "add", "--product", product, "--name", "bench"), env=quiet_env()).stdout
    client_id = next(l.split(": ", 1)[1] for l in out.splitlines() if l.startswith("Client id"))
    secret = next(l.split(": ", 1)[1] for l in out.splitlines() if l.startswith("Client secret"))
    server = subprocess.Popen(
        steward(db_url, "serve", "--bind", f"127.0.0.1:{port}"), env=quiet_env(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        conn = None
        for _ in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/health")
                if conn.getresponse().read() is not None:
                    break
            except OSError:
                time.sleep(0.05)
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        body = urllib.parse.urlencode({"grant_type": "client_credentials",
                                       "scope": "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly"})
        conn.request("POST", "/oauth/token", body, {"Authorization": f"Basic {basic}",
                                                    "Content-Type": "application/x-www-form-urlencoded"})
        token = json.loads(conn.getresponse().read())["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        def times(paths):
            out = []
            for path in paths:
                start = time.perf_counter()
                conn.request("GET", path, headers=headers)
                res = conn.getresponse()
                res.read()
                out.append((time.perf_counter() - start) * 1000)
                if res.status != 200:
                    sys.exit(f"{path} answered {res.status}")
            return out

        def measure(paths):
            t = times(paths)
            return percentile(t, 50), percentile(t, 99)

        base = "/ims/oneroster/rostering/v1p2"
        # The first request of a collection lists its ids (the paging snapshot); the pages after it read by id.
        cold = times([f"{base}/users?limit=1000&offset=0"])[0]
        pages = measure([f"{base}/users?limit=1000&offset={1000 * i}" for i in range(200)])
        flt = urllib.parse.quote("familyName='Garcia'")
        cold_filtered = times([f"{base}/users?limit=1000&filter={flt}&offset=0"])[0]
        filtered = measure([f"{base}/users?limit=1000&filter={flt}&offset={0}" for _ in range(100)])
        return cold, pages, cold_filtered, filtered
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", default="100000,1000000")
    ap.add_argument("--work", default="/tmp/steward-bench")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep generated sets and databases")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    sh(["cargo", "build", "--release", "-q", "-p", "steward-cli"], cwd=ROOT)
    try:
        import duckdb  # noqa: F401
    except ImportError:
        sh([sys.executable, "-m", "pip", "install", "--quiet", "--root-user-action=ignore", "duckdb"])
    import duckdb

    rows = []
    env = quiet_env()
    for n in [int(s) for s in args.students.split(",")]:
        folder, delta = work / f"district-{n}", work / f"delta-{n}"
        for d in (folder, delta):
            shutil.rmtree(d, ignore_errors=True)
        gen_s, _, _ = timed([BIN, "generate", "district", "--students", n, "--seed", 1, "--out", folder], env)
        timed([BIN, "generate", "delta", "--roster", folder, "--percent", 1, "--seed", 2, "--out", delta], env)
        size_mb = sum(f.stat().st_size for f in folder.glob("*.csv")) / 1e6
        duck_s, duck_rows = duckdb_load(folder)
        rows.append((f"{n:,} students: generate the set ({duck_rows:,} rows, {size_mb:,.0f} MB)", f"{gen_s:.1f} s", "", ""))
        rows.append((f"{n:,}: DuckDB {duckdb.__version__} `read_csv` of the same files (reference)", f"{duck_s:.1f} s", "", ""))
        floor_s = sqlite_floor(folder, work)
        if floor_s is not None:
            rows.append((f"{n:,}: SQLite's own `.import` of the same files, keyed, unvalidated (SQLite's floor)",
                         f"{floor_s:.1f} s", "", f"{floor_s / duck_s:.1f}× DuckDB"))

        db_path = work / f"steward-{n}.db"
        for p in work.glob(f"steward-{n}.db*"):
            p.unlink()
        url = f"sqlite:{db_path}"
        sql_s, sql_mb, _ = timed(steward(url, "import", "oneroster", folder), env)
        rows.append((f"{n:,}: import into SQLite (validated, every reference checked)", f"{sql_s:.1f} s",
                     f"{sql_mb:,.0f} MB", f"{sql_s / duck_s:.1f}× DuckDB"))
        d_s, d_mb, _ = timed(steward(url, "import", "oneroster", delta), env)
        rows.append((f"{n:,}: 1% delta into SQLite", f"{d_s:.2f} s", f"{d_mb:,.0f} MB", ""))
        if not args.no_postgres:
            name = f"steward_bench_{n}"
            admin = f"{PG}/postgres"
            sh(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"])
            sh(["psql", admin, "-qc", f"CREATE DATABASE {name}"])
            pg_s, pg_mb, _ = timed(steward(f"{PG}/{name}", "import", "oneroster", folder), env)
            rows.append((f"{n:,}: import into PostgreSQL", f"{pg_s:.1f} s", f"{pg_mb:,.0f} MB", f"{pg_s / duck_s:.1f}× DuckDB"))
            if not args.keep:
                sh(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"])
        cold, (p50, p99), cold_f, (f50, f99) = rest_latency(url, db_path, 18000 + n % 1000)
        rows.append((f"{n:,}: REST `users?limit=1000`, first page (takes the paging snapshot)", f"{cold:.0f} ms", "", ""))
        rows.append((f"{n:,}: REST `users?limit=1000`, 200 pages (SQLite)", f"p50 {p50:.1f} ms", f"p99 {p99:.1f} ms", ""))
        rows.append((f"{n:,}: REST `users?filter=familyName='Garcia'&limit=1000`, first (takes its snapshot)",
                     f"{cold_f:.0f} ms", "", ""))
        rows.append((f"{n:,}: REST `users?filter=familyName='Garcia'&limit=1000`, 100 times", f"p50 {f50:.1f} ms",
                     f"p99 {f99:.1f} ms", ""))
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(delta, ignore_errors=True)
            for p in work.glob(f"steward-{n}.db*"):
                p.unlink()

    print_table("Rostering benchmark", ["what", "time", "peak RSS / p99", "vs reference"], rows)


def print_table(title, header, rows, note=""):
    """The machine and the date, then the rows as one Markdown table."""
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"{title}, {datetime.date.today()}, {os.cpu_count()} cores ({cpu}), {platform.system()}{note}")
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
