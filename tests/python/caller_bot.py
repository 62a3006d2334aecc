"""A calling bot in Python, standard library only, that places a call through the emulator.

Usage: caller_bot.py EMULATOR_URL. It takes callbacks on a loopback port, places an outbound
call with that callbackUri, subscribes to tones once the call is established, plays a prompt for
each key the caller presses, and prints one line per event (`established`, `tone 5`) so that a
test can follow it. It runs until it is killed.
"""
import json
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRAPH = sys.argv[1].rstrip("/") + "/v1.0"
TOKEN = {"Authorization": "Bearer caller-bot-token"}


def post(path, body):
    data = json.dumps(body).encode()
    request = urllib.request.Request(GRAPH + path, data=data, method="POST", headers={"Content-Type": "application/json", **TOKEN})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def say(line):
    print(line, flush=True)


class Callback(BaseHTTPRequestHandler):
    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        self.send_response(202)
        self.end_headers()
        for n in payload.get("value", []):
            data = n.get("resourceData") or {}
            call = n.get("resourceUrl", "").split("/calls/")[-1].split("/")[0]
            if data.get("toneInfo"):
                say("tone " + data["toneInfo"]["tone"])
                post("/communications/calls/%s/playPrompt" % call, {"clientContext": "tone", "prompts": [{"@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": {"@odata.type": "#microsoft.graph.mediaInfo", "uri": "https://bot.example/heard.wav"}}]})
            elif data.get("state") == "established":
                say("established")
                post("/communications/calls/%s/subscribeToTone" % call, {"clientContext": "keys"})

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
callback = "http://127.0.0.1:%d/api/calls" % server.server_address[1]
status, placed = post("/communications/calls", {
    "@odata.type": "#microsoft.graph.call",
    "callbackUri": callback,
    "targets": [{"@odata.type": "#microsoft.graph.invitationParticipantInfo", "identity": {"@odata.type": "#microsoft.graph.identitySet", "user": {"@odata.type": "#microsoft.graph.identity", "id": "8b2b4f5c-1a2d-4d3e-9f4a-6b7c8d9e0f1a", "displayName": "A caller"}}}],
    "requestedModalities": ["audio"],
    "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"},
})
say("placed %s %s" % (status, (placed or {}).get("id")))
server.serve_forever()
