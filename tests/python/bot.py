"""A calling bot in Python, standard library only, against `npx graph-ivr-emulator`.

It does what a production bot does, pointed at the emulator instead of Graph: it checks every
callback's RS256 token against the keys of the OpenID configuration (by hand: pow() and the
PKCS#1 v1.5 encoding), answers the incoming call, plays a prompt, records until #, downloads
the recording and hangs up. Usage: bot.py EMULATOR_URL AUDIENCE. Exits 0 and prints a summary.
"""
import base64
import hashlib
import json
import queue
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMULATOR = sys.argv[1].rstrip("/")
AUDIENCE = sys.argv[2]
GRAPH = EMULATOR + "/v1.0"
ISSUERS = ("https://graph.microsoft.com", "https://api.botframework.com")
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def b64decode(segment):
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def call(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def keys():
    _, _, config = call("GET", EMULATOR + "/.well-known/OpenIdConfiguration")
    _, _, jwks = call("GET", json.loads(config)["jwks_uri"])
    return json.loads(jwks)["keys"]


KEYS = keys()


def verify(authorization):
    """The checks of the comms samples' AuthenticationProvider: RS256, issuer, audience, time."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return "missing"
    head, payload, signature = token.split(".")
    header, claims = json.loads(b64decode(head)), json.loads(b64decode(payload))
    if header.get("alg") != "RS256":
        return "unsupportedAlgorithm"
    key = next((k for k in KEYS if k.get("kid") == header.get("kid")), None)
    if key is None:
        return "unknownKey"
    n = int.from_bytes(b64decode(key["n"]), "big")
    e = int.from_bytes(b64decode(key["e"]), "big")
    size = (n.bit_length() + 7) // 8
    decoded = pow(int.from_bytes(b64decode(signature), "big"), e, n).to_bytes(size, "big")
    digest = hashlib.sha256(f"{head}.{payload}".encode()).digest()
    expected = b"\x00\x01" + b"\xff" * (size - 3 - len(SHA256_DIGEST_INFO) - len(digest)) + b"\x00" + SHA256_DIGEST_INFO + digest
    if decoded != expected:
        return "badSignature"
    if claims.get("iss") not in ISSUERS or claims.get("aud") != AUDIENCE or claims.get("exp", 0) < time.time() - 300:
        return "claims"
    return None


notifications = queue.Queue()
refused = []


class Callback(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        why = verify(self.headers.get("Authorization"))
        if why:
            refused.append(why)
            self.send_response(401)
            self.end_headers()
            return
        self.send_response(202)
        self.end_headers()
        for item in json.loads(body)["value"]:
            notifications.put(item)

    def log_message(self, *args):
        pass


def wait_for(what, predicate, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            item = notifications.get(timeout=0.2)
        except queue.Empty:
            continue
        if predicate(item):
            return item
    raise AssertionError(f"no {what} notification")


def advance(ms):
    status, _, _ = call("POST", EMULATOR + "/_graph-ivr/advance", {"ms": ms})
    assert status == 200, status


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    callback_uri = f"http://127.0.0.1:{server.server_address[1]}/api/calls"
    data = lambda n: n.get("resourceData") or {}

    status, _, body = call("POST", EMULATOR + "/_graph-ivr/calls", {"callbackUri": callback_uri})
    assert status == 201, (status, body)
    call_id = json.loads(body)["callId"]
    incoming = wait_for("incoming", lambda n: data(n).get("state") == "incoming")
    calls = GRAPH + incoming["resourceUrl"]

    answer = {"callbackUri": callback_uri, "acceptedModalities": ["audio"], "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"}}
    assert call("POST", calls + "/answer", answer)[0] == 202
    advance(1000)
    wait_for("established", lambda n: data(n).get("state") == "established")

    prompt = {"@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": {"@odata.type": "#microsoft.graph.mediaInfo", "uri": "https://cdn.contoso.com/hello.wav"}}
    status, headers, body = call("POST", calls + "/playPrompt", {"clientContext": "hello", "prompts": [prompt]})
    assert status == 200 and json.loads(body)["status"] == "running", (status, body)
    assert headers.get("Location", "").startswith(EMULATOR + "/v1.0/communications/calls/"), dict(headers)
    advance(3500)
    played = wait_for("prompt completed", lambda n: data(n).get("clientContext") == "hello")
    assert data(played)["status"] == "completed", played

    status, _, body = call("POST", calls + "/recordResponse", {"clientContext": "message", "stopTones": ["#"], "playBeep": False})
    assert status == 200, (status, body)
    assert call("POST", f"{EMULATOR}/_graph-ivr/calls/{call_id}/startSpeaking")[0] == 200
    advance(2000)
    assert call("POST", f"{EMULATOR}/_graph-ivr/calls/{call_id}/pressTone", {"tone": "#"})[0] == 200
    advance(100)
    recorded = wait_for("record completed", lambda n: data(n).get("clientContext") == "message")
    op = data(recorded)
    assert op["status"] == "completed", op
    status, headers, wave = call("GET", op["recordingLocation"], headers={"Authorization": "Bearer " + op["recordingAccessToken"]})
    assert status == 200 and wave[:4] == b"RIFF", (status, wave[:16])
    assert call("GET", op["recordingLocation"], headers={"Authorization": "Bearer wrong"})[0] == 401

    status, _, body = call("POST", calls + "/playPrompt", {"prompts": []})
    assert status == 400 and json.loads(body)["error"]["code"], (status, body)
    assert call("DELETE", calls)[0] == 204
    advance(100)
    wait_for("call deleted", lambda n: n.get("changeType") == "deleted" and "/operations/" not in n["resourceUrl"])
    server.shutdown()
    print(json.dumps({"callId": call_id, "recordingBytes": len(wave), "refused": refused}))


main()
