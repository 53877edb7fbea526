"""A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions protocol.

Each test scripts it: queue :class:`Reply` objects (or functions of the request
body that return one), and every request pops the next; when the queue is empty
the ``default`` script answers. Replies can be tool calls (well formed or not),
plain text, HTTP errors, slow answers or dropped connections. Used by the tests
and by ``benchmarks/bench_llm.py``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Body = dict[str, Any]


@dataclass
class Reply:
    """One scripted answer."""

    args: dict[str, Any] | str | None = None
    """Tool-call arguments: a dict (sent as JSON) or a raw string (may be malformed)."""
    content: str | None = None
    """A plain-text answer instead of a tool call."""
    status: int = 200
    delay_s: float = 0.0
    drop: bool = False
    """Close the connection without answering."""
    headers: dict[str, str] = field(default_factory=dict)
    tokens: tuple[int, int] = (100, 50)


Script = Callable[[Body], Reply]


def tool_name(body: Body) -> str:
    """The function the client asked for (tool_choice, else the first tool)."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return str(choice["function"]["name"])
    if isinstance(choice, str) and choice not in ("auto", "required", "none"):
        return choice
    return str(body["tools"][0]["function"]["name"])


def user_facts(body: Body) -> dict[str, Any]:
    """The JSON document of the last user message (what crisiscell sends as facts)."""
    result: dict[str, Any] = json.loads(body["messages"][-1]["content"])
    return result


def completion(body: Body, reply: Reply) -> Body:
    """A chat.completion body for a reply."""
    message: Body = {"role": "assistant", "content": reply.content}
    if reply.args is not None:
        args = reply.args if isinstance(reply.args, str) else json.dumps(reply.args)
        message["tool_calls"] = [
            {"id": "call_1", "type": "function",
             "function": {"name": tool_name(body), "arguments": args}}
        ]
    prompt, answer = reply.tokens
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", "test"),
        "choices": [{"index": 0, "message": message,
                     "finish_reason": "tool_calls" if reply.args is not None else "stop"}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": answer,
                  "total_tokens": prompt + answer},
    }


class FakeOpenAI:
    """The scripted model behind the server, and what it received."""

    def __init__(self, default: Script | None = None) -> None:
        self.default = default
        self.queue: deque[Reply | Script] = deque()
        self.requests: list[Body] = []
        self.delays_s = 0.0
        self._lock = threading.Lock()

    def enqueue(self, *replies: Reply | Script) -> FakeOpenAI:
        self.queue.extend(replies)
        return self

    def next_reply(self, body: Body) -> Reply:
        with self._lock:
            self.requests.append(body)
            item = self.queue.popleft() if self.queue else self.default
            if item is None:
                return Reply(status=500, content="nothing scripted")
            return item if isinstance(item, Reply) else item(body)

    def sleep(self, seconds: float) -> None:
        """Wait as scripted, and add the time actually slept to ``delays_s``."""
        start = time.perf_counter()
        time.sleep(seconds)
        with self._lock:
            self.delays_s += time.perf_counter() - start

    def tools_called(self) -> list[str]:
        return [tool_name(b) for b in self.requests]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        reply = self.server.model.next_reply(body)
        if reply.delay_s:
            self.server.model.sleep(reply.delay_s)
        try:
            self._answer(body, reply)
        except OSError:  # the client gave up (timeout) or we dropped it on purpose
            self.close_connection = True

    def _answer(self, body: Body, reply: Reply) -> None:
        if reply.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.status != 200:
            payload: Body = {"error": {"message": f"scripted HTTP {reply.status}",
                                       "type": "server_error", "code": None}}
        else:
            payload = completion(body, reply)
        data = json.dumps(payload).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    model: FakeOpenAI


class LoopbackServer:
    """Start/stop the HTTP server in a thread; ``url`` is the OpenAI base URL."""

    def __init__(self, model: FakeOpenAI) -> None:
        self.model = model
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.model = model
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# Scripted answers built from what crisiscell sent -----------------------------------------


def category_reply(code: str, confidence: float = 0.9) -> Reply:
    return Reply(args={"code": code, "confidence": confidence, "secondary": [],
                       "reasons": ["scripted"]})


def compliant_steps(facts: Body) -> list[Body]:
    """Every applicable step (SOP order) and every notification due, at the SOP's clock."""
    steps: list[Body] = []
    for sop in facts["sops"]:
        for s in sop["steps"]:
            if s["applies"] == "yes":
                steps.append({"sop_id": sop["id"], "step_id": s["id"], "action": s["action"],
                              "action_type": s["action_type"], "owner": s["owner"],
                              "deadline_minutes": s["deadline_minutes"]})
        for n in sop["notifications"]:
            if n["required"]:
                steps.append({"sop_id": sop["id"], "step_id": n["ref"],
                              "action": f"Notify {n['to']}", "action_type": "notify",
                              "owner": sop["roles"][0], "deadline_minutes": n["within_minutes"]})
    return steps


def scenarios_reply(body: Body, edit: Callable[[list[Body]], list[Body]] | None = None) -> Reply:
    """One compliant scenario built from the facts crisiscell sent, optionally edited."""
    steps = compliant_steps(user_facts(body))
    if edit is not None:
        steps = edit(steps)
    return Reply(args={"scenarios": [{"title": "By the book", "rationale": "All SOP steps.",
                                      "steps": steps}]})


def good_model(category: Callable[[Body], str]) -> Script:
    """A well-behaved model: the category ``category(facts)``, then compliant scenarios."""

    def script(body: Body) -> Reply:
        if tool_name(body) == "propose_category":
            return category_reply(category(user_facts(body)))
        if tool_name(body) == "report_ready":
            return Reply(args={"ready": True, "echo": user_facts(body)["word"]})
        return scenarios_reply(body)

    return script
