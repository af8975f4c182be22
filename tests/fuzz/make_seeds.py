#!/usr/bin/env python3
"""Writes the hand-made seed inputs of tests/fuzz/corpus/<target>/seed-*.

Run it again after changing a seed here; regression inputs the fuzzers found
(crash-*, slow-*) live next to the seeds and are never touched by this script.
Several targets read their options from the input's last bytes with
FuzzedDataProvider, which takes integers from the end, most significant byte
last; `tail` builds those bytes."""

import gzip
import json
import os
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def tail(*values):
    """Bytes that FuzzedDataProvider reads back as `values`, (value, byte count)
    pairs in the order the target consumes them."""
    out = b""
    for value, size in values:
        out = value.to_bytes(size, "big")[::-1] + out
    return out


def reads(*sizes):
    """The read-size bytes of response_reader and hotel_mock_request: a count
    (0..16, one byte) and one byte per read (1..64)."""
    return tail((len(sizes), 1), *[(s - 1, 1) for s in sizes])


def response_reader_seeds():
    def response(stream, *split, head=False, discard=False, small_limit=None):
        # Flags, the small body limit when flag 4 asks for one (1..64), then the reads.
        flags = (1 if head else 0) | (2 if discard else 0) | (4 if small_limit else 0)
        options = tail((flags, 1), *([(small_limit - 1, 1)] if small_limit else []))
        return stream + reads(*split) + options

    hello = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world"
    repeated = b"HTTP/1.1 200 OK\r\nServer: s\r\nContent-Length:  5 \r\nX: v\r\n\r\nhello"
    gz = gzip.compress(b'{"status":"ok","items":[1,2,3]}' * 4, mtime=0)
    deflated = zlib.compress(b"<html>" + b"x" * 200 + b"</html>")
    chunked = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Trace:  a b  \r\n\r\n"
               b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\n")
    return {
        "content-length": response(hello, 5, 7, 1),
        "chunked": response(chunked, 3, 17, 2, 40),
        "gzip": response(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
                         + str(len(gz)).encode() + b"\r\n\r\n" + gz, 30, 9),
        "deflate-chunked": response(
            b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n"
            + f"{len(deflated):x}".encode() + b"\r\n" + deflated + b"\r\n0\r\n\r\n", 11),
        "continue": response(b"HTTP/1.1 100 Continue\r\n\r\n" + hello, 25),
        "head": response(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n", head=True),
        "until-eof": response(b"HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nthe rest is body", 20),
        "keep-alive-pair": response(hello + b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop",
                                    len(hello), 10),
        "not-modified": response(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 123\r\n\r\n"),
        "too-large": response(hello, small_limit=4),
        "gzip-discarded": response(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n" + gz,
                                   discard=True),
        "bad-gzip": response(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 6"
                             b"\r\n\r\nnotgz!"),
        "malformed": response(b"HTTP/1.1 2x0 OK\r\n\r\n"),
        "both-lengths": response(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: "
                                 b"chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
        # One response three times, each in one read: the later heads come from the memo.
        "repeated-heads": response(repeated * 3, len(repeated)),
    }


def url_seeds():
    return {
        "plain": b"http://example.com/path?q=1",
        "ipv6-port-escape": "https://[::1]:8443/a b/caf\u00e9?x=\u00f1#frag".encode(),
        "empty-port": b"HTTP://Host.Example:/",
        "credentials": b"https://user:pw@x/",
        "dot-segments": b"http://a/b/c/d;p?q\n../../g/./h/..",
        "network-path": b"http://a/b/c/d;p?q\n//other:81/x?y#z",
        "query-only": b"http://a:8080/b\n?y=1",
        "absolute": b"https://a/b\nHTTP://B/c",
    }


def cookie_seeds():
    # now: a recent clock (8 bytes); URL choice per line: 4 bits each.
    clock = tail((1_750_000_000, 8), (0x543210, 4))
    return {
        "session": b"session=abc; Path=/; HttpOnly\nid=1; Domain=.example.com; Max-Age=3600; "
                   b"Secure\nold=x; Expires=Wed, 21 Oct 2015 07:28:00 GMT" + clock,
        "attributes": b'quoted="v v"; path=/cart; domain=shop.example.com; max-age=-1\n'
                      b"x=1; Expires=Sunday, 06-Nov-94 08:49:37 GMT; Max-Age=99999999999999999999\n"
                      b"y=2; expires=Sun Nov  6 08:49:37 1994\n =nameless\nnovalue" + clock,
        "foreign-domain": b"a=1; Domain=evil.com\nb=2; Domain=127.0.0.1\nc=3; Domain=com" + clock,
    }


def threshold_seeds():
    table = {
        "http_reqs": "count>10",
        "http_req_duration{name:a}": [
            "p(95)<300",
            {"1": "p(99)<500", "warn": "p(99)<400", "priority": "P1", "abort_on_fail": True,
             "delay_abort_eval": "10s", "description": "tail", "allow_empty": True},
            {"threshold": "max<900", "abortOnFail": True, "delayAbortEval": 1500}],
        "http_req_failed": "rate<0.01",
        "vus": "value<=100",
        "my_trend{step:login}": {"1": "avg<100", "warn": "med<50"},
    }
    return {
        "percentile": b"p(99.9)<=300",
        "spaces": b" avg  <  12.5 ",
        "rate": b"rate>0.99",
        "count": b"count==0",
        "not-equal": b"value!=1e3",
        "selector": b"http_req_duration{status:200,method:GET}",
        "selector-spaces": b"checks{ name : my check }",
        "selector-quoted": b"http_req_duration{status:\"200\",name:'a b'}",
        "selector-empty-name": b"m{:1}",
        "strict-equal": b"rate===1",
        "table": json.dumps(table).encode(),
        "window": json.dumps({
            "http_req_failed": ["rate<0.01", {"1": "rate<0.05", "window": "30s",
                                              "abort_on_fail": True, "delay_abort_eval": "10s"}],
            "http_reqs": {"1": "rate>10", "warn": "count>100", "window": 2000},
            "http_req_duration": {"1": "avg<300", "warn": "max<900", "window": "3s"},
            "checks": {"1": "rate>0.9", "window": "1s"},
        }).encode(),
        "window-bad": json.dumps({
            "http_req_failed{status:500}": {"1": "rate<0.05", "window": "1.5s"},
        }).encode(),
    }


def duration_seeds():
    return {name: text.encode() for name, text in {
        "combined": "2h3m4.5s", "millis": "250ms", "micro": "3us", "micro-sign": "3\u00b5s",
        "nanos": "100ns", "bare": "30", "fraction": "1.5m", "size": "64MiB", "size-space": "1.5 MB",
        "days": "1d2h30m", "days-negative": "-1d2h", "plus": "+5s", "exponent": "1e3",
        "micro-greek": "3\u03bcs",
    }.items()}


def segment_seeds():
    # A segment, a newline, a sequence (tests/fuzz/fuzz_segment.cpp); or an instant.
    return {name: text.encode() for name, text in {
        "thirds": "1/3:2/3\n0,1/3,2/3,1", "percent": "50%:75%\n0,50%,75%,1",
        "decimal": "0.3:0.5\n0,0.3,0.5,0.6,0.7,0.8,0.9,1", "to-only": "2/3\n",
        "exponent": "5e-1:1\n", "uneven": "1/13:2/13\n0,1/13,2/13,1/3,1/2,3/4,1",
        "rfc3339": "2026-12-02T14:00:00Z", "offset": "2026-12-02T15:00:00.250+01:00",
        "unix": "1796220000.5",
    }.items()}


def option_levels_seeds():
    # A config file's JSON, a blank line, K6_* variables (tests/fuzz/fuzz_option_levels.cpp).
    return {name: text.encode() for name, text in {
        "file-only": '{"vus": 2, "duration": "2m", "tags": {"team": "qa"}}',
        "env-only": "null\n\nK6_VUS=5\nK6_ITERATIONS=15\nK6_TAGS=a:b,c:d:e",
        "stages": '{"scenarios": {"s": {"executor": "constant-vus"}}}\n\n'
                  "K6_STAGES=2m30s:11,1h1m:100\nK6_VUS=0",
        "stage-line": "{}\n\n100s:100,0m30s:0",
        "booleans": '{"setup_timeout": "1s", "noSetup": null}\n\n'
                    "K6_NO_SETUP=true\nK6_SETUP_TIMEOUT=10000\nK6_DNS=ttl=5",
        "error": "options: iterations (6) must not be fewer than vus (10)\n\n"
                 "K6_VUS=10\nK6_ITERATIONS=6",
    }.items()}


def json_seeds():
    return {
        "object": b'{"a":[1,2,{"b":null}],"c":"d","e":true,"f":false,"g":-0.5e-3}',
        "unicode": '{"text":"Hola, \u00bfhay caba\u00f1a? \U0001F3D4","esc":"\\u00e9\\ud83c\\udfd4"}'
                   .encode(),
        "numbers": b"[0,-0,1e300,12345678901234567890,9007199254740993,-9223372036854775808,1.5]",
        "nulls-in-arrays": b'[null,1,null,[],{},[[null]],{"1":"a","2":"b"}]',
        "nul-byte": b'["a\\u0000b"]',
        "deep": b"[" * 1000 + b"]" * 1000,
        "too-deep": b'{"a":' * 1001 + b"1" + b"}" * 1001,
    }


def result_reader_seeds():
    histogram = {"sub_bucket_bits": 6, "count": 3, "sum": 36.0, "min": 2.0, "max": 30.0,
                 "buckets": [[129, 1], [450, 1], [600, 1]]}
    result = {
        "schema": "lueng.result/1", "lueng_version": "0.1.0", "script": "load.lua",
        "host": "ci", "start_unix_ms": 1750000000000, "end_unix_ms": 1750000010000,
        "duration_seconds": 10.0, "interrupted": False, "interrupt_reason": "", "exit_code": 1,
        "workers": 2, "max_vus": 5, "random_seed": 42, "overflowed_tag_sets": 0,
        "dropped_samples": 0, "options": {"vus": 5, "duration": "10s", "thresholds": {
            "http_req_duration": ["p(95)<20"]}},
        "scenarios": [{"name": "default", "executor": "ramping-vus", "vus": 5, "iterations": 0,
                       "duration_seconds": 10, "start_time_seconds": 0,
                       "graceful_stop_seconds": 30, "tags": {"kind": "load"}, "start_target": 0,
                       "stages": [{"duration_seconds": 5, "target": 5},
                                  {"duration_seconds": 5, "target": 0}],
                       "breaking_point": {"p95_ms": 25.5, "error_rate": 0.1}}],
        "metrics": {
            "http_req_duration": {"type": "trend", "contains": "time", "values": {},
                                  "histogram": histogram,
                                  "series": [{"tags": {"status": "200"}, "values": {},
                                              "histogram": histogram}],
                                  "submetrics": [{"tags": {"status": "200"}, "values": {},
                                                  "histogram": histogram}]},
            "http_reqs": {"type": "counter", "values": {"count": 3, "samples": 3}},
            "http_req_failed": {"type": "rate", "values": {"passes": 1, "fails": 2}},
            "vus": {"type": "gauge", "values": {"value": 5, "samples": 10, "min": 1, "max": 5,
                                                 "last_time_ns": 9000000000}},
        },
        "time_series": [{"t": 1, "vus": 5, "vus_max": 5, "http_reqs": 3, "http_req_failed": 1,
                         "iterations": 3, "checks_passed": 2, "checks_failed": 1,
                         "data_sent": 300, "data_received": 900, "dropped_iterations": 0,
                         "iteration_start_lag_p(95)": 0.5, "busy": 0.2,
                         "http_req_duration": {"avg": 12, "p(50)": 4, "p(90)": 28, "p(95)": 29,
                                               "p(99)": 30, "max": 30, "window_p(95)": 29,
                                               "window_count": 3},
                         "http_req_duration_total": {"min": 2, "avg": 12, "max": 30,
                                                     "p(50)": 4, "p(95)": 29}}],
        "errors": [{"message": "boom", "phase": "iteration", "kind": "error", "count": 2}],
        "failures": [{"method": "GET", "endpoint": "search", "status": 0, "error_code": 1212,
                      "message": "dial tcp 127.0.0.1:1: connect: connection refused", "count": 2},
                     {"method": "POST", "endpoint": "book", "status": 503, "error_code": 0,
                      "message": "HTTP 503", "count": 1}],
        "failures_unlisted": 4,
        "slos": {"verdict": "FAILED", "exit_code": 1, "compliance_percent": 50, "rating": "critical",
                 "met": 1, "strict": False, "aborted_by": "",
                 "results": [{"slo": "http_req_duration", "where": "options.thresholds",
                              "metric_type": "trend", "is_time": True, "expression": "p(95)<20",
                              "warn": "p(95)<10", "priority": "P1", "abort_on_fail": False,
                              "delay_abort_eval_seconds": 0, "description": "fast",
                              "allow_empty": False, "status": "FAIL", "samples": 3,
                              "value": 29, "recommendations": ["look at the logs"]},
                             {"slo": "http_req_failed", "metric_type": "rate",
                              "expression": "rate<0.5", "priority": "P0", "status": "PASS",
                              "samples": 3, "value": 0.33, "window_seconds": 2,
                              "worst_window": {"from_second": 0, "to_second": 2, "windows": 1,
                                               "missed": 0}}]},
    }
    segment = dict(result, script_sha256="9f86d081884c7d65", start_at_unix_ms=1750000000000,
                   execution_segment={"segment": "1/3:2/3", "from": "1/3", "to": "2/3",
                                      "sequence": "0,1/3,2/3,1", "index": 1, "count": 3})
    merged = dict(result, script_sha256="9f86d081884c7d65", execution_segment=None,
                  merged_from=[{"file": "a.json", "segment": "0:1/2", "script_sha256": "9f86",
                                "start_unix_ms": 1750000000000, "end_unix_ms": 1750000010000,
                                "exit_code": 0, "aborted_by": "", "interrupted": False}],
                  coverage={"covered": ["0:1/2", "1/2:1"], "missing": []})
    return {
        "full": json.dumps(result, indent=1).encode(),
        "segment": json.dumps(segment, indent=1).encode(),
        "merged": json.dumps(merged, indent=1).encode(),
        "minimal": b'{"schema":"lueng.result/1","metrics":{}}',
        "wrong-schema": b'{"schema":"lueng.result/9","metrics":{}}',
        "deep-options": b'{"schema":"lueng.result/1","options":' + b"[" * 1001,
    }


def hotel_mock_request_seeds():
    def request(method, target, body=b"", headers=()):
        head = f"{method} {target} HTTP/1.1\r\nHost: localhost\r\n"
        for name, value in headers:
            head += f"{name}: {value}\r\n"
        if body or method == "POST":
            head += f"Content-Length: {len(body)}\r\n"
        return head.encode() + b"\r\n" + body

    stay = json.dumps({"accommodation_id": 1, "check_in": "2031-05-01", "check_out": "2031-05-03",
                       "guests": 2, "guest": {"name": "Ana", "phone": "+5491100000000",
                                              "email": "ana@example.com"}}).encode()
    return {
        "health": request("GET", "/health/live") + reads(),
        "pipelined": (request("GET", "/api/v1/accommodations")
                      + request("GET", "/api/v1/accommodations/1/availability?check_in=2031-05-01"
                                "&check_out=2031-05-03&guests=2")
                      + reads(10, 30, 5)),
        "prereserve": request("POST", "/api/v1/reservations/prereserve", stay,
                              [("Content-Type", "application/json"),
                               ("Expect", "100-continue")]) + reads(40, 1, 64),
        "whatsapp": request("POST", "/api/v1/webhooks/whatsapp", b'{"object":"page","entry":[]}',
                            [("X-Hub-Signature-256", "sha256=00")]) + reads(7),
        "verify": request("GET", "/api/v1/webhooks/whatsapp?hub.mode=subscribe&"
                          "hub.verify_token=test_verify_token&hub.challenge=42%2B1") + reads(),
        "mercadopago": request("POST", "/api/v1/webhooks/mercadopago?data.id=1&type=payment",
                               b'{"data":{"id":"1"}}',
                               [("x-signature", "ts=1,v1=00"), ("x-request-id", "r")]) + reads(3),
        "chunked": (b"POST /api/v1/reservations/prereserve HTTP/1.1\r\nTransfer-Encoding: chunked"
                    b"\r\nConnection: close\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n" + reads(9, 9)),
        "too-large": (b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n" + reads()),
        "malformed": b"GET /\x01 HTTP/1.1\r\n\r\n" + reads(),
        "deep-json": request("POST", "/api/v1/reservations/prereserve", b"[" * 1001) + reads(),
    }


def dashboard_request_seeds():
    return {
        "page": b"GET / HTTP/1.1\r\nHost: 127.0.0.1:5665\r\nAccept: text/html\r\n\r\n" + reads(),
        "events": (b"GET /events HTTP/1.1\r\nHost: 127.0.0.1:5665\r\nAccept: text/event-stream\r\n"
                   b"Cache-Control: no-cache\r\n\r\n" + reads(5, 17, 1)),
        "post-body": b"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody" + reads(3),
        "http10": b"GET /index.html?x=1 HTTP/1.0\r\n\r\n" + reads(),
        "garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + reads(),
        "large-head": b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n" + reads(64, 64),
    }


def csv_table_seeds():
    """CSV texts; the last byte chooses the options: bit 0 a header, bits 1-2 the
    separator (, ; tab |), bit 3 column 1 a number, bit 4 column 2 a boolean."""
    header, semicolon, number, boolean = 1, 2, 8, 16
    return {
        "header": b"id,name,email\n1,Ana,ana@example.com\n2,Bo,bo@example.com\n" + bytes([header]),
        "quotes": (b'name,note\r\n"Silva, Ana","said ""hi"""\r\n"Bo","two\nlines"\r\n'
                   + bytes([header])),
        "bom-blank-lines": b"\xef\xbb\xbfa;b\n\n1;2\n\n" + bytes([header | semicolon]),
        "typed": b"1,true\n-2.5e3,FALSE\n,\n" + bytes([number | boolean]),
        "missing-field": b"a,b,c\n1,2\n" + bytes([header]),
        "open-quote": b'a,b\n"never closed,1\n' + bytes([header]),
        "stray-quote": b'a,b\n1,x"y\n' + bytes([header]),
    }


def k6_fixture(name):
    with open(os.path.join(HERE, "..", "fixtures", "k6", name), "rb") as f:
        return f.read()


def k6_stream_seeds():
    """k6's --out json lines (tests/fixtures/k6 has a whole run)."""
    metric = (b'{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time",'
              b'"thresholds":["p(95)<500",{"threshold":"p(99)<1500","abortOnFail":true,'
              b'"delayAbortEval":null}],"submetrics":null},"metric":"http_req_duration"}\n')
    point = (b'{"metric":"http_req_duration","type":"Point","data":{"time":'
             b'"2026-08-24T12:00:00.123456789+02:00","value":87.25,"tags":{"group":"","status":"200"}}}\n')
    return {
        "fixture-run": k6_fixture("k6-out.json"),
        "metric-and-point": metric + point,
        "crlf-gauge": b'{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default",'
                      b'"thresholds":[],"submetrics":null},"metric":"vus"}\r\n'
                      b'{"metric":"vus","type":"Point","data":{"time":"2026-08-24T10:00:01Z",'
                      b'"value":2,"tags":null}}\r\n',
        "point-first": point,
    }


def k6_summary_seeds():
    """k6's --summary-export files."""
    return {
        "fixture-run": k6_fixture("k6-summary-export.json"),
        "k6-test-export": b'{"root_group":{"name":"","path":"","id":"d41d8cd98f00b204e9800998ecf8427e",'
                          b'"groups":{},"checks":{}},"metrics":{"checks":{"value":0.75,"passes":45,'
                          b'"fails":15,"thresholds":{"rate>70":false}},"http_reqs":{"count":3,"rate":3,'
                          b'"thresholds":{"rate<100":true}},"my_trend":{"avg":15,"max":20,"med":15,'
                          b'"min":10,"p(90)":19,"p(95)":19.5,"p(99)":19.9,"count":3,"thresholds":'
                          b'{"my_trend<1000":true}},"vus":{"value":1,"min":1,"max":1}}}',
        "submetric": b'{"root_group":{},"metrics":{"http_req_duration{status:200}":{"avg":1,'
                     b'"p(99.9)":3,"thresholds":{"p(99.9)<5":false,"p(50)<1":true}}}}',
    }


def main():
    targets = {
        "response_reader": response_reader_seeds(), "url": url_seeds(), "cookie": cookie_seeds(),
        "thresholds": threshold_seeds(), "duration": duration_seeds(), "segment": segment_seeds(),
        "json": json_seeds(),
        "csv_table": csv_table_seeds(),
        "result_reader": result_reader_seeds(), "hotel_mock_request": hotel_mock_request_seeds(),
        "dashboard_request": dashboard_request_seeds(),
        "k6_stream": k6_stream_seeds(), "k6_summary": k6_summary_seeds(),
        "option_levels": option_levels_seeds(),
    }
    for target, seeds in targets.items():
        directory = os.path.join(HERE, "corpus", target)
        os.makedirs(directory, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(directory, f"seed-{name}"), "wb") as f:
                f.write(data)


if __name__ == "__main__":
    main()
