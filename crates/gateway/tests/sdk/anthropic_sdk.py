"""The official `anthropic` SDK against the gateway (run by tests/it/sdk.rs).

argv[1] is the gateway's base URL; the fake upstream behind it speaks the
Messages API and is scripted by the Rust test in the order of the calls.
"""
import sys

import anthropic

EMAIL = "jane.doe@example.com"
base = sys.argv[1]
client = anthropic.Anthropic(base_url=base, api_key="sk-gateway-test", max_retries=0)

# 1. Non-streaming, anonymized round trip.
m = client.messages.create(
    model="claude-sonnet-4-5",
    max_tokens=100,
    messages=[{"role": "user", "content": f"Please email {EMAIL} today"}],
)
assert m.content[0].text == f"Emailing {EMAIL} now.", m.content

# 2. Streaming through the SDK's stream helper.
with client.messages.stream(
    model="claude-sonnet-4-5",
    max_tokens=100,
    messages=[{"role": "user", "content": f"Please email {EMAIL} today"}],
) as stream:
    text = "".join(stream.text_stream)
    final = stream.get_final_message()
assert text == f"Emailing {EMAIL} now.", text
assert final.stop_reason == "end_turn", final.stop_reason

# 3. Tool use comes back as a tool_use block with restored input.
m = client.messages.create(
    model="claude-sonnet-4-5",
    max_tokens=100,
    tools=[{"name": "send_mail", "description": "Send a mail",
            "input_schema": {"type": "object", "properties": {"to": {"type": "string"}}}}],
    messages=[{"role": "user", "content": f"Send a mail to {EMAIL}"}],
)
tool = [b for b in m.content if b.type == "tool_use"][0]
assert tool.name == "send_mail" and tool.input == {"to": EMAIL}, tool
assert m.stop_reason == "tool_use", m.stop_reason

# 4. A blocked request is the SDK's BadRequestError with our message.
try:
    client.messages.create(
        model="claude-sonnet-4-5",
        max_tokens=100,
        messages=[{"role": "user", "content": "Charge my card 4539 5787 6362 1486"}],
    )
    raise AssertionError("the blocked request succeeded")
except anthropic.BadRequestError as e:
    assert e.status_code == 400
    assert "compliance" in str(e), str(e)
    assert "4539" not in str(e.body), e.body

print("anthropic sdk: ok")
