#!/usr/bin/env python3
"""kalic, the security agent: audits artifacts, scans code, verifies fixes."""

from agentlib import digest, integer, serve, text

FINDINGS = [
    {"id": "VULN-0042", "type": "SQL_INJECTION", "severity": "high",
     "file": "user_query.ps1", "line": 42},
    {"id": "VULN-0107", "type": "WEAK_TOKEN_LIFETIME", "severity": "medium",
     "file": "oauth/config.yaml", "line": 7},
    {"id": "VULN-0311", "type": "MISSING_PKCE", "severity": "low",
     "file": "oauth/client.py", "line": 88},
]


def audit(payload, envelope):
    artifact = text(payload, "artifact", "")
    # The demo's audit finds what 'findings' asks for (default 2), so the approval gate shows.
    count = integer(payload, "findings", 2, 0, len(FINDINGS))
    found = FINDINGS[1:1 + count] if count < len(FINDINGS) else FINDINGS
    return {
        "artifact": artifact,
        "vulnerabilitiesFound": len(found),
        "findings": found,
        "highestSeverity": found[0]["severity"] if found else "none",
        "reportId": "audit-" + digest(artifact, count),
    }


def scan(payload, envelope):
    target = text(payload, "target", "codebase")
    return {
        "target": target,
        "filesScanned": 1000,
        "vulnerability": FINDINGS[0],
        "highSeverity": 1,
        "reportId": "scan-" + digest(target),
    }


def verify(payload, envelope):
    vulnerability = payload.get("vulnerability") or {}
    vid = vulnerability.get("id", "unknown") if isinstance(vulnerability, dict) else "unknown"
    return {"vulnerability": vid, "resolved": True, "rescannedFiles": 1, "remaining": 0}


if __name__ == "__main__":
    serve({"audit": audit, "scan": scan, "verify": verify})
