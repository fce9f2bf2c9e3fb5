#!/usr/bin/env python3
"""cmdc, the command agent: deploys, runs test suites, produces and analyzes logs.

It runs only what is written here: no message ever names a program or a script to run.
"""

from agentlib import digest, flag, integer, serve, text

LEVELS = ["INFO"] * 14 + ["WARN"] * 4 + ["ERROR"] * 2
SERVICES = ["api", "auth", "db", "queue", "web"]
EVENTS = {
    "INFO": ["request ok", "cache hit", "token issued", "job done"],
    "WARN": ["slow query", "retrying", "cache miss storm"],
    "ERROR": ["timeout", "connection refused", "500 on /login"],
}


def deploy(payload, envelope):
    artifact = text(payload, "artifact", "")
    environment = text(payload, "environment", "production")
    if flag(payload, "simulateFailure"):
        return {"error": "health check failed after deploying %s to %s" % (artifact, environment),
                "errorType": "DeployFailed"}
    return {
        "deployed": artifact,
        "environment": environment,
        "version": "v" + digest(artifact)[:7],
        "url": "https://%s.example.internal/" % environment,
        "healthy": True,
    }


def rollback(payload, envelope):
    return {"rolledBack": text(payload, "artifact", ""),
            "environment": text(payload, "environment", "production")}


def run_tests(payload, envelope):
    suite = text(payload, "suite", "unit")
    total = {"unit": 412, "integration": 57}.get(suite, 25)
    return {"suite": suite, "passed": total, "failed": 0, "skipped": 0,
            "durationMillis": 900 + len(suite) * 40}


def generate_logs(payload, envelope):
    """count synthetic log lines (deterministic: a linear congruential generator); the workflow's
    scatter cuts them into chunks."""
    count = integer(payload, "count", 10000, 0, 10000)
    state = 20261124
    lines = []
    for i in range(count):
        state = (1103515245 * state + 12345) % 2147483648
        level = LEVELS[state % len(LEVELS)]
        service = SERVICES[(state >> 8) % len(SERVICES)]
        event = EVENTS[level][(state >> 16) % len(EVENTS[level])]
        lines.append("%02d:%02d:%02d %s %s %s" % (
            i // 3600 % 24, i // 60 % 60, i % 60, level, service, event))
    return {"lines": lines, "count": len(lines)}


def analyze_chunk(payload, envelope):
    lines = payload.get("lines") or []
    counts = {"chunks": 1, "lines": 0, "errors": 0, "warnings": 0, "info": 0}
    for line in lines if isinstance(lines, list) else []:
        parts = str(line).split(" ")
        level = parts[1] if len(parts) > 1 else ""
        counts["lines"] += 1
        if level == "ERROR":
            counts["errors"] += 1
        elif level == "WARN":
            counts["warnings"] += 1
        elif level == "INFO":
            counts["info"] += 1
    return counts


def summarize(payload, envelope):
    totals = payload.get("totals") or {}
    if not isinstance(totals, dict):
        totals = {}
    lines = integer(totals, "lines", 0, 0, 10**9)
    errors = integer(totals, "errors", 0, 0, 10**9)
    warnings = integer(totals, "warnings", 0, 0, 10**9)
    rate = (100.0 * errors / lines) if lines else 0.0
    return {
        "chunks": integer(totals, "chunks", 0, 0, 10**9),
        "lines": lines,
        "errors": errors,
        "warnings": warnings,
        "errorRatePercent": round(rate, 2),
        "verdict": "investigate" if rate > 5 else "healthy",
    }


def notify(payload, envelope):
    return {"notified": True, "about": payload.get("error")}


if __name__ == "__main__":
    serve({
        "deploy": deploy,
        "rollback": rollback,
        "test": run_tests,
        "generate_logs": generate_logs,
        "analyze_chunk": analyze_chunk,
        "summarize": summarize,
        "notify": notify,
    })
