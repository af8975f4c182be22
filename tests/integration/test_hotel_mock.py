"""tools/hotel-mock over real sockets: every endpoint, the signature schemes, and
the load behaviour (latency, injected errors, capacity with 503s and recovery)."""

import hashlib
import hmac
import http.client
import json
import os
import select
import signal
import socket
import subprocess
import threading
import time
import unittest
from urllib.parse import urlencode

from support import check_sanitizers

SOURCE_DIR = os.environ.get("LUENG_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD_DIR = os.environ.get("LUENG_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
MOCK = os.path.join(BUILD_DIR, "tools", "hotel-mock", "hotel-mock")

WA_SECRET = "wa_app_secret"
MP_SECRET = "test_secret"
# Spaces and reserved characters prove that query strings are percent-decoded.
VERIFY_TOKEN = "s3cret token&=+"

# The check value of docs/hotel-api.md.
MP_TS = "1742505638683"
MP_REQUEST_ID = "bb56a2f1-6aae-46ac-982e-9dcd3581d08e"
MP_DATA_ID = "123456"
MP_V1 = "19d3560f0fc9c76acc744fc7400fd7ad46a762af3e20df6bd467ee7838825844"
MP_BODY = json.dumps({
    "action": "payment.updated", "api_version": "v1", "data": {"id": MP_DATA_ID},
    "date_created": "2021-11-01T02:02:02Z", "id": MP_DATA_ID, "live_mode": False,
    "type": "payment", "user_id": 724484980}).encode()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def whatsapp_payload(message_type="text", text="Hola, hay disponibilidad para el 20 de diciembre?"):
    if message_type == "audio":
        message = {"from": "16505551234", "id": "wamid.AUDIO", "timestamp": "1749416383",
                   "type": "audio", "audio": {"mime_type": "audio/ogg; codecs=opus",
                                              "sha256": "abc=", "id": "1234", "voice": True}}
    else:
        message = {"from": "16505551234", "id": "wamid.TEXT", "timestamp": "1749416383",
                   "type": "text", "text": {"body": text}}
    body = {"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{
        "value": {"messaging_product": "whatsapp",
                  "metadata": {"display_phone_number": "15550783881",
                               "phone_number_id": "106540352242922"},
                  "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
                  "messages": [message]},
        "field": "messages"}]}]}
    # json.dumps escapes non-ASCII (\u00e1) as Meta does; the signature covers these bytes.
    return json.dumps(body).encode()


def wa_signature(body, secret=WA_SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def stay(accommodation_id, check_in, check_out, guests=2, **extra):
    body = {"accommodation_id": accommodation_id, "check_in": check_in, "check_out": check_out,
            "guests": guests,
            "guest": {"name": "Sheena Nelson", "phone": "+5491155550000", "email": "s@example.com"}}
    body.update(extra)
    return body


class Mock:
    """One hotel-mock process on 127.0.0.1 and a free port."""

    def __init__(self, *args):
        self.port = free_port()
        self.proc = subprocess.Popen([MOCK, "--listen", f"127.0.0.1:{self.port}", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline().decode() if ready else ""
        if line.strip() != f"hotel-mock listening on 127.0.0.1:{self.port}":
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(f"hotel-mock did not start: {line!r} {self.proc.stderr.read()!r}")

    def stop(self):
        """SIGTERM; returns the exit status. Fails on a sanitizer report."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=10)
            check_sanitizers(self.proc.stderr.read(), "hotel-mock")
            return code
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.stdout.close()
            self.proc.stderr.close()

    def connection(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, conn=None):
        """(status, headers dict with lowercase names, body bytes)."""
        own = conn is None
        conn = conn or self.connection()
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                headers = {"Content-Type": "application/json", **(headers or {})}
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            if own:
                conn.close()

    def get_json(self, path):
        status, headers, data = self.request("GET", path)
        return status, json.loads(data)

    def metrics(self):
        status, headers, data = self.request("GET", "/metrics")
        assert status == 200, status
        values = {}
        for line in data.decode().splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values


class MockTestCase(unittest.TestCase):
    def start(self, *args):
        mock = Mock(*args)
        self.addCleanup(self._stop, mock)
        return mock

    def _stop(self, mock):
        self.assertEqual(mock.stop(), 0, "hotel-mock must exit 0 on SIGTERM")

    def assertJsonError(self, status, headers, data, expected_status):
        self.assertEqual(status, expected_status, data)
        self.assertEqual(headers["content-type"], "application/json")
        self.assertIn("error", json.loads(data))


class EndpointsTest(MockTestCase):
    """One mock with every secret set, shared by the tests; each test books its own
    dates so the order of the tests does not matter."""

    @classmethod
    def setUpClass(cls):
        cls.mock = Mock("--whatsapp-secret", WA_SECRET, "--mp-secret", MP_SECRET,
                        "--verify-token", VERIFY_TOKEN, "--threads", "2")

    @classmethod
    def tearDownClass(cls):
        assert cls.mock.stop() == 0

    def test_health(self):
        status, body = self.mock.get_json("/health/live")
        self.assertEqual((status, body), (200, {"status": "ok"}))
        status, body = self.mock.get_json("/health/ready")
        self.assertEqual(status, 200)
        self.assertEqual(body["status"], "ready")

    def test_unknown_path_and_wrong_method(self):
        self.assertJsonError(*self.mock.request("GET", "/nope"), 404)
        self.assertJsonError(*self.mock.request("GET", "/api/v1/accommodations/1/nope"), 404)
        status, headers, data = self.mock.request("DELETE", "/api/v1/accommodations")
        self.assertJsonError(status, headers, data, 405)
        self.assertEqual(headers["allow"], "GET")
        status, headers, data = self.mock.request("PUT", "/api/v1/webhooks/whatsapp", b"{}")
        self.assertJsonError(status, headers, data, 405)
        self.assertEqual(headers["allow"], "GET, POST")

    def test_accommodations_and_room_types(self):
        status, body = self.mock.get_json("/api/v1/accommodations")
        self.assertEqual(status, 200)
        self.assertEqual(len(body["accommodations"]), 6)
        first = body["accommodations"][0]
        for key in ("id", "name", "room_type", "capacity", "nightly_rate", "currency"):
            self.assertIn(key, first)
        status, one = self.mock.get_json(f"/api/v1/accommodations/{first['id']}")
        self.assertEqual((status, one), (200, first))
        self.assertJsonError(*self.mock.request("GET", "/api/v1/accommodations/999"), 404)
        self.assertJsonError(*self.mock.request("GET", "/api/v1/accommodations/abc"), 404)

        status, body = self.mock.get_json("/api/v1/pms/room-types")
        self.assertEqual(status, 200)
        ids = {t["id"] for t in body["room_types"]}
        self.assertEqual({a["room_type"] for a in self.mock.get_json("/api/v1/accommodations")[1]
                          ["accommodations"]}, ids)

    def test_availability_validation(self):
        base = "/api/v1/pms/availability"
        for query in ("", "?check_in=2031-01-01&check_out=2031-01-03",
                      "?check_in=2031-01-01&guests=2",
                      "?check_in=2031-13-01&check_out=2031-01-03&guests=2",
                      "?check_in=2031-02-29&check_out=2031-03-03&guests=2",
                      "?check_in=31-01-01&check_out=2031-01-03&guests=2",
                      "?check_in=2031-01-05&check_out=2031-01-03&guests=2",
                      "?check_in=2031-01-05&check_out=2031-01-05&guests=2",
                      "?check_in=2031-01-01&check_out=2031-01-03&guests=0",
                      "?check_in=2031-01-01&check_out=2031-01-03&guests=two",
                      "?check_in=2031-01-01&check_out=2031-01-03&guests=2&room_type=castle"):
            with self.subTest(query=query):
                self.assertJsonError(*self.mock.request("GET", base + query), 400)
        status, body = self.mock.get_json(base + "?check_in=2032-02-28&check_out=2032-03-01&guests=5")
        self.assertEqual(status, 200)
        self.assertEqual(body["nights"], 2)  # 2032 is a leap year
        self.assertTrue(all(t["max_guests"] >= 5 for t in body["room_types"]))

    def test_availability_decreases_after_prereserve(self):
        query = "?check_in=2031-03-01&check_out=2031-03-04&guests=2"
        status, before = self.mock.get_json("/api/v1/pms/availability" + query)
        self.assertEqual(status, 200)
        cabin4 = next(t for t in before["room_types"] if t["id"] == "cabin-4")
        self.assertGreater(cabin4["available_units"], 0)
        target = cabin4["accommodation_ids"][0]
        status, acc = self.mock.get_json(f"/api/v1/accommodations/{target}/availability{query}")
        self.assertEqual(status, 200)
        self.assertTrue(acc["available"])
        self.assertEqual(acc["nights"], 3)
        self.assertEqual(acc["total_price"], 3 * acc["nightly_rate"])

        status, _, data = self.mock.request("POST", "/api/v1/reservations/prereserve",
                                            stay(target, "2031-03-02", "2031-03-03"))
        self.assertEqual(status, 201, data)

        status, after = self.mock.get_json("/api/v1/pms/availability" + query)
        cabin4_after = next(t for t in after["room_types"] if t["id"] == "cabin-4")
        self.assertEqual(cabin4_after["available_units"], cabin4["available_units"] - 1)
        self.assertNotIn(target, cabin4_after["accommodation_ids"])
        status, acc = self.mock.get_json(f"/api/v1/accommodations/{target}/availability{query}")
        self.assertEqual(status, 200)
        self.assertFalse(acc["available"])
        # The nights after the booking are still free.
        status, acc = self.mock.get_json(
            f"/api/v1/accommodations/{target}/availability?check_in=2031-03-03&check_out=2031-03-05")
        self.assertTrue(acc["available"])

    def test_accommodation_availability_errors(self):
        self.assertJsonError(*self.mock.request(
            "GET", "/api/v1/accommodations/999/availability?check_in=2031-01-01&check_out=2031-01-02"),
            404)
        self.assertJsonError(*self.mock.request(
            "GET", "/api/v1/accommodations/1/availability?check_in=2031-01-03&check_out=2031-01-02"),
            400)
        self.assertJsonError(*self.mock.request("GET", "/api/v1/accommodations/1/availability"), 400)

    def test_prereserve_get_by_id_and_overlap(self):
        status, headers, data = self.mock.request(
            "POST", "/api/v1/reservations/prereserve", stay(4, "2031-04-10", "2031-04-15", guests=5))
        self.assertEqual(status, 201, data)
        self.assertEqual(headers["content-type"], "application/json")
        created = json.loads(data)
        self.assertEqual(created["status"], "pre_reserved")
        self.assertRegex(created["expires_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(headers["location"], "/api/v1/reservations/" + created["id"])

        status, fetched = self.mock.get_json("/api/v1/reservations/" + created["id"])
        self.assertEqual(status, 200)
        self.assertEqual(fetched["id"], created["id"])
        self.assertEqual(fetched["accommodation_id"], 4)
        self.assertEqual((fetched["check_in"], fetched["check_out"]), ("2031-04-10", "2031-04-15"))
        self.assertEqual(fetched["guest"]["phone"], "+5491155550000")
        self.assertJsonError(*self.mock.request("GET", "/api/v1/reservations/PR-999999"), 404)

        for check_in, check_out in (("2031-04-10", "2031-04-15"), ("2031-04-08", "2031-04-11"),
                                    ("2031-04-14", "2031-04-20"), ("2031-04-11", "2031-04-12")):
            with self.subTest(dates=(check_in, check_out)):
                self.assertJsonError(*self.mock.request(
                    "POST", "/api/v1/reservations/prereserve", stay(4, check_in, check_out)), 409)
        # Back-to-back stays share no night; the id may also come as a string.
        status, _, data = self.mock.request("POST", "/api/v1/reservations/prereserve",
                                            stay("4", "2031-04-15", "2031-04-16"))
        self.assertEqual(status, 201, data)
        status, _, data = self.mock.request("POST", "/api/v1/reservations/prereserve",
                                            stay(3, "2031-04-10", "2031-04-15"))
        self.assertEqual(status, 201, data)

    def test_prereserve_bad_requests(self):
        path = "/api/v1/reservations/prereserve"
        self.assertJsonError(*self.mock.request("POST", path, b"{not json"), 400)
        self.assertJsonError(*self.mock.request("POST", path, b""), 400)
        self.assertJsonError(*self.mock.request("POST", path, b"[1,2]"), 400)
        good = stay(2, "2031-05-01", "2031-05-03")
        for field in ("accommodation_id", "check_in", "check_out", "guests", "guest"):
            body = dict(good)
            del body[field]
            with self.subTest(missing=field):
                status, headers, data = self.mock.request("POST", path, body)
                self.assertJsonError(status, headers, data, 400)
                self.assertIn(field, json.loads(data)["error"])
        body = json.loads(json.dumps(good))
        del body["guest"]["email"]
        self.assertJsonError(*self.mock.request("POST", path, body), 400)
        self.assertJsonError(*self.mock.request("POST", path, dict(good, check_in="2031-05-04")), 400)
        self.assertJsonError(*self.mock.request("POST", path, dict(good, guests=0)), 400)
        self.assertJsonError(*self.mock.request("POST", path, dict(good, guests=9)), 400)
        self.assertJsonError(*self.mock.request("POST", path, dict(good, accommodation_id=77)), 404)

    def test_deeply_nested_json_is_400_and_the_mock_stays_up(self):
        # 200 KB of '[' (under the 1 MiB body limit) once overflowed the parser's stack.
        path = "/api/v1/reservations/prereserve"
        for body in (b"[" * 200_000, b'{"a":' * 1001 + b"1" + b"}" * 1001):
            with self.subTest(size=len(body)):
                status, headers, data = self.mock.request("POST", path, body,
                                                          {"Content-Type": "application/json"})
                self.assertJsonError(status, headers, data, 400)
                self.assertEqual(json.loads(data)["error"],
                                 "malformed JSON: JSON nested deeper than 1000 levels at offset "
                                 + ("1000" if body.startswith(b"[") else str(5 * 1000)))
        deep = b"[" * 200_000
        status, headers, data = self.mock.request("POST", "/api/v1/webhooks/whatsapp", deep,
                                                  {"X-Hub-Signature-256": wa_signature(deep)})
        self.assertJsonError(status, headers, data, 400)
        self.assertIn("nested deeper than 1000 levels", json.loads(data)["error"])
        # 1000 levels are within the bound: parsed, then refused for not being a reservation.
        status, _, data = self.mock.request("POST", path, b"[" * 1000 + b"]" * 1000)
        self.assertEqual(status, 400)
        self.assertNotIn("nested", json.loads(data)["error"])
        status, body = self.mock.get_json("/health/live")
        self.assertEqual((status, body), (200, {"status": "ok"}))

    def test_whatsapp_verify(self):
        query = urlencode({"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                           "hub.challenge": "1158201444"})
        status, headers, data = self.mock.request("GET", "/api/v1/webhooks/whatsapp?" + query)
        self.assertEqual((status, data), (200, b"1158201444"))
        for params in ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
                       {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN,
                        "hub.challenge": "1"},
                       {"hub.challenge": "1"}):
            with self.subTest(params=params):
                status, _, _ = self.mock.request(
                    "GET", "/api/v1/webhooks/whatsapp?" + urlencode(params))
                self.assertEqual(status, 403)

    def test_whatsapp_signature(self):
        path = "/api/v1/webhooks/whatsapp"
        body = whatsapp_payload(text="Hola, ¿hay cabaña para el 20 de diciembre?")
        self.assertIn(b"\\u00bf", body)
        status, headers, data = self.mock.request(
            "POST", path, body,
            {"Content-Type": "application/json", "X-Hub-Signature-256": wa_signature(body)})
        self.assertEqual((status, json.loads(data)), (200, {"status": "received"}))
        audio = whatsapp_payload("audio")
        status, _, _ = self.mock.request("POST", path, audio,
                                         {"X-Hub-Signature-256": wa_signature(audio)})
        self.assertEqual(status, 200)

        wrong_secret = wa_signature(body, "other_secret")
        tampered = body.replace(b"Hola", b"Chau")
        for headers in ({"X-Hub-Signature-256": wrong_secret},
                        {"X-Hub-Signature-256": wa_signature(tampered)},
                        {"X-Hub-Signature-256": "sha256="}, {}):
            with self.subTest(headers=headers):
                self.assertJsonError(*self.mock.request("POST", path, body, headers), 401)

        for bad in (b"{nope", json.dumps({"object": "page", "entry": []}).encode(),
                    json.dumps({"object": "whatsapp_business_account"}).encode()):
            with self.subTest(body=bad):
                self.assertJsonError(*self.mock.request(
                    "POST", path, bad, {"X-Hub-Signature-256": wa_signature(bad)}), 400)

    def test_mercadopago_signature(self):
        path = f"/api/v1/webhooks/mercadopago?data.id={MP_DATA_ID}&type=payment"
        headers = {"Content-Type": "application/json", "x-request-id": MP_REQUEST_ID,
                   "x-signature": f"ts={MP_TS},v1={MP_V1}"}
        status, _, data = self.mock.request("POST", path, MP_BODY, headers)
        self.assertEqual((status, json.loads(data)), (200, {"status": "received"}))

        wrong = dict(headers, **{"x-signature": f"ts={MP_TS},v1={'0' * 64}"})
        self.assertJsonError(*self.mock.request("POST", path, MP_BODY, wrong), 401)
        other_ts = dict(headers, **{"x-signature": f"ts=1742505638684,v1={MP_V1}"})
        self.assertJsonError(*self.mock.request("POST", path, MP_BODY, other_ts), 401)
        other_id = path.replace(MP_DATA_ID, "123457")
        self.assertJsonError(*self.mock.request("POST", other_id, MP_BODY, headers), 401)
        no_signature = {k: v for k, v in headers.items() if k != "x-signature"}
        self.assertJsonError(*self.mock.request("POST", path, MP_BODY, no_signature), 401)

        # Without x-request-id the manifest leaves that part out whole.
        manifest = f"id:{MP_DATA_ID};ts:{MP_TS};"
        v1 = hmac.new(MP_SECRET.encode(), manifest.encode(), hashlib.sha256).hexdigest()
        status, _, data = self.mock.request("POST", path, MP_BODY,
                                            {"x-signature": f"ts={MP_TS},v1={v1}"})
        self.assertEqual(status, 200, data)
        self.assertJsonError(*self.mock.request("POST", path, b"{oops", headers), 400)

    def test_keep_alive_and_connection_close(self):
        conn = self.mock.connection()
        try:
            for _ in range(5):
                status, headers, _ = self.mock.request("GET", "/health/live", conn=conn)
                self.assertEqual(status, 200)
                self.assertEqual(headers["connection"], "keep-alive")
            status, headers, _ = self.mock.request("GET", "/api/v1/pms/room-types",
                                                   headers={"Connection": "close"}, conn=conn)
            self.assertEqual((status, headers["connection"]), (200, "close"))
        finally:
            conn.close()
        with socket.create_connection(("127.0.0.1", self.mock.port), timeout=5) as s:
            s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                      b"GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            received = b""
            while chunk := s.recv(65536):
                received += chunk
            self.assertEqual(received.count(b"HTTP/1.1 200 OK"), 2)

    def test_malformed_http_is_400(self):
        with socket.create_connection(("127.0.0.1", self.mock.port), timeout=5) as s:
            s.sendall(b"NOT HTTP AT ALL\r\n\r\n")
            self.assertTrue(s.recv(65536).startswith(b"HTTP/1.1 400 "))
        with socket.create_connection(("127.0.0.1", self.mock.port), timeout=5) as s:
            s.sendall(b"POST /api/v1/reservations/prereserve HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Length: 5000000\r\n\r\n")
            self.assertTrue(s.recv(65536).startswith(b"HTTP/1.1 413 "))

    def test_expect_100_continue(self):
        body = json.dumps({"object": "whatsapp_business_account", "entry": []}).encode()
        with socket.create_connection(("127.0.0.1", self.mock.port), timeout=5) as s:
            s.sendall(b"POST /api/v1/webhooks/whatsapp HTTP/1.1\r\nHost: x\r\n"
                      b"Expect: 100-continue\r\nConnection: close\r\n"
                      + f"X-Hub-Signature-256: {wa_signature(body)}\r\n".encode()
                      + f"Content-Length: {len(body)}\r\n\r\n".encode())
            self.assertEqual(s.recv(25), b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(body)
            received = b""
            while chunk := s.recv(65536):
                received += chunk
            self.assertTrue(received.startswith(b"HTTP/1.1 200 OK"), received)

    def test_metrics_counts_requests(self):
        before = self.mock.metrics()
        for _ in range(3):
            self.mock.request("GET", "/api/v1/pms/room-types")
        self.mock.request("GET", "/api/v1/reservations/PR-000000")
        after = self.mock.metrics()
        key = 'hotel_mock_requests_total{endpoint="room_types",status="200"}'
        self.assertEqual(after[key] - before.get(key, 0), 3)
        key = 'hotel_mock_requests_total{endpoint="reservation",status="404"}'
        self.assertEqual(after[key] - before.get(key, 0), 1)
        key = 'hotel_mock_request_duration_seconds_count{endpoint="room_types"}'
        self.assertEqual(after[key] - before.get(key, 0), 3)
        self.assertEqual(after["hotel_mock_requests_in_flight"], 0)
        status, headers, _ = self.mock.request("GET", "/metrics")
        self.assertTrue(headers["content-type"].startswith("text/plain"))


class UnsignedWebhooksTest(MockTestCase):
    def test_no_secret_means_no_signature_check(self):
        mock = self.start()
        status, _, _ = mock.request("POST", "/api/v1/webhooks/whatsapp", whatsapp_payload())
        self.assertEqual(status, 200)
        status, _, _ = mock.request("POST", "/api/v1/webhooks/mercadopago?data.id=1&type=payment",
                                    MP_BODY)
        self.assertEqual(status, 200)
        # The default verify token is documented in docs/hotel-mock.md.
        status, _, data = mock.request(
            "GET", "/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=test_verify_token"
                   "&hub.challenge=42")
        self.assertEqual((status, data), (200, b"42"))


class ConcurrencyTest(MockTestCase):
    def test_one_winner_among_concurrent_prereserves(self):
        mock = self.start("--threads", "4")
        results = []
        lock = threading.Lock()
        gate = threading.Barrier(16)

        def book():
            gate.wait()
            status, _, _ = mock.request("POST", "/api/v1/reservations/prereserve",
                                        stay(6, "2031-06-01", "2031-06-05"))
            with lock:
                results.append(status)

        threads = [threading.Thread(target=book) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [201] + [409] * 15)

    def test_pre_reservations_expire(self):
        mock = self.start("--hold", "500ms")
        path = "/api/v1/reservations/prereserve"
        status, _, data = mock.request("POST", path, stay(1, "2031-07-01", "2031-07-02"))
        self.assertEqual(status, 201)
        first = json.loads(data)["id"]
        self.assertEqual(mock.request("POST", path, stay(1, "2031-07-01", "2031-07-02"))[0], 409)
        time.sleep(0.7)
        self.assertEqual(mock.request("POST", path, stay(1, "2031-07-01", "2031-07-02"))[0], 201)
        status, body = mock.get_json("/api/v1/reservations/" + first)
        self.assertEqual((status, body["status"]), (200, "expired"))


class BehaviourTest(MockTestCase):
    def timed(self, mock, path):
        start = time.monotonic()
        status, _, _ = mock.request("GET", path)
        return status, time.monotonic() - start

    def test_error_rate_one_fails_business_requests_only(self):
        mock = self.start("--error-rate", "1.0")
        for path in ("/api/v1/accommodations", "/api/v1/pms/room-types"):
            status, headers, data = mock.request("GET", path)
            self.assertJsonError(status, headers, data, 500)
        self.assertEqual(mock.request("GET", "/health/live")[0], 200)
        self.assertEqual(mock.request("GET", "/metrics")[0], 200)

    def test_error_rate_is_a_fraction(self):
        mock = self.start("--error-rate", "0.5", "--seed", "7")
        statuses = [mock.request("GET", "/api/v1/accommodations")[0] for _ in range(60)]
        failures = statuses.count(500)
        self.assertEqual(failures + statuses.count(200), 60)
        self.assertTrue(10 < failures < 50, failures)

    def test_latency_adds_delay_per_endpoint(self):
        # Upper bounds are generous: ctest runs tests in parallel, maybe under ASan.
        mock = self.start("--latency", "accommodations=400ms", "--latency", "room_types=100ms:50ms",
                          "--latency", "whatsapp=10ms", "--latency", "whatsapp_audio=500ms")
        status, elapsed = self.timed(mock, "/api/v1/accommodations")
        self.assertEqual(status, 200)
        self.assertGreaterEqual(elapsed, 0.39)
        for _ in range(5):
            status, elapsed = self.timed(mock, "/api/v1/pms/room-types")
            self.assertGreaterEqual(elapsed, 0.045)
            self.assertLess(elapsed, 0.39)
        status, elapsed = self.timed(mock, "/health/live")
        self.assertLess(elapsed, 0.3)

        start = time.monotonic()
        self.assertEqual(mock.request("POST", "/api/v1/webhooks/whatsapp", whatsapp_payload())[0], 200)
        text_elapsed = time.monotonic() - start
        start = time.monotonic()
        self.assertEqual(
            mock.request("POST", "/api/v1/webhooks/whatsapp", whatsapp_payload("audio"))[0], 200)
        audio_elapsed = time.monotonic() - start
        self.assertGreaterEqual(text_elapsed, 0.009)
        self.assertLess(text_elapsed, 0.4)
        self.assertGreaterEqual(audio_elapsed, 0.49)

    def test_degrade_slows_business_requests_with_uptime(self):
        mock = self.start("--degrade", "100ms")
        started = time.monotonic()  # the mock's clock started before its ready line
        for uptime in (1, 2.5):
            time.sleep(max(0, started + uptime - time.monotonic()))
            status, elapsed = self.timed(mock, "/api/v1/pms/room-types")
            self.assertEqual(status, 200)
            self.assertGreaterEqual(elapsed, 0.1 * uptime - 0.001)
        # Health checks and scrapes keep reporting at full speed.
        status, elapsed = self.timed(mock, "/health/live")
        self.assertEqual(status, 200)
        self.assertLess(elapsed, 0.2)
        sums = mock.metrics()
        # 0.1 s + 0.25 s, less the millisecond a libuv timer may round off each.
        self.assertGreaterEqual(
            sums['hotel_mock_request_duration_seconds_sum{endpoint="room_types"}'], 0.348)

    def test_delays_do_not_block_other_requests(self):
        mock = self.start("--latency", "accommodations=1500ms")
        slow = threading.Thread(target=mock.request, args=("GET", "/api/v1/accommodations"))
        slow.start()
        time.sleep(0.1)
        status, elapsed = self.timed(mock, "/api/v1/pms/room-types")
        slow.join()
        self.assertEqual(status, 200)
        self.assertLess(elapsed, 1.0)

    def test_capacity_sheds_with_503_and_recovers(self):
        mock = self.start("--capacity", "2", "--latency", "accommodations=300ms", "--threads", "2")
        results = []
        lock = threading.Lock()
        gate = threading.Barrier(21)

        def hit():
            gate.wait()
            status, _, _ = mock.request("GET", "/api/v1/accommodations")
            with lock:
                results.append(status)

        threads = [threading.Thread(target=hit) for _ in range(20)]
        for t in threads:
            t.start()
        gate.wait()
        time.sleep(0.15)
        ready_during = mock.request("GET", "/health/ready")[0]
        in_flight_during = mock.metrics()["hotel_mock_requests_in_flight"]
        for t in threads:
            t.join()

        self.assertEqual(len(results), 20)
        self.assertGreater(results.count(503), 0, results)
        self.assertGreater(results.count(200), 0, results)
        self.assertEqual(results.count(200) + results.count(503), 20, results)
        self.assertLessEqual(results.count(200), 8)  # the queue bound: 4 x capacity
        self.assertEqual(ready_during, 503)
        self.assertGreater(in_flight_during, 2)

        # Load is gone: the mock answers again, at the base latency.
        for _ in range(3):
            status, elapsed = self.timed(mock, "/api/v1/accommodations")
            self.assertEqual(status, 200)
            self.assertLess(elapsed, 0.9)  # 300 ms base, not the 4x of a full queue
        self.assertEqual(mock.request("GET", "/health/ready")[0], 200)
        metrics = mock.metrics()
        self.assertEqual(metrics["hotel_mock_requests_in_flight"], 0)
        self.assertEqual(
            metrics['hotel_mock_requests_total{endpoint="accommodations",status="503"}'],
            results.count(503))

    def test_queue_stretches_latency_before_shedding(self):
        mock = self.start("--capacity", "4", "--latency", "room_types=200ms")
        durations = []
        lock = threading.Lock()
        gate = threading.Barrier(12)

        def hit():
            gate.wait()
            start = time.monotonic()
            status, _, _ = mock.request("GET", "/api/v1/pms/room-types")
            with lock:
                durations.append((status, time.monotonic() - start))

        threads = [threading.Thread(target=hit) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertTrue(all(status == 200 for status, _ in durations), durations)
        # 12 in flight with capacity 4: the last arrivals wait up to 3x the base.
        self.assertGreater(max(d for _, d in durations), 0.35)


class CommandLineTest(unittest.TestCase):
    def run_mock(self, *args):
        completed = subprocess.run([MOCK, *args], capture_output=True, text=True, timeout=10)
        check_sanitizers(completed.stderr, "hotel-mock")
        return completed

    def test_bad_arguments_exit_104_with_one_line(self):
        for args in (["--bogus"], ["--threads", "zero"], ["--threads", "0"],
                     ["--error-rate", "1.5"], ["--latency", "nowhere=10ms"],
                     ["--latency", "health=fast"], ["--latency", "health"],
                     ["--listen", "not-an-address"], ["--listen", "127.0.0.1:99999"],
                     ["--listen", "example.com:80"], ["--hold", "0s"], ["--degrade", "fast"],
                     ["--degrade", "-1ms"], ["--degrade", "2h"], ["stray"]):
            with self.subTest(args=args):
                out = self.run_mock(*args)
                self.assertEqual(out.returncode, 104, out.stderr)
                self.assertEqual(len(out.stderr.strip().splitlines()), 1, out.stderr)
                self.assertEqual(out.stdout, "")

    def test_help_lists_options(self):
        out = self.run_mock("--help")
        self.assertEqual(out.returncode, 0)
        for option in ("--listen", "--threads", "--latency", "--error-rate", "--capacity",
                       "--whatsapp-secret", "--mp-secret", "--verify-token", "--seed", "--hold",
                       "--degrade"):
            self.assertIn(option, out.stdout)

    def test_port_in_use_fails(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            out = self.run_mock("--listen", f"127.0.0.1:{taken.getsockname()[1]}")
        self.assertEqual(out.returncode, 1)
        self.assertIn("cannot listen", out.stderr)

    def test_sigint_exits_cleanly(self):
        mock = Mock()
        mock.request("GET", "/health/live")
        mock.proc.send_signal(signal.SIGINT)
        self.assertEqual(mock.proc.wait(timeout=10), 0)
        check_sanitizers(mock.proc.stderr.read(), "hotel-mock")
        mock.proc.stdout.close()
        mock.proc.stderr.close()


if __name__ == "__main__":
    unittest.main()
