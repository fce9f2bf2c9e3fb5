"""The little protocol the example agents share (stdlib only).

PhiSync's `agent run` starts the program once per message: the request envelope as JSON on
stdin, the response payload as one JSON object on stdout. Nothing in the message is ever
executed: the programs only read fields and compute answers from them.
"""

import hashlib
import json
import sys


def serve(handlers):
    """Reads the envelope, calls the handler for payload.command, prints its result."""
    envelope = json.load(sys.stdin)
    payload = envelope.get("payload") or {}
    if not isinstance(payload, dict):
        payload = {}
    command = payload.get("command", "")
    handler = handlers.get(command)
    if handler is None:
        result = {
            "error": "unknown command '%s' (known: %s)" % (command, ", ".join(sorted(handlers))),
            "errorType": "UnknownCommand",
        }
    else:
        result = handler(payload, envelope)
    json.dump(result, sys.stdout, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


def digest(*parts):
    """A stable short hex digest of the parts (deterministic answers for the same request)."""
    text = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def text(payload, key, default=""):
    value = payload.get(key, default)
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def integer(payload, key, default, low, high):
    value = payload.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return max(low, min(high, int(value)))


def flag(payload, key):
    value = payload.get(key, False)
    return value is True or value == "true"
