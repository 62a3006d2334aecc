"""A menu bot in Python, standard library only, with one classic bug: it never hangs up.

Pointed at `npx graph-ivr-explore` (usage: menu_bot.py GRAPH_BASE_URL), it answers each call,
plays a menu and, when the caller presses a key, plays it again — and leaves every call open,
which the explorer's noLeakedCalls finds. It does its work before it acknowledges a callback,
so the explorer's clock waits for it. Prints its callback URL, then serves until killed.
"""
import json
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRAPH = sys.argv[1].rstrip("/") + "/v1.0"
PROMPT = {"@odata.type": "#microsoft.graph.mediaPrompt", "mediaInfo": {"@odata.type": "#microsoft.graph.mediaInfo", "uri": "https://bot.example/menu.wav"}}
answered = set()


def post(path, body):
    request = urllib.request.Request(GRAPH + path, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json", "Authorization": "Bearer menu-bot-token"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Callback(BaseHTTPRequestHandler):
    def do_POST(self):
        payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        for n in payload.get("value", []):
            data = n.get("resourceData") or {}
            call = "/communications/calls/" + n["resourceUrl"].split("/")[3]
            key = call.lower().replace("-", "")
            if data.get("state") == "incoming" and key not in answered:
                answered.add(key)
                post(call + "/answer", {"acceptedModalities": ["audio"], "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"}})
            elif data.get("state") == "established" and not data.get("toneInfo") and key + "+" not in answered:
                answered.add(key + "+")
                post(call + "/subscribeToTone", {})
                post(call + "/playPrompt", {"prompts": [PROMPT]})
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
print(f"http://127.0.0.1:{server.server_address[1]}/api/calls", flush=True)
server.serve_forever()
