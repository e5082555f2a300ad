"""The official `openai` SDK against the gateway (run by tests/it/sdk.rs).

argv[1] is the gateway's base URL. The fake upstream behind it is scripted
by the Rust test in the order of the calls below. Exits non-zero with a
message on the first failed check.
"""
import sys

import openai

EMAIL = "jane.doe@example.com"
base = sys.argv[1]
client = openai.OpenAI(base_url=base + "/v1", api_key="sk-gateway-test", max_retries=0)

# 1. Non-streaming, anonymized round trip: the caller gets its value back.
r = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": f"Please email {EMAIL} today"}],
)
assert r.choices[0].message.content == f"Emailing {EMAIL} now.", r.choices[0].message.content

# 2. Streaming, with the placeholder split across events.
text = ""
chunks = 0
for chunk in client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": f"Please email {EMAIL} today"}],
    stream=True,
):
    chunks += 1
    if chunk.choices and chunk.choices[0].delta.content:
        text += chunk.choices[0].delta.content
assert text == f"Emailing {EMAIL} now.", text
assert chunks >= 3, chunks

# 3. Tool calls: the arguments come back parsed and restored.
r = client.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": f"Send a mail to {EMAIL}"}],
    tools=[{"type": "function", "function": {"name": "send_mail",
            "parameters": {"type": "object", "properties": {"to": {"type": "string"}}}}}],
)
call = r.choices[0].message.tool_calls[0]
assert call.function.name == "send_mail", call
assert EMAIL in call.function.arguments, call.function.arguments

# 4. A blocked request is the SDK's BadRequestError with our message.
try:
    client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Charge my card 4539 5787 6362 1486"}],
    )
    raise AssertionError("the blocked request succeeded")
except openai.BadRequestError as e:
    assert e.status_code == 400
    assert "compliance" in str(e), str(e)
    body = e.body if isinstance(e.body, dict) else {}
    assert body.get("type") == "compliance_violation", e.body
    assert "4539" not in str(e.body), e.body

print("openai sdk: ok")
