"""A scripted OpenAI-compatible endpoint over real HTTP, for the paths a real model cannot be made to take on
demand: an invented figure, an endpoint that answers garbage. It streams like llama.cpp's server does.

`reply` is either fixed text or a function of the prompt it received (e.g. echo a passage's sentence)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedLLM:
    def __init__(self, reply: str | Callable[[str], str], delay: float = 0.0):
        self.reply = reply
        self.delay = delay  # seconds before answering: a slow endpoint
        self.prompts: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                self._send_json({"object": "list", "data": [{"id": "scripted", "object": "model"}]})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
                owner.prompts.append(prompt)
                time.sleep(owner.delay)
                text = owner.reply(prompt) if callable(owner.reply) else owner.reply
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for i in range(0, len(text), 4):
                    self._event({"choices": [{"index": 0, "delta": {"content": text[i : i + 4]}, "finish_reason": None}]})
                self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                self.wfile.write(b"data: [DONE]\n\n")

            def _event(self, chunk: dict):
                chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "scripted", **chunk}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

            def _send_json(self, obj: dict):
                data = json.dumps(obj).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def first_passage_sentence(prompt: str) -> str:
    """A faithful model: the first sentence of passage [1], cited."""
    body = prompt.rsplit("[1]《", 1)[1].split("\n", 1)[1]  # the last: the system prompt has an example
    sentence = body.split("。", 1)[0].split("\n", 1)[0].split("……", 1)[0]
    return f"{sentence}[1]。"
