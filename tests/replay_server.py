"""A loopback HTTP server that plays a model: it replays given texts as an
OpenAI-compatible chat-completion stream (server-sent events, as vLLM, FastChat and
LLaMA-Factory send them) and as ollama's ``/api/chat`` NDJSON stream.

The request names what to replay: the last message's content is a key of ``texts``;
the model name sets the chunking, ``"replay-4"`` = 4 characters per chunk (default 4).
With ``tools`` in the request (OpenAI route), the text is sent as the arguments of tool
call 0 (and, if the key is listed twice in ``texts_tools``, also as tool call 1), the way
vLLM streams ``delta.tool_calls[].function.arguments``.
"""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["ReplayServer"]


def _chunks(text, size):
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):   # quiet
        pass

    def _request(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def _text_and_size(self, body):
        key = body["messages"][-1]["content"]
        text = self.server.texts[key]
        model = body.get("model") or "replay-4"
        size = int(model.rsplit("-", 1)[1]) if model.rsplit("-", 1)[-1].isdigit() else 4
        return text, size, model

    def _start(self, content_type):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _send(self, data):
        data = data.encode("utf-8")
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _end(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def do_POST(self):
        body = self._request()
        if self.path.rstrip("/").endswith("/chat/completions"):
            return self._openai(body)
        if self.path.rstrip("/") == "/api/chat":
            return self._ollama(body)
        self.send_error(404)

    def _openai(self, body):
        text, size, model = self._text_and_size(body)
        tools = bool(body.get("tools"))
        calls = 2 if tools and body["messages"][-1]["content"] in self.server.twice else 1
        self._start("text/event-stream")
        created = int(time.time())

        def event(delta, finish=None):
            chunk = {"id": "chatcmpl-replay", "object": "chat.completion.chunk",
                     "created": created, "model": model,
                     "choices": [{"index": 0, "delta": delta, "logprobs": None,
                                  "finish_reason": finish}]}
            self._send("data: " + json.dumps(chunk, ensure_ascii=False) + "\n\n")

        event({"role": "assistant", "content": ""})
        if tools:
            for index in range(calls):
                event({"tool_calls": [{"index": index, "id": "call_%d" % index, "type": "function",
                                       "function": {"name": "do_it", "arguments": ""}}]})
            for piece in _chunks(text, size):
                # interleave the calls, as servers do when they stream several at once
                for index in range(calls):
                    event({"tool_calls": [{"index": index, "function": {"arguments": piece}}]})
            event({}, "tool_calls")
        else:
            for piece in _chunks(text, size):
                event({"content": piece})
            event({}, "stop")
        self._send("data: [DONE]\n\n")
        self._end()

    def _ollama(self, body):
        text, size, model = self._text_and_size(body)
        self._start("application/x-ndjson")
        for piece in _chunks(text, size):
            self._send(json.dumps({"model": model, "created_at": "2026-11-24T00:00:00Z",
                                   "message": {"role": "assistant", "content": piece},
                                   "done": False}, ensure_ascii=False) + "\n")
        self._send(json.dumps({"model": model, "created_at": "2026-11-24T00:00:00Z",
                               "message": {"role": "assistant", "content": ""},
                               "done": True, "done_reason": "stop"}) + "\n")
        self._end()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)   # a client hanging up is fine


class ReplayServer:
    """``with ReplayServer({"case": text}) as srv: srv.url`` (``http://127.0.0.1:PORT``)."""

    def __init__(self, texts, twice=()):
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.texts = dict(texts)
        self.httpd.twice = set(twice)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
