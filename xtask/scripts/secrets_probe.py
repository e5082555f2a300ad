"""A synthetic probe of credentials in the files they leak from.

Sixteen token formats (AWS key id and secret key, GitHub classic tokens
with their CRC32 checksum and fine-grained tokens, OpenAI, Anthropic,
Slack, Stripe, Google, GitLab, npm, SendGrid, Twilio, HS256-signed JWTs,
PEM private keys, passwords), generated here with random bodies, in 18
contexts: .env, docker-compose and Kubernetes YAML, JSON, Python,
JavaScript, Go, shell exports, curl headers, Terraform, TOML, INI,
Dockerfiles, GitHub Actions, logs, chat, .npmrc and .NET XML config. Gold
spans follow ../shared/eval/LABELLING.md (the token only):

    python3 xtask/scripts/secrets_probe.py SEED N > probe.jsonl
    target/release/deepsentinel scan --jsonl-input --format jsonl \
        --categories secret < probe.jsonl > probe.pred
    python3 ../shared/eval/score.py probe.jsonl probe.pred

What the scanner misses here by design: an AWS secret key or a password
pasted into chat with no key name (nothing marks 40 random characters as
a credential), and random passwords that happen to contain `%s` (read as
format strings).
"""
import json, random, sys, string, base64, hmac, hashlib, zlib

SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 5
random.seed(SEED)
A = string.ascii_letters + string.digits
def rs(n, al=A): return "".join(random.choice(al) for _ in range(n))
B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
def b62(n, width):
    s = ""
    while n: n, r = divmod(n, 62); s = B62[r] + s
    return s.rjust(width, "0")

def gh(prefix):
    body = rs(30)
    crc = zlib.crc32(body.encode()) & 0xffffffff
    return prefix + body + b62(crc, 6)
def jwt():
    h = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()).rstrip(b"=").decode()
    p = base64.urlsafe_b64encode(json.dumps({"sub": rs(8), "name": "svc", "iat": random.randint(1600000000, 1700000000)}).encode()).rstrip(b"=").decode()
    sig = base64.urlsafe_b64encode(hmac.new(rs(16).encode(), f"{h}.{p}".encode(), hashlib.sha256).digest()).rstrip(b"=").decode()
    return f"{h}.{p}.{sig}"
def pem():
    body = base64.b64encode(random.randbytes(600)).decode()
    lines = "\n".join(body[i:i+64] for i in range(0, len(body), 64))
    kind = random.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    return f"-----BEGIN {kind}-----\n{lines}\n-----END {kind}-----"

GEN = {
 "aws_access_key_id": lambda: random.choice(["AKIA", "ASIA"]) + rs(16, string.ascii_uppercase + "234567"),
 "aws_secret_access_key": lambda: rs(40, A + "/+"),
 "github_pat": lambda: gh(random.choice(["ghp_", "gho_", "ghs_", "ghu_"])),
 "github_fine": lambda: "github_pat_" + rs(22) + "_" + rs(59),
 "openai": lambda: random.choice(["sk-proj-" + rs(48) + "T3BlbkFJ" + rs(48)[:20], "sk-" + rs(20) + "T3BlbkFJ" + rs(20)]),
 "anthropic": lambda: "sk-ant-api03-" + rs(93, A + "-_") + "AA",
 "slack": lambda: random.choice(["xoxb-", "xoxp-"]) + "-".join([str(random.randint(10**10, 10**12)), str(random.randint(10**10, 10**12)), rs(24)]),
 "stripe": lambda: random.choice(["sk_live_", "rk_live_"]) + rs(random.choice([24, 99])),
 "google": lambda: "AIza" + rs(35, A + "-_"),
 "gitlab": lambda: "glpat-" + rs(20, A + "-_"),
 "npm": lambda: "npm_" + rs(36),
 "sendgrid": lambda: "SG." + rs(22, A + "-_") + "." + rs(43, A + "-_"),
 "twilio": lambda: "SK" + rs(32, "0123456789abcdef"),
 "jwt": jwt,
 "pem": pem,
 "password": lambda: rs(random.randint(12, 20), A + "!@#%^*"),
}
KEYS = {
 "aws_access_key_id": ["AWS_ACCESS_KEY_ID", "aws_access_key_id", "accessKeyId"],
 "aws_secret_access_key": ["AWS_SECRET_ACCESS_KEY", "aws_secret_access_key", "secretAccessKey"],
 "github_pat": ["GITHUB_TOKEN", "GH_TOKEN", "token"],
 "github_fine": ["GITHUB_TOKEN", "gh_pat"],
 "openai": ["OPENAI_API_KEY", "openai_key", "apiKey"],
 "anthropic": ["ANTHROPIC_API_KEY", "anthropic_key"],
 "slack": ["SLACK_BOT_TOKEN", "slack_token"],
 "stripe": ["STRIPE_SECRET_KEY", "stripe_key"],
 "google": ["GOOGLE_API_KEY", "maps_api_key"],
 "gitlab": ["GITLAB_TOKEN", "CI_JOB_TOKEN_X"],
 "npm": ["NPM_TOKEN"],
 "sendgrid": ["SENDGRID_API_KEY"],
 "twilio": ["TWILIO_API_KEY"],
 "jwt": ["JWT", "access_token", "id_token"],
 "password": ["DB_PASSWORD", "password", "admin_password", "POSTGRES_PASSWORD"],
}

class Doc:
    def __init__(self): self.parts = []; self.ents = []; self.n = 0
    def t(self, s): self.parts.append(s); self.n += len(s); return self
    def e(self, s, sub): self.ents.append({"type": "SECRET", "start": self.n, "end": self.n + len(s), "subtype": sub}); return self.t(s)
    def out(self, i, ctx, subs): return {"id": f"s-{i:05d}", "text": "".join(self.parts), "entities": self.ents, "meta": {"context": ctx, "subs": subs}}

def gen(i):
    subs = random.sample([k for k in GEN if k != "pem"], random.randint(1, 2))
    if random.random() < 0.08: subs = ["pem"]
    vals = [(s, GEN[s]()) for s in subs]
    kind = random.choice(["env", "yaml", "json", "py", "js", "shell", "curl", "hcl", "toml", "ini", "docker", "gha", "log", "chat", "k8s", "go", "npmrc", "xml"])
    d = Doc()
    key = lambda s: random.choice(KEYS.get(s, ["secret"]))
    if subs == ["pem"]:
        v = vals[0][1]
        if kind in ("json", "js", "py"):
            d.t('{"private_key": "').e(v.replace("\n", "\\n"), "pem").t('"}')
        else:
            d.t("Here is the deploy key:\n").e(v, "pem").t("\nthanks")
        return d.out(i, kind + "-pem", subs)
    if kind == "env":
        for s, v in vals: d.t(f"{key(s)}=").e(v, s).t("\n")
    elif kind == "yaml":
        d.t("services:\n  api:\n    environment:\n")
        for s, v in vals: d.t(f"      {key(s)}: ").e(v, s).t("\n")
    elif kind == "json":
        d.t("{")
        for j, (s, v) in enumerate(vals): d.t(f'"{key(s)}": "').e(v, s).t('"' + (", " if j + 1 < len(vals) else ""))
        d.t("}")
    elif kind == "py":
        for s, v in vals: d.t(f"{key(s).lower()} = \"").e(v, s).t("\"\n")
        d.t("client = Client(api_key=api_key)\n")
    elif kind == "js":
        d.t("const config = {\n")
        for s, v in vals: d.t(f"  {key(s)}: '").e(v, s).t("',\n")
        d.t("};\n")
    elif kind == "shell":
        for s, v in vals: d.t(f"export {key(s)}=\"").e(v, s).t("\"\n")
    elif kind == "curl":
        s, v = vals[0]
        hdr = random.choice(["Authorization: Bearer ", "x-api-key: ", "Authorization: token "])
        d.t(f"curl -s https://api.example.com/v1/items -H \"{hdr}").e(v, s).t("\" -H 'Content-Type: application/json'")
    elif kind == "hcl":
        d.t('provider "aws" {\n')
        for s, v in vals: d.t(f'  {key(s).lower()} = "').e(v, s).t('"\n')
        d.t("}\n")
    elif kind == "toml":
        d.t("[credentials]\n")
        for s, v in vals: d.t(f'{key(s).lower()} = "').e(v, s).t('"\n')
    elif kind == "ini":
        d.t("[default]\n")
        for s, v in vals: d.t(f"{key(s).lower()} = ").e(v, s).t("\n")
    elif kind == "docker":
        d.t("FROM node:20\n")
        for s, v in vals: d.t(f"ENV {key(s)}=").e(v, s).t("\n")
        d.t("CMD [\"node\", \"server.js\"]\n")
    elif kind == "gha":
        d.t("jobs:\n  build:\n    steps:\n      - run: ./deploy.sh\n        env:\n")
        for s, v in vals: d.t(f"          {key(s)}: ").e(v, s).t("\n")
    elif kind == "log":
        for s, v in vals: d.t(f"2024-05-01T10:00:00Z DEBUG request headers={{'Authorization': 'Bearer ").e(v, s).t("'} status=401\n")
    elif kind == "chat":
        d.t("I keep getting 401s, here's what I'm using: ")
        for j, (s, v) in enumerate(vals): d.e(v, s).t(" and " if j + 1 < len(vals) else ". What am I doing wrong?")
    elif kind == "k8s":
        d.t("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\nstringData:\n")
        for s, v in vals: d.t(f"  {key(s).lower()}: ").e(v, s).t("\n")
    elif kind == "go":
        for s, v in vals: d.t(f"\t{key(s).title().replace('_', '')} := \"").e(v, s).t("\"\n")
    elif kind == "npmrc":
        s, v = vals[0]
        d.t("//registry.npmjs.org/:_authToken=").e(v, s).t("\n")
    elif kind == "xml":
        d.t("<configuration>\n")
        for s, v in vals: d.t(f"  <add key=\"{key(s)}\" value=\"").e(v, s).t("\" />\n")
        d.t("</configuration>")
    return d.out(i, kind, subs)

n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
for i in range(n): print(json.dumps(gen(i)))
