#!/usr/bin/env python3
"""lueng benchmark harness: lueng against other load generators on the same target.

Sections (all by default, or name some on the command line):
  throughput  nginx on one core, each client on the other, N rounds, medians
  memory      RSS of lueng with many sleeping VUs and with VUs holding keep-alive connections
  data-memory RSS a 100,000-row lueng.data CSV adds (2 workers), with 2 and with 10,000 VUs
  fidelity    latency lueng and wrk report against hotel-mock adding a fixed latency
  startup     wall time of a one-iteration `lueng run` (hyperfine)
  open-model  the highest constant-arrival-rate one lueng worker sustains against nginx,
              the closed model's req/s next to it, and the CPU per iteration of the
              open model against the closed model paced to the same rates

Writes <out>/bench.json and <out>/bench.md and prints the markdown, ratios last.
Only the Python standard library; the clients come from tools/bench/install.sh.
"""

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BODY = b'{"status":"ok","service":"bench","items":[1,2,3]}\n'
NPM_PREFIX = Path(os.environ.get("LUENG_BENCH_NPM", Path.home() / ".cache/lueng-bench/npm"))


# --- processes ---------------------------------------------------------------------------


class Measured:
    """Outcome of one client process: exit status, output, CPU seconds, peak RSS."""

    def __init__(self, rc, out, err, user_s, sys_s, maxrss_kb, wall_s):
        self.rc, self.out, self.err = rc, out, err
        self.user_s, self.sys_s, self.cpu_s = user_s, sys_s, user_s + sys_s
        self.maxrss_kb, self.wall_s = maxrss_kb, wall_s


def run_measured(argv, timeout, cwd=None, env=None, nofile=None):
    """Runs argv to completion; CPU comes from wait4 of that very process (and the
    children it waited for), so nothing else on the machine is counted. Peak RSS is
    the process's own VmHWM, read every 20 ms until it exits: wait4's ru_maxrss is no
    measure, since Linux carries the forking Python's high-water mark across exec
    (every client showed this harness's 16.8 MiB)."""

    def limits():
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd, env=env,
                                preexec_fn=limits, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        peak_kb = 0
        while True:
            peak_kb = max(peak_kb, own_peak_rss_kb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, out.read().decode(errors="replace"),
                        err.read().decode(errors="replace"), usage.ru_utime, usage.ru_stime,
                        peak_kb, wall)


def own_peak_rss_kb(pid):
    """VmHWM of a running process (its own address space since exec), 0 once gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def pinned(core, argv):
    return ["taskset", "-c", str(core)] + argv


def stop(proc):
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- targets -----------------------------------------------------------------------------


NGINX_CONF = """\
{user}
worker_processes 1;
worker_rlimit_nofile 20000;
daemon off;
master_process off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 15000; multi_accept on; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body;
  proxy_temp_path {dir}/proxy;
  fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi;
  scgi_temp_path {dir}/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  default_type application/json;
  server {{
    listen 127.0.0.1:{port} backlog=16384 reuseport;
    root {dir}/www;
    location / {{ }}
  }}
}}
"""


class Nginx:
    """nginx-light, one process (no master), on one core, serving one small JSON file."""

    def __init__(self, core):
        self.dir = Path(tempfile.mkdtemp(prefix="lueng-bench-nginx-"))
        os.chmod(self.dir, 0o755)
        (self.dir / "www").mkdir()
        (self.dir / "www" / "bench.json").write_bytes(BODY)
        self.port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, dir=self.dir, port=self.port))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"

        def limits():
            resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))

        self.proc = subprocess.Popen(pinned(core, [nginx, "-p", str(self.dir), "-c", str(conf)]),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=limits)
        wait_for_port(self.port)
        self.url = f"http://127.0.0.1:{self.port}/bench.json"

    def close(self):
        stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


class HotelMock:
    def __init__(self, binary, core, latency=None):
        argv = [str(binary), "--listen", "127.0.0.1:0"]
        if latency:
            argv += ["--latency", f"default={latency}"]
        self.proc = subprocess.Popen(pinned(core, argv), stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not match:
            stop(self.proc)
            raise RuntimeError(f"hotel-mock did not start: {line!r}")
        self.port = int(match.group(1))
        self.url = f"http://127.0.0.1:{self.port}/health/live"

    def health_duration(self):
        """(sum seconds, count) of the health endpoint's server-side durations."""
        text = urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics").read().decode()
        total = count = 0.0
        for line in text.splitlines():
            if line.startswith('hotel_mock_request_duration_seconds_sum{endpoint="health"}'):
                total = float(line.split()[-1])
            if line.startswith('hotel_mock_request_duration_seconds_count{endpoint="health"}'):
                count = float(line.split()[-1])
        return total, count

    def close(self):
        stop(self.proc)


# --- clients -----------------------------------------------------------------------------


def count_or_fail(pattern, text, what):
    match = re.search(pattern, text)
    if not match:
        raise RuntimeError(f"{what}: no request count in its output:\n{text[-2000:]}")
    return int(match.group(1))


class Client:
    """name, how to build its command line, how to read its request count."""

    def __init__(self, name, command, parse, available=True, env=None, note=""):
        self.name, self.command, self.parse = name, command, parse
        self.available, self.env, self.note = available, env, note


def lueng_result(path):
    data = json.loads(Path(path).read_text())
    metrics = data["metrics"]
    requests = int(metrics.get("http_reqs", {}).get("values", {}).get("count", 0))
    failed = metrics.get("http_req_failed", {}).get("values", {}).get("passes", 0)
    return requests, int(failed), metrics.get("http_req_duration", {}).get("values", {})


def make_clients(args, work):
    lueng = str(args.lueng)
    scripts = HERE / "scripts"
    d, c = args.duration, args.connections
    autocannon = NPM_PREFIX / "node_modules" / ".bin" / "autocannon"

    def lueng_cmd(script, result):
        def build(url):
            return [lueng, "run", "--quiet", "--threads", "1", "-u", str(c), "-d", f"{d}s",
                    "-e", f"URL={url}", "--summary-export", str(work / result),
                    str(scripts / script)]

        return build

    def lueng_parse(result):
        return lambda m: lueng_result(work / result)[:2]

    def wrk_parse(m):
        total = count_or_fail(r"(\d+) requests in", m.out, "wrk")
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", m.out)
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                           m.out)
        failed = (int(bad.group(1)) if bad else 0) + (
            sum(int(x) for x in errors.groups()) if errors else 0)
        return total, failed

    def ab_parse(m):
        total = count_or_fail(r"Complete requests:\s+(\d+)", m.out, "ab")
        failed = re.search(r"Failed requests:\s+(\d+)", m.out)
        non2xx = re.search(r"Non-2xx responses:\s+(\d+)", m.out)
        return total, (int(failed.group(1)) if failed else 0) + (
            int(non2xx.group(1)) if non2xx else 0)

    def hey_parse(m):
        counts = {int(code): int(n) for code, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", m.out)}
        if not counts:
            raise RuntimeError(f"hey: no status counts in its output:\n{m.out[-2000:]}")
        return sum(counts.values()), sum(n for code, n in counts.items() if code != 200)

    def autocannon_parse(m):
        data = json.loads(m.out[m.out.index("{"):])
        return int(data["requests"]["total"]), int(data.get("non2xx", 0)) + int(
            data.get("errors", 0)) + int(data.get("timeouts", 0))

    def locust_parse(m):
        path = work / "locust_stats.csv"
        for line in path.read_text().splitlines()[1:]:
            cells = line.split(",")
            if cells[1].strip('"') == "Aggregated":
                return int(cells[2]), int(cells[3])
        raise RuntimeError("locust: no Aggregated row in its stats")

    locust_env = dict(os.environ, PYTHONWARNINGS="ignore")
    return [
        Client("lueng (scripted VU)", lueng_cmd("get_check.lua", "scripted.json"),
               lueng_parse("scripted.json")),
        Client("lueng (discard bodies)", lueng_cmd("get_discard.lua", "discard.json"),
               lueng_parse("discard.json")),
        Client("wrk", lambda url: ["wrk", "-t1", f"-c{c}", f"-d{d}s", url], wrk_parse,
               shutil.which("wrk")),
        Client("wrk (Lua script)",
               lambda url: ["wrk", "-t1", f"-c{c}", f"-d{d}s", "-s",
                                 str(scripts / "wrk_check.lua"), url], wrk_parse,
               shutil.which("wrk")),
        Client("ab -k", lambda url: ["ab", "-q", "-k", "-c", str(c), "-t", str(d), "-n",
                                          "5000000", url], ab_parse, shutil.which("ab")),
        Client("hey", lambda url: ["hey", "-z", f"{d}s", "-c", str(c), url], hey_parse,
               shutil.which("hey")),
        Client("autocannon", lambda url: [str(autocannon), "-c", str(c), "-d", str(d), "-j",
                                               url], autocannon_parse, autocannon.exists()),
        Client("Locust FastHttpUser",
               lambda url: ["locust", "-f", str(scripts / "locustfile.py"), "--headless",
                                 "-u", str(c), "-r", str(c), "-t", f"{d}s", "--host",
                                 url.rsplit("/", 1)[0], "--csv", str(work / "locust"),
                                 "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "0"],
               locust_parse, shutil.which("locust"), env=locust_env),
    ]


# --- sections ----------------------------------------------------------------------------


def throughput(args, work, log):
    server = Nginx(args.server_core)
    clients = [c for c in make_clients(args, work) if c.available]
    skipped = [c.name for c in make_clients(args, work) if not c.available]
    samples = {c.name: [] for c in clients}
    try:
        for round_ in range(1, args.rounds + 1):
            for client in clients:
                argv = pinned(args.client_core, client.command(server.url))
                m = run_measured(argv, timeout=args.duration * 4 + 60, cwd=work, env=client.env)
                try:
                    requests, failed = client.parse(m)
                except Exception as error:  # a client that breaks is reported, not fatal
                    log(f"  round {round_} {client.name}: FAILED rc={m.rc}: {error}\n"
                        f"{m.err[-1000:]}")
                    continue
                sample = {
                    "requests": requests,
                    "failed": failed,
                    "req_per_s": requests / args.duration,
                    "cpu_s": m.cpu_s,
                    "user_us_per_req": m.user_s * 1e6 / requests if requests else None,
                    "sys_us_per_req": m.sys_s * 1e6 / requests if requests else None,
                    "cpu_us_per_req": m.cpu_s * 1e6 / requests if requests else None,
                    "peak_rss_kb": m.maxrss_kb,
                    "wall_s": m.wall_s,
                }
                samples[client.name].append(sample)
                log(f"  round {round_} {client.name:24} {sample['req_per_s']:9.0f} req/s "
                    f"{sample['cpu_us_per_req'] or 0:7.2f} us/req cpu "
                    f"{m.maxrss_kb / 1024:7.1f} MiB rss, failed {failed}")
    finally:
        server.close()

    rows = []
    for name, runs in samples.items():
        if not runs:
            continue
        rows.append({
            "client": name,
            "rounds": len(runs),
            "req_per_s": statistics.median(r["req_per_s"] for r in runs),
            "cpu_us_per_req": statistics.median(r["cpu_us_per_req"] for r in runs),
            "user_us_per_req": statistics.median(r["user_us_per_req"] for r in runs),
            "sys_us_per_req": statistics.median(r["sys_us_per_req"] for r in runs),
            "peak_rss_kb": statistics.median(r["peak_rss_kb"] for r in runs),
            "failed": sum(r["failed"] for r in runs),
            "runs": runs,
        })
    return {"target": f"nginx-light, one process, static {len(BODY)}-byte JSON, keep-alive",
            "connections": args.connections, "duration_s": args.duration,
            "rounds": args.rounds, "server_core": args.server_core,
            "client_core": args.client_core, "skipped": skipped, "clients": rows}


def rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def settled_rss(argv, nofile=None, env=None, limit_s=120.0, probe=None):
    """Starts argv, waits until its RSS stops growing for 3 s, returns (kB, seconds,
    what probe() said just before the process was stopped)."""

    def limits():
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=limits, env=env)
    start = time.monotonic()
    best, best_at = 0, start
    try:
        while time.monotonic() - start < limit_s:
            if proc.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited early ({proc.returncode}): "
                                   f"{proc.stderr.read().decode(errors='replace')[-500:]}")
            value = rss_kb(proc.pid) or 0
            now = time.monotonic()
            if value > best * 1.002:
                best, best_at = max(best, value), now
            elif now - best_at > 3.0 and now - start > 4.0:
                break
            time.sleep(0.2)
        return best, best_at - start, probe() if probe else None
    finally:
        proc.kill()
        proc.wait()


def memory(args, work, log):
    lueng = str(args.lueng)
    scripts = HERE / "scripts"
    result = {"threads": 1, "sleeping": [], "keep_alive": None}

    def lueng_argv(script, vus, url="http://127.0.0.1:9/"):
        return [lueng, "run", "--quiet", "--threads", "1", "-u", str(vus), "-d", "10m",
                "-e", f"URL={url}", str(scripts / script)]

    base, _, _ = settled_rss(lueng_argv("sleep.lua", 1))
    result["baseline_rss_kb"] = base
    log(f"  1 sleeping VU: {base / 1024:.1f} MiB")
    for vus in args.memory_vus:
        rss, took, _ = settled_rss(lueng_argv("sleep.lua", vus))
        per_vu = (rss - base) * 1024 / (vus - 1)
        result["sleeping"].append({"vus": vus, "rss_kb": rss, "bytes_per_vu": per_vu,
                                   "settled_after_s": took})
        log(f"  {vus} sleeping VUs: {rss / 1024:.1f} MiB, {per_vu:.0f} bytes per VU")

    server = Nginx(args.server_core)
    try:
        vus = args.keep_alive_vus
        rss, took, open_conns = settled_rss(lueng_argv("hold_connection.lua", vus, server.url),
                                            nofile=20000,
                                            probe=lambda: count_established(server.port))
        per_vu = (rss - base) * 1024 / (vus - 1)
        result["keep_alive"] = {"vus": vus, "rss_kb": rss, "bytes_per_vu": per_vu,
                                "established_connections_seen": open_conns,
                                "settled_after_s": took}
        log(f"  {vus} VUs holding a connection: {rss / 1024:.1f} MiB, {per_vu:.0f} bytes per VU")
    finally:
        server.close()
    return result


def million(args, work, log):
    """One lueng process holding args.million_vus sleeping VUs: how fast they are
    created and what each costs. The creation time is the first second of the result's
    time series whose `vus` reached the target (so it is rounded up to a second); the
    RSS is the process's own peak."""
    lueng = str(args.lueng)
    vus, hold = args.million_vus, args.million_hold
    result_path = work / "million.json"
    argv = [lueng, "run", "--quiet", "--threads", str(os.cpu_count() or 1), "-e", f"VUS={vus}",
            "-e", f"HOLD={hold}s", "--summary-export", str(result_path),
            str(HERE / "scripts" / "million.lua")]
    base = run_measured([lueng, "run", "--quiet", "--threads", "1", "-e", "VUS=1", "-e",
                         "HOLD=2s", str(HERE / "scripts" / "million.lua")], timeout=60)
    launched_ms = time.time() * 1000
    m = run_measured(argv, timeout=hold * 10 + 120)
    if m.rc not in (0,):
        raise RuntimeError(f"lueng -u {vus} exited {m.rc}: {m.err[-500:]}")
    data = json.loads(result_path.read_text())
    series = data.get("time_series", [])
    # The test clock starts once every VU is built (k6's init phase): what comes
    # before it is creation, what comes after its end is stopping and freeing them.
    built_s = (data["start_unix_ms"] - launched_ms) / 1000
    # Second t's VU count is sampled as that second starts (second 0: at the start).
    reached = next((p["t"] for p in series if p.get("vus", 0) >= vus), None)
    result = {"vus": vus, "hold_s": hold, "threads": os.cpu_count() or 1,
              "wall_s": m.wall_s, "cpu_s": m.cpu_s, "peak_rss_kb": m.maxrss_kb,
              "baseline_rss_kb": base.maxrss_kb,
              "bytes_per_vu": (m.maxrss_kb - base.maxrss_kb) * 1024 / max(vus - 1, 1),
              "built_s": built_s,
              "all_running_s": built_s + reached if reached is not None else None,
              "vus_created_per_s": vus / built_s if built_s > 0 else None,
              "ended_s": m.wall_s - built_s - data["duration_seconds"]}
    log(f"  {vus} sleeping VUs: built in {built_s:.2f} s, all running {reached} s later, peak "
        f"{m.maxrss_kb / 1024:.0f} MiB ({result['bytes_per_vu']:.0f} bytes per VU), "
        f"a {hold} s test took {m.wall_s:.1f} s, {result['ended_s']:.2f} s of it after the end")
    return result


def threads(args, work, log):
    """lueng's scripted VU against nginx with --threads 1, 2 and the core count: req/s
    and CPU per request. nginx runs on the same machine, so with fewer free cores than
    threads + 1 the figures show contention, not scaling (the report says so)."""
    cores = os.cpu_count() or 1
    counts = sorted({1, 2, cores})
    server = Nginx(args.server_core)
    rows = {n: [] for n in counts}
    try:
        for round_ in range(1, args.rounds + 1):
            for n in counts:
                result_path = work / f"threads-{n}.json"
                argv = [str(args.lueng), "run", "--quiet", "--threads", str(n), "-u",
                        str(args.connections), "-d", f"{args.duration}s", "-e",
                        f"URL={server.url}", "--summary-export", str(result_path),
                        str(HERE / "scripts" / "get_check.lua")]
                m = run_measured(argv, timeout=args.duration * 4 + 60)
                requests, failed, _ = lueng_result(result_path)
                rows[n].append({"req_per_s": requests / args.duration,
                                "cpu_us_per_req": m.cpu_s * 1e6 / requests if requests else None,
                                "failed": failed})
                log(f"  round {round_} --threads {n}: {requests / args.duration:9.0f} req/s "
                    f"{rows[n][-1]['cpu_us_per_req'] or 0:7.2f} us/req cpu")
    finally:
        server.close()
    table = []
    for n in counts:
        runs = [r for r in rows[n] if r["cpu_us_per_req"]]
        if runs:
            table.append({"threads": n, "rounds": len(runs),
                          "req_per_s": statistics.median(r["req_per_s"] for r in runs),
                          "cpu_us_per_req": statistics.median(r["cpu_us_per_req"] for r in runs),
                          "failed": sum(r["failed"] for r in runs)})
    return {"cores": cores, "connections": args.connections, "duration_s": args.duration,
            "rows": table}


def write_guests_csv(path, rows):
    """A CSV of `rows` hotel guests, about 100 bytes a row, some fields quoted."""
    countries = ["AR", "BR", "MX", "CL", "ES", "US"]
    with open(path, "w") as f:
        f.write("id,name,email,phone,document,country,nights,vip,notes\n")
        for i in range(1, rows + 1):
            note = '"Late arrival, after 22:00"' if i % 7 == 0 else ""
            f.write(f"{i},Guest Number {i},guest.{i}@example.com,+54911{i:08d},DNI {30000000 + i},"
                    f"{countries[i % 6]},{i % 9 + 1},{'true' if i % 5 == 0 else 'false'},{note}\n")
    return path.stat().st_size


def data_memory(args, work, log):
    """RSS with and without a shared CSV, at 2 VUs and at many, on 2 workers: the data
    set's cost is the difference at 2 VUs, and many VUs reading it must add only
    what as many VUs cost without it."""
    lueng = str(args.lueng)
    csv_path = work / "guests-100k.csv"
    size = write_guests_csv(csv_path, args.data_rows)
    script = HERE / "scripts" / "data_rows.lua"

    def rss(vus, with_data, read_row=True):
        argv = [lueng, "run", "--quiet", "--threads", "2", "-u", str(vus), "-d", "10m"]
        if with_data:
            argv += ["-e", f"DATA_CSV={csv_path}"]
        if not read_row:
            argv += ["-e", "READ_ROW=0"]
        kb, _, _ = settled_rss(argv + [str(script)])
        log(f"  {vus} VUs, {'with' if with_data else 'without'} the CSV"
            f"{'' if read_row else ', not reading it'}: {kb / 1024:.1f} MiB")
        return kb

    few, many = 2, args.data_vus
    result = {"threads": 2, "rows": args.data_rows, "file_bytes": size, "vus": many}
    result["rss_kb"] = {"few_without": rss(few, False), "few_with": rss(few, True),
                        "many_without": rss(many, False), "many_with": rss(many, True),
                        "many_with_unread": rss(many, True, read_row=False)}
    r = result["rss_kb"]
    # What many VUs add with the data set loaded but not read: the VUs' own cost.
    result["vus_cost_with_unread_kb"] = r["many_with_unread"] - r["few_with"]
    result["data_set_kb"] = r["few_with"] - r["few_without"]
    result["vus_cost_without_kb"] = r["many_without"] - r["few_without"]
    result["vus_cost_with_kb"] = r["many_with"] - r["few_with"]
    result["budget_kb"] = 1.5 * size / 1024 + 5 * 1024
    log(f"  the CSV ({size / 2**20:.1f} MiB) adds {result['data_set_kb'] / 1024:.1f} MiB "
        f"(budget {result['budget_kb'] / 1024:.1f}); {many - few} more VUs cost "
        f"{result['vus_cost_with_kb'] / 1024:.1f} MiB with it, "
        f"{result['vus_cost_without_kb'] / 1024:.1f} MiB without")
    return result


def count_established(port):
    out = subprocess.run(["ss", "-Htn", "state", "established", f"( dport = :{port} )"],
                         capture_output=True, text=True).stdout
    return len(out.splitlines())


def wrk_percentiles(text):
    found = {}
    for label, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\b", text, re.M):
        scale = {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
        found[label] = float(value) * scale
    return found


def fidelity(args, work, log):
    mock_bin = str(args.hotel_mock)
    lueng = str(args.lueng)
    d = args.duration
    # Saturation of the mock on its core, without added latency.
    mock = HotelMock(mock_bin, args.server_core)
    try:
        m = run_measured(pinned(args.client_core, ["wrk", "-t1", "-c50", f"-d{d}s", mock.url]),
                         timeout=d * 4 + 30)
        saturation = count_or_fail(r"(\d+) requests in", m.out, "wrk") / d
    finally:
        mock.close()
    latency_ms = args.latency_ms
    connections = max(1, round(saturation * 0.5 * latency_ms / 1000.0))
    log(f"  hotel-mock saturates at {saturation:.0f} req/s; {connections} connections with "
        f"{latency_ms} ms added give about half of it")

    # Two loads: a light one (the client's own overhead, almost no server queueing)
    # and about half of saturation (the issue's operating point).
    result = {"latency_ms": latency_ms, "saturation_req_per_s": saturation,
              "connections": connections, "light_connections": args.light_connections,
              "clients": []}
    mock = HotelMock(mock_bin, args.server_core, f"{latency_ms}ms")
    try:
        for load, conns in (("light", args.light_connections), ("half", connections)):
            runs = [
                ("lueng", [lueng, "run", "--quiet", "--threads", "1", "-u", str(conns), "-d",
                           f"{d}s", "-e", f"URL={mock.url}", "--summary-export",
                           str(work / "fidelity.json"), str(HERE / "scripts" / "get_check.lua")]),
                ("wrk", ["wrk", "-t1", f"-c{conns}", f"-d{d}s", "--latency", mock.url]),
            ]
            for name, argv in runs:
                before = mock.health_duration()
                m = run_measured(pinned(args.client_core, argv), timeout=d * 4 + 60)
                after = mock.health_duration()
                served = after[1] - before[1]
                server_mean = (after[0] - before[0]) / served * 1e3 if served else None
                if name == "lueng":
                    requests, _, values = lueng_result(work / "fidelity.json")
                    p50, p99 = values.get("med"), values.get("p(99)")
                else:
                    requests = count_or_fail(r"(\d+) requests in", m.out, "wrk")
                    pct = wrk_percentiles(m.out)
                    p50, p99 = pct.get("50"), pct.get("99")
                row = {"client": name, "load": load, "connections": conns,
                       "req_per_s": requests / d, "server_mean_ms": server_mean,
                       "p50_ms": p50, "p99_ms": p99,
                       "p50_minus_server_ms": p50 - server_mean if p50 and server_mean else None,
                       "p99_minus_server_ms": p99 - server_mean if p99 and server_mean else None}
                result["clients"].append(row)
                log(f"  {load} load, {name}: {row['req_per_s']:.0f} req/s, server mean "
                    f"{server_mean:.3f} ms, p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    finally:
        mock.close()
    return result


def startup(args, work, log):
    server = Nginx(args.server_core)
    try:
        command = (f"{args.lueng} run --quiet --threads 1 -i 1 -u 1 -e URL={server.url} "
                   f"{HERE / 'scripts' / 'get_check.lua'}")
        export = work / "hyperfine.json"
        subprocess.run(["hyperfine", "--style", "none", "-N", "--warmup", "3", "--runs",
                        str(args.startup_runs), "--export-json", str(export), command],
                       check=True, stdout=subprocess.DEVNULL)
        data = json.loads(export.read_text())["results"][0]
        result = {"command": command.replace(server.url, "URL"),
                  "mean_ms": data["mean"] * 1e3, "median_ms": data["median"] * 1e3,
                  "stddev_ms": (data.get("stddev") or 0) * 1e3, "min_ms": data["min"] * 1e3,
                  "max_ms": data["max"] * 1e3, "runs": len(data["times"])}
        log(f"  one-iteration run: median {result['median_ms']:.1f} ms, "
            f"min {result['min_ms']:.1f} ms")
        return result
    finally:
        server.close()


def arrival_result(path):
    """What an open- or closed-model run of lueng did, from its result file."""
    metrics = json.loads(Path(path).read_text())["metrics"]

    def value(name, field, default=0):
        return metrics.get(name, {}).get("values", {}).get(field, default)

    return {"iterations": int(value("iterations", "count")),
            "dropped": int(value("dropped_iterations", "count")),
            "failed": int(value("http_req_failed", "passes")),
            "lag_p50_ms": value("iteration_start_lag", "med", None),
            "lag_p99_ms": value("iteration_start_lag", "p(99)", None),
            "lag_max_ms": value("iteration_start_lag", "max", None),
            "vus_max": int(value("vus", "max")),
            "req_duration_p99_ms": value("http_req_duration", "p(99)", None)}


def machine_busy_s():
    """CPU seconds the whole machine has been busy (steal included), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid):
    """user + sys CPU seconds of a running process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class QuietWait:
    """Waits until the machine is less than `share` busy, spending at most `budget_s`
    seconds over all calls: a machine that never quiets down costs that once."""

    def __init__(self, share, budget_s, log):
        self.share, self.left, self.log = share, budget_s, log
        self.waited = 0.0  # seconds spent here so far

    def spent(self):
        return self.left <= 0

    def __call__(self, sample_s=0.5):
        while True:
            started = time.monotonic()
            before = machine_busy_s()
            time.sleep(sample_s)
            busy = (machine_busy_s() - before) / (sample_s * os.cpu_count())
            if busy < self.share or self.spent():
                self.charge(time.monotonic() - started)
                return busy
            self.log(f"    machine {busy:.0%} busy, waiting")
            time.sleep(2.0)
            self.charge(time.monotonic() - started)

    def charge(self, seconds):
        self.left -= seconds
        self.waited += seconds


def open_model(args, work, log, report):
    """The open model (constant-arrival-rate) on one worker against nginx: the highest
    rate it sustains, the closed model's req/s next to it, and the CPU per iteration of
    both models at the same rates."""
    lueng, scripts = str(args.lueng), HERE / "scripts"
    vus, max_vus = args.connections, args.open_max_vus
    runs = [0]
    wait_quiet = QuietWait(args.quiet_share, args.quiet_wait, log)

    def run(script, rate, duration):
        runs[0] += 1
        result = work / f"open-model-{runs[0]}.json"
        argv = [lueng, "run", "--quiet", "--threads", "1", "-e", f"URL={server.url}",
                "-e", f"RATE={rate}", "-e", f"DURATION={duration}s", "-e", f"VUS={vus}",
                "-e", f"MAX_VUS={max_vus}", "--summary-export", str(result), str(scripts / script)]
        busy_before, nginx_before = machine_busy_s(), process_cpu_s(server.proc.pid)
        m = run_measured(pinned(args.client_core, argv), timeout=duration * 4 + 60, cwd=work)
        # What other processes took from the two cores meanwhile: the noise of this run.
        others = (machine_busy_s() - busy_before - m.cpu_s
                  - (process_cpu_s(server.proc.pid) - nginx_before))
        if not result.exists():
            raise RuntimeError(f"lueng {script} at {rate}/s wrote no result (rc={m.rc}):\n"
                               f"{m.err[-1000:]}")
        out = arrival_result(result)
        out.update(rate=rate, duration_s=duration, rc=m.rc, cpu_s=m.cpu_s, user_s=m.user_s,
                   sys_s=m.sys_s, wall_s=m.wall_s,
                   others_share=max(0.0, others) / (m.wall_s * os.cpu_count()))
        return out

    def probe(rate):
        """Runs the open model at `rate`; a failure while other processes took more than
        --quiet-share of the machine is tried again (--open-retries times)."""
        for attempt in range(args.open_retries + 1):
            wait_quiet()
            r = attempt_rate(rate)
            r["attempt"] = attempt + 1
            if r["sustained"] or r["others_share"] <= args.quiet_share or wait_quiet.spent():
                break
            log(f"    {rate:7d}/s: others took {r['others_share']:.0%} of the machine, again")
        return r

    def attempt_rate(rate):
        r = run("open_model.lua", rate, args.open_step)
        scheduled = rate * args.open_step
        reasons = []
        if r["dropped"] > args.open_max_dropped * scheduled:
            reasons.append(f"dropped {r['dropped']}")
        # Arrivals neither started nor counted as dropped would pass the drop test.
        if r["iterations"] < (1 - args.open_max_dropped) * scheduled:
            reasons.append(f"{r['iterations']} of {scheduled} iterations")
        if r["lag_p99_ms"] is None or r["lag_p99_ms"] >= args.open_max_lag_ms:
            reasons.append(f"lag p99 {r['lag_p99_ms'] or 0:.2f} ms")
        if r["rc"] != 0:
            reasons.append(f"exit {r['rc']}")
        r.update(scheduled=scheduled, sustained=not reasons, why="; ".join(reasons))
        log(f"    {rate:7d}/s: {'sustained' if not reasons else 'not sustained: ' + r['why']} "
            f"({r['iterations']} iterations, {r['dropped']} dropped, lag p50 "
            f"{r['lag_p50_ms'] or 0:.3f} p99 {r['lag_p99_ms'] or 0:.3f} ms; others "
            f"{r['others_share']:.0%})")
        return r

    def search(round_):
        """Doubles from --open-rate-start until a rate is not sustained, then bisects
        to --open-resolution; stops early after --open-budget seconds (not counting
        the waits for a quiet machine)."""
        started = time.monotonic() - wait_quiet.waited
        probes, lo, hi, rate = [], 0, None, args.open_rate_start
        while rate <= args.open_rate_cap:
            probes.append(probe(rate))
            if not probes[-1]["sustained"]:
                hi = rate
                break
            lo, rate = rate, rate * 2
        if hi is None:
            log(f"  round {round_}: sustained up to the cap, {args.open_rate_cap}/s")
            return lo, probes, "cap"
        while hi - lo > args.open_resolution * max(lo, 1):
            if time.monotonic() - wait_quiet.waited - started > args.open_budget:
                log(f"  round {round_}: search budget of {args.open_budget} s spent")
                return lo, probes, "budget"
            mid = (lo + hi) // 2
            probes.append(probe(mid))
            lo, hi = (mid, hi) if probes[-1]["sustained"] else (lo, mid)
        return lo, probes, "resolution"

    def cpu_per_iteration(script, rate):
        """(CPU of a long run - CPU of a 1 s run) / (iterations of the one - of the other):
        start-up, the VUs' creation and shutdown cancel out."""
        short = run(script, rate, 1)
        long = run(script, rate, args.open_cpu_duration)
        extra = long["iterations"] - short["iterations"]
        return {"cpu_us_per_iteration": (long["cpu_s"] - short["cpu_s"]) * 1e6 / extra
                if extra > 0 else None,
                "cpu_us_per_iteration_whole_run": long["cpu_s"] * 1e6 / long["iterations"]
                if long["iterations"] else None,
                "achieved_per_s": extra / (args.open_cpu_duration - 1),
                "short": short, "long": long}

    result = {"threads": 1, "target": f"nginx-light, one process, static {len(BODY)}-byte JSON",
              "pre_allocated_vus": vus, "max_vus": max_vus, "step_s": args.open_step,
              "criterion": {"max_dropped_fraction": args.open_max_dropped,
                            "max_lag_p99_ms": args.open_max_lag_ms},
              "rounds": args.rounds, "cpu_duration_s": args.open_cpu_duration,
              "quiet_share": args.quiet_share, "retries": args.open_retries,
              "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}
    server = Nginx(args.server_core)
    try:
        searches = []
        for round_ in range(1, args.rounds + 1):
            log(f"  round {round_}: searching the highest sustained rate")
            found, probes, ended = search(round_)
            searches.append({"rate_max": found, "ended_by": ended, "probes": probes})
            log(f"  round {round_}: {found}/s")
        result["searches"] = searches
        result["rate_max"] = int(statistics.median(s["rate_max"] for s in searches))

        closed = next((c for c in (report.get("throughput") or {}).get("clients", [])
                       if c["client"] == "lueng (scripted VU)"), None)
        if closed:
            result["closed"] = {"from": "throughput", "vus": report["throughput"]["connections"],
                                "duration_s": report["throughput"]["duration_s"],
                                "req_per_s": closed["req_per_s"],
                                "cpu_us_per_req": closed["cpu_us_per_req"],
                                "rounds": closed["rounds"]}
        else:
            samples = []
            for round_ in range(1, args.rounds + 1):
                wait_quiet()
                argv = [lueng, "run", "--quiet", "--threads", "1", "-u", str(vus), "-d",
                        f"{args.duration}s", "-e", f"URL={server.url}", "--summary-export",
                        str(work / "closed.json"), str(scripts / "get_check.lua")]
                m = run_measured(pinned(args.client_core, argv), timeout=args.duration * 4 + 60,
                                 cwd=work)
                requests, failed, _ = lueng_result(work / "closed.json")
                samples.append({"req_per_s": requests / args.duration, "failed": failed,
                                "cpu_us_per_req": m.cpu_s * 1e6 / requests if requests else None})
                log(f"  closed model, {vus} VUs, round {round_}: "
                    f"{samples[-1]['req_per_s']:.0f} req/s")
            result["closed"] = {"from": "open-model", "vus": vus, "duration_s": args.duration,
                                "req_per_s": statistics.median(s["req_per_s"] for s in samples),
                                "cpu_us_per_req": statistics.median(
                                    s["cpu_us_per_req"] for s in samples),
                                "rounds": len(samples), "runs": samples}
        result["rate_max_over_closed"] = result["rate_max"] / result["closed"]["req_per_s"]
        log(f"  open model sustains {result['rate_max']}/s; the closed model makes "
            f"{result['closed']['req_per_s']:.0f} req/s")

        rates = sorted({r for r in args.open_cpu_rates + [result["rate_max"]] if r > 0})
        cells = {rate: [] for rate in rates}
        for round_ in range(1, args.rounds + 1):
            for rate in rates:
                # Alternate which model goes first, so a drift of the machine's load
                # does not always favour the same one.
                models = [("open", "open_model.lua"), ("closed", "closed_paced.lua")]
                if round_ % 2 == 0:
                    models.reverse()
                for attempt in range(args.open_retries + 1):
                    wait_quiet()
                    pair = {name: cpu_per_iteration(script, rate) for name, script in models}
                    pair["others_share"] = max(pair[name][run_]["others_share"]
                                               for name in ("open", "closed")
                                               for run_ in ("short", "long"))
                    pair["attempt"] = attempt + 1
                    if pair["others_share"] <= args.quiet_share or wait_quiet.spent():
                        break
                    log(f"  round {round_} {rate:6d}/s: others took up to "
                        f"{pair['others_share']:.0%} of the machine, again")
                o, c = pair["open"]["cpu_us_per_iteration"], pair["closed"]["cpu_us_per_iteration"]
                pair["ratio"] = o / c if o and c else None
                cells[rate].append(pair)
                log(f"  round {round_} {rate:6d}/s: open {o or 0:6.2f} us, closed {c or 0:6.2f} "
                    f"us per iteration, ratio {pair['ratio'] or 0:.3f}; others up to "
                    f"{pair['others_share']:.0%}")
        rows = []
        for rate in rates:
            pairs = cells[rate]

            def med(model, field):
                values = [p[model][field] for p in pairs if p[model][field] is not None]
                return statistics.median(values) if values else None

            ratios = [p["ratio"] for p in pairs if p["ratio"] is not None]
            rows.append({
                "rate": rate, "is_rate_max": rate == result["rate_max"],
                "open_cpu_us_per_iteration": med("open", "cpu_us_per_iteration"),
                "closed_cpu_us_per_iteration": med("closed", "cpu_us_per_iteration"),
                "ratio": statistics.median(ratios) if ratios else None,
                "ratio_min": min(ratios, default=None), "ratio_max": max(ratios, default=None),
                "open_achieved_per_s": med("open", "achieved_per_s"),
                "closed_achieved_per_s": med("closed", "achieved_per_s"),
                "open_dropped": sum(p["open"]["long"]["dropped"] for p in pairs),
                "open_lag_p99_ms": statistics.median(p["open"]["long"]["lag_p99_ms"] or 0
                                                     for p in pairs),
                "others_share_max": max(p["others_share"] for p in pairs),
                "rounds": pairs,
            })
        result["cpu"] = rows
        result["target_ratio"] = args.open_target_ratio
        result["target_met"] = all(r["ratio"] is not None and r["ratio"] <= args.open_target_ratio
                                   for r in rows)
    finally:
        server.close()
    result["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["quiet_wait_left_s"] = round(wait_quiet.left, 1)
    return result


# --- report ------------------------------------------------------------------------------


def machine():
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()
    return {"cpu": model, "cores": os.cpu_count(), "kernel": os.uname().release,
            "loadavg_at_start": [round(x, 2) for x in load],
            "mem_total_mib": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20}


def markdown(report):
    lines = []
    t = report.get("throughput")
    if t:
        lines += [f"### Throughput: {t['connections']} connections, {t['duration_s']} s, "
                  f"median of {t['rounds']} rounds", "",
                  "| client | req/s | CPU µs/request | user + sys µs | peak RSS MiB | failed |",
                  "|---|---:|---:|---:|---:|---:|"]
        for r in t["clients"]:
            lines.append(f"| {r['client']} | {r['req_per_s']:.0f} | {r['cpu_us_per_req']:.2f} | "
                         f"{r['user_us_per_req']:.2f} + {r['sys_us_per_req']:.2f} | "
                         f"{r['peak_rss_kb'] / 1024:.1f} | {r['failed']} |")
        if t["skipped"]:
            lines.append(f"\nNot installed, skipped: {', '.join(t['skipped'])}")
        lines.append("")
    mem = report.get("memory")
    if mem:
        lines += ["### Memory (lueng, --threads 1)", "",
                  "| VUs | state | RSS MiB | bytes per VU |", "|---:|---|---:|---:|",
                  f"| 1 | sleeping | {mem['baseline_rss_kb'] / 1024:.1f} | |"]
        for r in mem["sleeping"]:
            lines.append(f"| {r['vus']} | sleeping | {r['rss_kb'] / 1024:.1f} | "
                         f"{r['bytes_per_vu']:.0f} |")
        k = mem.get("keep_alive")
        if k:
            lines.append(f"| {k['vus']} | holding a keep-alive connection "
                         f"({k['established_connections_seen']} seen) | {k['rss_kb'] / 1024:.1f} | "
                         f"{k['bytes_per_vu']:.0f} |")
        lines.append("")
    mv = report.get("million")
    if mv:
        lines += [f"### {mv['vus']:,} sleeping VUs (--threads {mv['threads']}, a {mv['hold_s']} s test)",
                  "", "| built in s | all running by s | VUs built per second | peak RSS MiB | "
                  "bytes per VU | stopped and freed in s | wall time s | CPU s |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|",
                  f"| {mv['built_s']:.2f} | {mv['all_running_s'] or 0:.2f} | "
                  f"{mv['vus_created_per_s'] or 0:,.0f} | {mv['peak_rss_kb'] / 1024:.0f} | "
                  f"{mv['bytes_per_vu']:.0f} | {mv['ended_s']:.2f} | {mv['wall_s']:.1f} | "
                  f"{mv['cpu_s']:.1f} |", "",
                  "Built: from the launch to the test clock's start (every VU built, k6's init "
                  "phase). All running: plus the start of the first second of the result's "
                  "time series with every VU running. Stopped and freed: the wall "
                  "time after the test's end.", ""]
    th = report.get("threads")
    if th:
        lines += [f"### --threads scaling: scripted VU against nginx, {th['connections']} VUs, "
                  f"{th['duration_s']} s ({th['cores']} cores)", "",
                  "| --threads | req/s | CPU µs/request | failed |", "|---:|---:|---:|---:|"]
        for r in th["rows"]:
            lines.append(f"| {r['threads']} | {r['req_per_s']:.0f} | "
                         f"{r['cpu_us_per_req']:.2f} | {r['failed']} |")
        lines += ["", f"nginx shares these {th['cores']} cores: with threads + 1 > cores the "
                  "rows show contention for cores, not how lueng scales; CPU per request "
                  "is what each added thread costs. Re-run on a machine with more cores "
                  "than threads + nginx workers to read scaling.", ""]
    d = report.get("data-memory")
    if d:
        r = d["rss_kb"]
        lines += [f"### Memory of a shared data set (lueng.data, {d['rows']:,} rows, "
                  f"{d['file_bytes'] / 2**20:.1f} MiB CSV, --threads 2)", "",
                  "| VUs | RSS MiB without the CSV | RSS MiB with it | difference MiB |",
                  "|---:|---:|---:|---:|",
                  f"| 2 | {r['few_without'] / 1024:.1f} | {r['few_with'] / 1024:.1f} | "
                  f"{(r['few_with'] - r['few_without']) / 1024:.1f} |",
                  f"| {d['vus']} | {r['many_without'] / 1024:.1f} | {r['many_with'] / 1024:.1f} | "
                  f"{(r['many_with'] - r['many_without']) / 1024:.1f} |",
                  f"| {d['vus']}, not reading it | {r['many_without'] / 1024:.1f} | "
                  f"{r['many_with_unread'] / 1024:.1f} | "
                  f"{(r['many_with_unread'] - r['many_without']) / 1024:.1f} |", "",
                  f"Budget for the data set: 1.5 × the file + 5 MiB = {d['budget_kb'] / 1024:.1f} MiB.", ""]
    f = report.get("fidelity")
    if f:
        lines += [f"### Fidelity: hotel-mock adding {f['latency_ms']:g} ms (saturation "
                  f"{f['saturation_req_per_s']:.0f} req/s without it)", "",
                  "| client | connections | req/s | server mean ms | p50 ms | p99 ms | "
                  "p50 − server | p99 − server |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in f["clients"]:
            lines.append(f"| {r['client']} | {r['connections']} | {r['req_per_s']:.0f} | "
                         f"{r['server_mean_ms']:.3f} | "
                         f"{r['p50_ms']:.3f} | {r['p99_ms']:.3f} | "
                         f"{r['p50_minus_server_ms']:+.3f} | {r['p99_minus_server_ms']:+.3f} |")
        lines.append("")
    s = report.get("startup")
    if s:
        lines += ["### One-iteration `lueng run` (hyperfine)", "",
                  f"median {s['median_ms']:.1f} ms, mean {s['mean_ms']:.1f} ± "
                  f"{s['stddev_ms']:.1f} ms, min {s['min_ms']:.1f} ms ({s['runs']} runs)", ""]
    o = report.get("open-model")
    if o:
        crit = o["criterion"]
        closed = o["closed"]
        lines += [f"### Open model: constant-arrival-rate on one worker (--threads 1), "
                  f"median of {o['rounds']} rounds", "",
                  f"Highest rate sustained (at most {crit['max_dropped_fraction']:.0%} dropped, "
                  f"iteration_start_lag p(99) < {crit['max_lag_p99_ms']:g} ms, {o['step_s']} s "
                  f"per rate, preAllocatedVUs {o['pre_allocated_vus']}, maxVUs {o['max_vus']}): "
                  f"**{o['rate_max']}/s** (rounds: "
                  f"{', '.join(str(s['rate_max']) for s in o['searches'])}).", "",
                  f"Closed model, {closed['vus']} VUs without sleep: "
                  f"**{closed['req_per_s']:.0f} req/s**, {closed['cpu_us_per_req']:.2f} µs CPU "
                  f"per request ({'the throughput section' if closed['from'] == 'throughput' else 'measured here'}); "
                  f"open / closed = {o['rate_max_over_closed']:.2f}.", "",
                  f"CPU per iteration (user + sys of lueng from wait4, a {o['cpu_duration_s']} s run "
                  f"less a 1 s run), the open model against constant-vus paced to the same rate:", "",
                  "| rate /s | open µs/iteration | closed µs/iteration | open / closed (range) | "
                  "open lag p99 ms | open dropped | closed achieved /s | others, at most |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|"]

        def num(value, fmt):
            return format(value, fmt) if value is not None else "–"

        for r in o["cpu"]:
            label = f"{r['rate']} (max)" if r["is_rate_max"] else str(r["rate"])
            lines.append(f"| {label} | {num(r['open_cpu_us_per_iteration'], '.2f')} | "
                         f"{num(r['closed_cpu_us_per_iteration'], '.2f')} | "
                         f"{num(r['ratio'], '.3f')} ({num(r['ratio_min'], '.2f')}–"
                         f"{num(r['ratio_max'], '.2f')}) | {num(r['open_lag_p99_ms'], '.2f')} | "
                         f"{r['open_dropped']} | {num(r['closed_achieved_per_s'], '.0f')} | "
                         f"{r['others_share_max']:.0%} |")
        lines += ["", f"Target open / closed <= {o['target_ratio']:g} at every rate: "
                  f"{'met' if o['target_met'] else 'not met'}. Load average "
                  f"{o['loadavg_at_start'][0]:.2f} at the start of the section, "
                  f"{o['loadavg_at_end'][0]:.2f} at its end. \"others\" is the share of the "
                  f"two cores that other processes took during a run (from /proc/stat, less "
                  f"lueng and nginx); a run above {o['quiet_share']:.0%} was repeated up to "
                  f"{o['retries']} times. The searches (rate, outcome, others):", ""]
        for i, search in enumerate(o["searches"], 1):
            steps = ", ".join(f"{p['rate']} {'ok' if p['sustained'] else 'no (' + p['why'] + ')'}"
                              f" {p['others_share']:.0%}" for p in search["probes"])
            lines.append(f"- round {i}: {steps}")
        lines.append("")
    ratios = report.get("ratios")
    if ratios:
        lines += ["### lueng / wrk (same run)", ""]
        for name, value in ratios.items():
            lines.append(f"- {name}: {value:.2f}")
        lines.append("")
    return "\n".join(lines)


def ratios(report):
    t = report.get("throughput")
    if not t:
        return {}
    by = {r["client"]: r for r in t["clients"]}
    wrk = by.get("wrk")
    if not wrk:
        return {}
    out = {}
    for name in ("lueng (scripted VU)", "lueng (discard bodies)"):
        if name in by:
            out[f"{name} CPU per request / wrk"] = by[name]["cpu_us_per_req"] / wrk[
                "cpu_us_per_req"]
            out[f"{name} req/s / wrk"] = by[name]["req_per_s"] / wrk["req_per_s"]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*",
                        help="throughput, memory, million, threads, data-memory, fidelity, "
                             "startup, open-model (default: all)")
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--lueng", type=Path, help="default: BUILD/lueng")
    parser.add_argument("--hotel-mock", type=Path, help="default: BUILD/tools/hotel-mock/hotel-mock")
    parser.add_argument("--duration", type=int, default=10, help="seconds per client run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--client-core", type=int, default=1)
    parser.add_argument("--memory-vus", type=int, nargs="+", default=[10000, 50000, 100000])
    parser.add_argument("--keep-alive-vus", type=int, default=10000)
    parser.add_argument("--million-vus", type=int, default=1_000_000,
                        help="million: sleeping VUs of one process")
    parser.add_argument("--million-hold", type=int, default=5,
                        help="million: seconds the test lasts")
    parser.add_argument("--data-rows", type=int, default=100000, help="data-memory: rows of the CSV")
    parser.add_argument("--data-vus", type=int, default=10000, help="data-memory: the many VUs")
    parser.add_argument("--latency-ms", type=float, default=10.0)
    parser.add_argument("--light-connections", type=int, default=10)
    parser.add_argument("--startup-runs", type=int, default=30)
    parser.add_argument("--open-rate-start", type=int, default=1000,
                        help="open-model: the first rate tried, doubled until not sustained")
    parser.add_argument("--open-rate-cap", type=int, default=1_000_000)
    parser.add_argument("--open-resolution", type=float, default=0.04,
                        help="open-model: bisect until the bounds are this fraction apart")
    parser.add_argument("--open-step", type=int, default=4, help="open-model: seconds per rate tried")
    parser.add_argument("--open-budget", type=float, default=120.0,
                        help="open-model: seconds of bisection per round at most")
    parser.add_argument("--open-max-dropped", type=float, default=0.01,
                        help="open-model: sustained means at most this fraction dropped")
    parser.add_argument("--open-max-lag-ms", type=float, default=5.0,
                        help="open-model: ... and iteration_start_lag p(99) below this")
    parser.add_argument("--open-max-vus", type=int, default=1000)
    parser.add_argument("--open-cpu-rates", type=int, nargs="+", default=[1000, 5000],
                        help="open-model: rates of the CPU comparison, besides the highest")
    parser.add_argument("--open-cpu-duration", type=int, default=6,
                        help="open-model: seconds of each CPU run (less a 1 s run)")
    parser.add_argument("--open-target-ratio", type=float, default=1.05)
    parser.add_argument("--open-retries", type=int, default=2,
                        help="open-model: runs disturbed by other processes are repeated this often")
    parser.add_argument("--quiet-share", type=float, default=0.1,
                        help="open-model: a run is disturbed when other processes took more than "
                             "this share of the machine's cores")
    parser.add_argument("--quiet-wait", type=float, default=300.0,
                        help="open-model: seconds spent at most waiting for a quiet machine "
                             "and repeating disturbed runs")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench")
    args = parser.parse_args()
    # Absolute paths: clients start under taskset and in other working directories.
    args.build = args.build.resolve()
    args.lueng = (args.lueng or args.build / "lueng").resolve()
    mock = args.hotel_mock or args.build / "tools" / "hotel-mock" / "hotel-mock"
    args.hotel_mock = mock.resolve()
    args.out = args.out.resolve()
    known = {"throughput": throughput, "memory": memory, "million": million,
             "threads": threads, "data-memory": data_memory,
             "fidelity": fidelity,
             "startup": startup, "open-model": open_model}
    sections = args.sections or list(known)
    for section in sections:
        if section not in known:
            sys.exit(f"bench: unknown section '{section}' (one of {', '.join(known)})")
    if args.open_cpu_duration < 2:
        sys.exit("bench: --open-cpu-duration must be at least 2 (a 1 s run is subtracted)")
    if not args.lueng.exists():
        sys.exit(f"bench: {args.lueng} not found (build first, or pass --lueng)")
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="lueng-bench-"))

    def log(text):
        print(text, file=sys.stderr, flush=True)

    report = {"machine": machine(), "lueng": str(args.lueng),
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    try:
        for section in sections:
            log(f"bench: {section}")
            if section == "open-model":  # reuses the closed model of throughput
                report[section] = open_model(args, work, log, report)
            else:
                report[section] = known[section](args, work, log)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["ratios"] = ratios(report)
    text = markdown(report)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "bench.md").write_text(text + "\n")
    print(text)
    log(f"bench: wrote {args.out / 'bench.json'} and {args.out / 'bench.md'}")


if __name__ == "__main__":
    main()
