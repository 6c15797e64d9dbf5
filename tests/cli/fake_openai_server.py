#!/usr/bin/python3
"""A stand-in for an OpenAI-compatible server, on 127.0.0.1 only, for the CLI's exit-code tests.

It behaves like a chat server without the completions endpoint that the loglik judge needs
(llama.cpp's server, Ollama and OpenAI's chat models answer /v1/completions with an error or
without echoed log-probabilities):
  POST /v1/chat/completions  200 with a short completion, except HTTP 400 "prompt rejected"
                             for every request whose messages contain the text in REJECTFILE
                             (read at every request, so a test can turn the fault on and off)
  POST /v1/completions       404 {"error": {"message": "Not Found"}}
Usage: fake_openai_server.py PORTFILE REJECTFILE [LATENCY [completions]]. It writes its port to
PORTFILE and stops by itself after 300 seconds (a test that forgets it leaves nothing running).
LATENCY (seconds, default 0) delays every answer, so that a test can interrupt a run in its middle.
With `completions`, POST /v1/completions with echo answers like a server with echoed logprobs:
one token per character of the prompt, each with a log-probability that depends only on that
character (so a run's scores are the same whatever its batches and interruptions).
"""
import http.server
import json
import os
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    reject_file = None
    latency = 0.0
    completions = False

    def log_message(self, fmt, *args):  # quiet
        pass

    def answer(self, code, doc):
        body = json.dumps(doc).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(length) or b"{}")
        if Handler.latency:
            time.sleep(Handler.latency)
        if self.path == "/v1/completions" and Handler.completions and req.get("echo"):
            self.answer(200, echoed(req.get("prompt", "")))
            return
        if self.path == "/v1/chat/completions":
            text = " ".join(m.get("content", "") for m in req.get("messages", []))
            try:
                with open(Handler.reject_file) as f:
                    reject = f.read().strip()
            except OSError:
                reject = ""
            if reject and reject in text:
                self.answer(400, {"error": {"message": "prompt rejected"}})
                return
            self.answer(200, {"choices": [{"index": 0, "finish_reason": "stop",
                                           "message": {"role": "assistant",
                                                       "content": "honesty, kindness, helpfulness"}}]})
        else:
            self.answer(404, {"error": {"message": "Not Found"}})


def echoed(prompt):
    """A completions answer echoing prompt: one token per character, then one generated token."""
    tokens = list(prompt) + ["."]
    lps = [None] + [-((ord(c) % 7) + 1) / 10.0 for c in tokens[1:]]
    return {"object": "text_completion", "choices": [{"index": 0, "text": prompt + ".", "finish_reason": "length",
            "logprobs": {"tokens": tokens, "token_logprobs": lps, "text_offset": list(range(len(tokens))),
                         "top_logprobs": [None] + [{c: lp} for c, lp in zip(tokens[1:], lps[1:])]}}]}


def main():
    Handler.reject_file = sys.argv[2]
    Handler.latency = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    Handler.completions = len(sys.argv) > 4 and sys.argv[4] == "completions"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    threading.Timer(300, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
