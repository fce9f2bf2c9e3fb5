#!/usr/bin/env python3
"""webc, the research agent: synthesizes findings on a topic (deterministically, offline)."""

from agentlib import digest, serve, text

PRACTICES = [
    "Use the authorization code flow with PKCE for every public client",
    "Keep access tokens short-lived (5 to 15 minutes) and rotate refresh tokens",
    "Validate the issuer, audience, expiry and signature of every token",
    "Bind redirect URIs exactly; never accept wildcards",
    "Store client secrets in a vault, never in source control",
    "Use the state parameter (or PKCE) against CSRF on the redirect",
    "Prefer asymmetric token signing (RS256/EdDSA) and publish keys via JWKS",
]


def research(payload, envelope):
    topic = text(payload, "topic", "unspecified topic")
    seed = int(digest(topic), 16)
    count = 3 + seed % 3
    findings = [PRACTICES[(seed + i) % len(PRACTICES)] for i in range(count)]
    return {
        "topic": topic,
        "findings": findings,
        "sources": 8 + seed % 9,
        "summary": "%d findings on %s from %d sources" % (count, topic, 8 + seed % 9),
    }


if __name__ == "__main__":
    serve({"research": research})
