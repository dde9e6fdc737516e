#!/usr/bin/env python3
"""LTI launch benchmark: prints a Markdown table, then where a launch's time goes.

Measures full platform-side LTI 1.3 launches per second over loopback, as a tool drives them for a signed-in
teacher: `GET /launch/{product}?class=…` (login initiation, a 303 to the tool's login URL, whose query is parsed:
no request goes to the tool) then `GET /lti/authorize?…` with a nonce used once, answered by the form holding the
RS256 id_token (checked present in every answer; one id_token is verified against `/lti/jwks`). That pair is one
launch. For each number of launches in flight (1, 8, 32 by default) it reports launches/s, p50/p99 of the pair and
of each request, the usage events the launches added (each launch stores one), and the CPU the server and the load
generator used per launch. The load generator is the Rust example `crates/steward-server/examples/lti_load.rs` (one
thread), on the same machine as the server. Then a second server, logging every SQL statement (sqlx at debug level),
serves 20 launches one at a time: the statements, rows and database time of each of the two requests are tallied.
Not a test: nothing here asserts a speed.

    python3 bench/lti.py [--launches 5000] [--concurrency 1,8,32] [--work DIR] [--port PORT] [--keep]

Setup: the demo district (`steward demo --build-only`) in a fresh SQLite file, an account made with `steward user
add` for a rostered teacher (same e-mail as the roster person), a tool registered with `steward lti-tool add` for an
app on that teacher's launchpad, and `steward serve` with `STEWARD_PUBLIC_URL` set to its own address.

Needs: cargo (builds the release binary and the example), /usr/bin/time, pip for requests.
"""

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from roster import ROOT, print_table, quiet_env, sh, steward, timed  # noqa: E402

LOAD = ROOT / "target" / "release" / "examples" / "lti_load"
PASSWORD = "steward-bench-lti-2026"
CLIENT_ID = "bench-tool"
LOGIN_URL = "https://tool.example/login"
REDIRECT = "https://tool.example/launch"
TARGET = 1_000


def rostered_teachers(db):
    """Rostered teachers with an e-mail and active classes, with the Steward id of their classes' school; those
    teaching the most classes first."""
    con = sqlite3.connect(db)
    rows = con.execute(
        """SELECT u.email, MIN(o.id), COUNT(DISTINCT e.class_sourced_id) AS classes
           FROM roster_users u
           JOIN roster_enrollments e ON e.user_sourced_id = u.sourced_id AND e.status = 'active' AND e.role = 'teacher'
           JOIN roster_classes c ON c.sourced_id = e.class_sourced_id AND c.status = 'active'
           JOIN orgs o ON o.sourced_id = c.school_sourced_id
           WHERE u.status = 'active' AND u.email IS NOT NULL AND u.email <> ''
             AND lower(u.email) NOT IN (SELECT lower(email) FROM users)
           GROUP BY u.email ORDER BY classes DESC, u.email LIMIT 20"""
    ).fetchall()
    con.close()
    return rows


def usage_events(db):
    con = sqlite3.connect(db)
    n = con.execute("SELECT COUNT(*) FROM usage_events").fetchone()[0]
    con.close()
    return n


def launchpad_apps(base, email):
    """The (product id, class sourcedId) pairs on the person's launchpad, signed in through the form."""
    import requests

    s = requests.Session()
    page = s.get(f"{base}/sign-in").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = s.post(f"{base}/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": csrf},
               allow_redirects=False)
    if r.status_code != 303:
        sys.exit(f"signing in as {email} answered {r.status_code}")
    page = s.get(f"{base}/launchpad").text
    return [(int(p), urllib.parse.unquote(c)) for p, c in re.findall(r'href="/launch/(\d+)\?class=([^"&]+)"', page)]


def serve(url, port, env, log):
    """`steward serve` on the port, its public URL its own address; what it logs (on standard output) into `log`."""
    env = {**env, "STEWARD_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    with open(log, "w") as out:
        server = subprocess.Popen(steward(url, "serve", "--bind", f"127.0.0.1:{port}"), env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    wait_healthy(f"http://127.0.0.1:{port}", server)
    return server


def stop(server):
    server.terminate()
    server.wait()


def load(base, email, product, klass, launches, concurrency, server_pid=None):
    """Runs the load generator; returns its JSON lines."""
    cmd = [str(LOAD), "run", "--base", base, "--email", email, "--password", PASSWORD, "--product", str(product),
           "--class", klass, "--client-id", CLIENT_ID, "--redirect-uri", REDIRECT, "--launches", str(launches),
           "--concurrency", str(concurrency)]
    if server_pid is not None:
        cmd += ["--server-pid", str(server_pid)]
    out = subprocess.run(cmd, text=True, capture_output=True)
    if out.returncode != 0:
        sys.exit(f"lti_load failed:\n{out.stderr[-3000:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def statements(url, port, env, work, email, product, klass, launches=20):
    """The SQL statements each of the two requests runs, from sqlx's statement log (a server logging them at
    debug level, launches one at a time): per request, the average number of statements, of rows they returned,
    and of milliseconds sqlx timed them (slower than unlogged), over the last `launches` launches; and the
    statements of one /launch with their rows."""
    log = work / "statements.log"
    server = serve(url, port, {**env, "STEWARD_LOG": "warn,sqlx::query=debug"}, log)
    try:
        load(f"http://127.0.0.1:{port}", email, product, klass, launches, 1)
    finally:
        stop(server)
    pattern = re.compile(r'summary="(.*?)" db\.statement="(.*?)" rows_affected=\d+ rows_returned=(\d+) '
                         r'elapsed=\S+ elapsed_secs=(\S+)')
    requests, current = [], None
    for line in re.sub(r"\x1b\[[0-9;]*m", "", log.read_text()).splitlines():
        m = pattern.search(line)
        if not m:
            continue
        sql = " ".join(m.group(2).replace("\\n", " ").split()) or m.group(1)
        # Every request of a signed-in browser starts by looking its session up.
        if "FROM sessions s JOIN users u" in sql:
            current = []
            requests.append(current)
        if current is not None:
            current.append((sql, int(m.group(3)), float(m.group(4)) * 1000))
    requests = requests[-2 * launches:]
    out = {}
    # The authentication request stores its nonce; the launch before it does not. Launches' usage events are
    # written behind, in batches, and counted with the request whose statements surround them.
    def authorizes(r):
        return any("INSERT INTO lti_used_values" in s for s, _, _ in r)
    for name, is_it in (("/launch", lambda r: not authorizes(r)), ("/lti/authorize", authorizes)):
        mine = [r for r in requests if is_it(r)]
        if mine:
            n = len(mine)
            out[name] = (sum(map(len, mine)) / n, sum(x[1] for r in mine for x in r) / n,
                         sum(x[2] for r in mine for x in r) / n, mine[-1])
    return out


def table_of(sql):
    """The table a statement is about: the one it writes, else the first it reads outside parentheses."""
    m = re.search(r"(?:INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)", sql)
    if m:
        return f"`{m.group(1)}`"
    tokens, depth = re.findall(r"\(|\)|[^\s()]+", sql), 0
    for i, token in enumerate(tokens[:-1]):
        depth += {"(": 1, ")": -1}.get(token, 0)
        if depth == 0 and token.upper() == "FROM":
            return f"`{tokens[i + 1]}`"
    return f"`{sql[:30]}`"


def wait_healthy(base, server):
    import requests

    for _ in range(600):
        if server.poll() is not None:
            sys.exit(f"steward serve stopped ({server.returncode})")
        try:
            if requests.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.05)
    sys.exit("steward serve did not answer /health")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--launches", type=int, default=5000, help="measured launches per concurrency")
    ap.add_argument("--concurrency", default="1,8,32", help="launches in flight, comma-separated")
    ap.add_argument("--work", default="/tmp/steward-bench-lti")
    ap.add_argument("--port", type=int, default=18779)
    ap.add_argument("--keep", action="store_true", help="keep the database")
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    try:
        import requests  # noqa: F401
    except ImportError:
        sh([sys.executable, "-m", "pip", "install", "--quiet", "--root-user-action=ignore", "requests"])

    sh(["cargo", "build", "--release", "-q", "-p", "steward-cli"], cwd=ROOT)
    sh(["cargo", "build", "--release", "-q", "-p", "steward-server", "--example", "lti_load"], cwd=ROOT)
    env = quiet_env()
    db = work / "lti.db"
    for p in work.glob("lti.db*"):
        p.unlink()
    url = f"sqlite:{db}"
    demo_s, _, _ = timed(steward(url, "demo", "--build-only"), env)

    # The demo's own accounts are not on its roster: a rostered teacher gets an account, under the roster's e-mail.
    teachers = rostered_teachers(db)
    if not teachers:
        sys.exit("no rostered teacher with an e-mail and classes in the demo district")

    base = f"http://127.0.0.1:{args.port}"
    server = serve(url, args.port, env, work / "server.log")
    try:
        chosen = None
        for email, school, _ in teachers:
            sh(steward(url, "user", "add", "--email", email, "--role", "teacher", "--school", school,
                       "--password-stdin"), input=PASSWORD, env=env)
            apps = launchpad_apps(base, email)
            if apps:
                chosen = (email, *apps[0])
                break
        if chosen is None:
            sys.exit(f"none of {len(teachers)} rostered teachers has an app on their launchpad")
        email, product, klass = chosen
        jwk = work / "tool-jwk.json"
        jwk.write_text(sh([LOAD, "jwk"]).stdout)
        sh(steward(url, "lti-tool", "add", "--product", product, "--name", "Bench Tool", "--client-id", CLIENT_ID,
                   "--deployment", "bench-deployment", "--login-url", LOGIN_URL, "--redirect-uri", REDIRECT,
                   "--target-link-uri", REDIRECT, "--public-jwk-file", jwk), env=env)

        rows, verified, server_ms = [], None, []
        for c in [int(x) for x in args.concurrency.split(",")]:
            before = usage_events(db)
            events = load(base, email, product, klass, args.launches, c, server.pid)
            # Launches are stored as usage events behind the answers, a quarter of a second at most later.
            time.sleep(1.0)
            added = usage_events(db) - before
            verified = verified or next(e for e in events if e["event"] == "verified")
            level = next(e for e in events if e["event"] == "level")
            # Every launch the run made: the verified one, the warm-up and the measured ones.
            made = 1 + min(c * 20, args.launches) + level["ok"]
            tick = os.sysconf("SC_CLK_TCK")

            def per(ticks):
                return f"{ticks / tick * 1000 / max(level['ok'], 1):.1f}" if ticks is not None else "?"

            if level["server_ticks"] is not None and level["ok"]:
                server_ms.append(level["server_ticks"] / tick * 1000 / level["ok"])
            errors = f"{level['errors']:,}" + (f" ({'; '.join(level['first_errors'])})" if level["errors"] else "")
            rows.append((
                f"{c}",
                f"{level['ok']:,}",
                f"**{level['per_second']:,.0f}**",
                f"{level['per_second'] / TARGET:.2f}×",
                f"{level['p50_ms']:.2f} / {level['p99_ms']:.2f} ms",
                f"{level['login_p50_ms']:.2f} / {level['login_p99_ms']:.2f} ms",
                f"{level['authorize_p50_ms']:.2f} / {level['authorize_p99_ms']:.2f} ms",
                errors,
                f"{added:,} of {made:,}",
                f"{per(level['server_ticks'])} / {per(level['generator_ticks'])}",
            ))
    finally:
        stop(server)
    errors = [l for l in (work / "server.log").read_text().splitlines() if "ERROR" in l]
    if errors:
        print(f"the server logged {len(errors)} errors, first: {errors[0]}", file=sys.stderr)
    profile = statements(url, args.port, env, work, email, product, klass)

    if not args.keep:
        for p in work.glob("lti.db*"):
            p.unlink()
    print_table(
        "LTI launch benchmark",
        ["in flight", "launches", "launches/s", f"vs target {TARGET:,}/s", "launch p50 / p99",
         "`/launch` p50 / p99", "`/lti/authorize` p50 / p99", "errors", "usage events added",
         "CPU ms per launch: server / generator"],
        rows,
        f"; demo district built in {demo_s:.0f} s",
    )
    print()
    print(f"One launch = `GET /launch/{product}?class=…` (303 to the tool's login URL) + `GET /lti/authorize?…` "
          f"(200, the form with the RS256 id_token), over loopback, one signed-in teacher ({email}), "
          f"{args.launches:,} launches per row after a warm-up; each answer checked to hold an id_token.")
    print(f"One id_token verified against `/lti/jwks` (RS256, kid {verified['kid']}, iss {verified['iss']}, "
          f"aud {CLIENT_ID}, nonce): sub {verified['sub']}, {verified['message_type']}, context "
          f"{verified['context']}, {verified['bytes']:,} bytes.")
    print(f"Server and load generator share the machine's {os.cpu_count()} cores: the generator "
          f"(`examples/lti_load.rs`, one thread, reqwest) takes the CPU shown, which the server does not get. "
          f"Usage events added include the warm-up and the verified launch.")
    if server_ms:
        least = min(server_ms)
        print(f"The server's CPU per launch, at least {least:.1f} ms, bounds it at about "
              f"{os.cpu_count() * 1000 / least:,.0f} launches/s with all {os.cpu_count()} cores to itself; "
              f"{TARGET:,}/s needs at most {os.cpu_count() * 1000 / TARGET:.1f} ms per launch.")
    print()
    print("Where a launch's time goes: the SQL statements of each request, from sqlx's statement log (a second server "
          "logging every statement, 20 launches one at a time, averaged; its timings include the logging).")
    print()
    print("| request | SQL statements | rows returned | DB ms (sqlx) | heaviest statements: table, rows, ms |")
    print("|---|---|---|---|---|")
    for name, (count, returned, ms, one) in profile.items():
        heavy = sorted(one, key=lambda x: -x[2])[:5]
        what = "; ".join(f"{table_of(sql)} {n:,} rows {t:.1f} ms" for sql, n, t in heavy)
        print(f"| `{name}` | {count:.0f} | {returned:,.0f} | {ms:.1f} | {what} |")


if __name__ == "__main__":
    main()
