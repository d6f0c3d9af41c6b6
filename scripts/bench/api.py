#!/usr/bin/env python3
"""GraphQL calls for scripts/bench-load.sh (only to 127.0.0.1).

  api.py signup  PORT N PASSWORD RUN OUT        sign up N businesses; OUT: tenant_id email location_id
  api.py login   PORT PASSWORD TENANTS OUT      log each owner in; OUT: tenant_id token location_id
  api.py history PORT TOKENS GUESTS CHECKS WORKERS RUN
                                                CHECKS processChecks for each guest in GUESTS
                                                (lines: tenant_id guest_id), WORKERS in parallel
  api.py integrations PORT TOKENS OUT           create a POS integration per tenant;
                                                OUT: tenant_id integration_id secret
  api.py sign INTEGRATIONS PHONES N RUN OUT     N signed check.closed deliveries (timestamp now:
                                                valid for 300 s); PHONES: tenant_id phone;
                                                OUT: integration_id<TAB>X-Signature<TAB>body
Any HTTP error or GraphQL error stops with a message.
"""

import concurrent.futures
import http.client
import json
import random
import sys
import threading


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def gql(self, query, variables=None, token=None):
        body = json.dumps({"query": query, "variables": variables or {}})
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = "Bearer " + token
        try:
            self.conn.request("POST", "/graphql", body, headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (http.client.HTTPException, OSError):
            # A dropped keep-alive connection: one retry on a new one.
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request("POST", "/graphql", body, headers)
            resp = self.conn.getresponse()
            data = resp.read()
        if resp.status != 200:
            sys.exit(f"api.py: HTTP {resp.status}: {data[:500]!r}")
        v = json.loads(data)
        if v.get("errors"):
            sys.exit(f"api.py: GraphQL errors: {json.dumps(v['errors'])[:800]}")
        return v["data"]


SIGN_UP = """mutation($i: SignUpInput!) {
  signUp(input: $i) { accessToken me { tenant { id } } }
}"""
FIRST_USE = "{ levels { name } locations(first: 1) { nodes { id } } }"
LOGIN = """mutation($i: LoginInput!) {
  login(input: $i) { accessToken me { tenant { id } } }
}"""
PROCESS = """mutation($i: ProcessCheckInput!) {
  processCheck(input: $i) { checkId earned balance }
}"""


def signup(port, n, password, run, out):
    c = Client(port)
    with open(out, "w") as f:
        for k in range(1, int(n) + 1):
            email = f"bench{k}.{run}@example.com"
            d = c.gql(SIGN_UP, {"i": {
                "businessName": f"Bench Coffee {k}",
                "locationName": "Main",
                "email": email,
                "password": password,
                "displayName": f"Owner {k}",
            }})["signUp"]
            token = d["accessToken"]
            tenant = d["me"]["tenant"]["id"]
            # The first `levels` creates the default levels and settings.
            first = c.gql(FIRST_USE, token=token)
            if not first["levels"]:
                sys.exit("api.py: no default levels")
            loc = first["locations"]["nodes"][0]["id"]
            f.write(f"{tenant} {email} {loc}\n")


def login(port, password, tenants, out):
    c = Client(port)
    lines = []
    for line in open(tenants):
        tenant, email, loc = line.split()
        d = c.gql(LOGIN, {"i": {"email": email, "password": password, "tenantId": tenant}})["login"]
        if d["me"]["tenant"]["id"] != tenant:
            sys.exit("api.py: logged in to another tenant")
        lines.append(f"{tenant} {d['accessToken']} {loc}\n")
    with open(out, "w") as f:
        f.writelines(lines)


def history(port, tokens, guests, checks, workers, run):
    tenants = {}
    for line in open(tokens):
        tenant, token, loc = line.split()
        tenants[tenant] = (token, loc)
    todo = [line.split() for line in open(guests) if line.strip()]
    local = threading.local()

    def one(item):
        tenant, guest = item
        if not hasattr(local, "c"):
            local.c = Client(port)
        token, loc = tenants[tenant]
        for j in range(int(checks)):
            local.c.gql(PROCESS, {"i": {
                "locationId": loc,
                "guest": {"id": guest},
                "totalMinor": random.randint(10_000, 500_000),
                "externalId": f"seed-{run}-{guest}-{j}",
            }}, token=token)

    with concurrent.futures.ThreadPoolExecutor(int(workers)) as pool:
        for _ in pool.map(one, todo):
            pass


CREATE_INTEGRATION = """mutation($l: ID!) {
  createIntegration(input: { kind: POS, locationId: $l, name: "Bench POS" }) {
    secret integration { id }
  }
}"""


def integrations(port, tokens, out):
    c = Client(port)
    with open(out, "w") as f:
        for line in open(tokens):
            tenant, token, loc = line.split()
            d = c.gql(CREATE_INTEGRATION, {"l": loc}, token=token)["createIntegration"]
            f.write(f"{tenant} {d['integration']['id']} {d['secret']}\n")


def sign(integrations_file, phones_file, n, run, out):
    import hashlib
    import hmac
    import time

    by_tenant = {}
    for line in open(integrations_file):
        tenant, integration, secret = line.split()
        by_tenant[tenant] = (integration, secret)
    phones = {}
    for line in open(phones_file):
        tenant, phone = line.split()
        phones.setdefault(tenant, []).append(phone)
    tenants = sorted(by_tenant)
    t = str(int(time.time()))
    with open(out, "w") as f:
        for k in range(int(n)):
            tenant = tenants[k % len(tenants)]
            integration, secret = by_tenant[tenant]
            total = random.randint(1_000, 500_000)
            body = json.dumps({
                "type": "check.closed",
                "externalId": f"wh-{run}-{k}",
                "guest": {"phone": random.choice(phones[tenant])},
                "totalMinor": total,
                "payments": [{"method": "card", "amountMinor": total}],
            }, separators=(",", ":"))
            mac = hmac.new(secret.encode(), (t + "." + body).encode(), hashlib.sha256).hexdigest()
            f.write(f"{integration}\tt={t},v1={mac}\t{body}\n")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"signup": signup, "login": login, "history": history,
     "integrations": integrations, "sign": sign}[cmd](*args)
