#!/usr/bin/env python3
"""vssc, the build agent: implements features and fixes, and reverts them (compensation)."""

from agentlib import digest, serve, text


def implement(payload, envelope):
    feature = text(payload, "feature", "module")
    slug = "".join(c if c.isalnum() else "-" for c in feature.lower()).strip("-") or "module"
    requirements = payload.get("requirements") or []
    build = digest(feature, requirements)
    return {
        "feature": feature,
        "artifactPath": "build/%s-1.0.%d.jar" % (slug, int(build, 16) % 100),
        "buildId": "b-" + build,
        "filesChanged": 4 + len(requirements),
        "linesAdded": 120 + 37 * len(requirements),
        "testsAdded": 2 * len(requirements) + 1,
    }


def revert(payload, envelope):
    artifact = text(payload, "artifact", "")
    return {"reverted": artifact, "action": "artifact withdrawn, branch reset"}


def fix(payload, envelope):
    vulnerability = payload.get("vulnerability") or {}
    if not isinstance(vulnerability, dict):
        vulnerability = {}
    vid = text(vulnerability, "id", "unknown")
    where = text(vulnerability, "file", "unknown file")
    return {
        "vulnerability": vid,
        "patch": "patches/fix-%s.diff" % vid.lower(),
        "commit": digest("fix", vid, where),
        "filesChanged": [where],
        "change": "parameterized query replaces string concatenation at line %s"
        % vulnerability.get("line", "?"),
    }


def revert_fix(payload, envelope):
    return {"reverted": text(payload, "patch", ""), "action": "patch reverted"}


if __name__ == "__main__":
    serve({"implement": implement, "revert": revert, "fix": fix, "revert_fix": revert_fix})
