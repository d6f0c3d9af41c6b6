#!/usr/bin/env python3
"""An independent Standard Webhooks verifier (standard library only).

Usage: webhook_verifier.py VECTORS_JSON DELIVERIES_JSON

It first checks itself against the published `standard_webhooks` vector, then
checks every delivery a test receiver recorded. DELIVERIES_JSON is
{"secrets": ["whsec_…", …], "deliveries": [{"id", "timestamp", "signature", "body"}, …]}.
It prints, per delivery, the indexes of the secrets with a valid `v1`
signature among the space-separated values of `webhook-signature`, and how
many signatures there were. Exit status 1 when the vector does not verify.
"""

import base64
import hashlib
import hmac
import json
import sys


def key_of(secret):
    if secret.startswith("whsec_"):
        secret = secret[len("whsec_"):]
    return base64.b64decode(secret)


def expected(secret, msg_id, timestamp, body):
    message = "{}.{}.{}".format(msg_id, timestamp, body).encode("utf-8")
    digest = hmac.new(key_of(secret), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signatures(header):
    return [s[len("v1,"):] for s in header.split(" ") if s.startswith("v1,")]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        vector = json.load(f)["standard_webhooks"]
    want = expected(vector["secret"], vector["id"], vector["timestamp"], vector["body"])
    if not any(hmac.compare_digest(want, s) for s in signatures(vector["signature"])):
        print("the published vector does not verify", file=sys.stderr)
        return 1
    with open(sys.argv[2], encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for d in data["deliveries"]:
        sigs = signatures(d["signature"])
        valid = [
            i
            for i, secret in enumerate(data["secrets"])
            if any(
                hmac.compare_digest(expected(secret, d["id"], d["timestamp"], d["body"]), s)
                for s in sigs
            )
        ]
        out.append({"id": d["id"], "valid": valid, "signatures": len(sigs)})
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
