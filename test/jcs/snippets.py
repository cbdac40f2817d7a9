# test/jcs/snippets.py DOC.md: run the Python snippet of doc/digests.md
# (between "<!-- test: digests-python -->" and the end of the next code block)
# over the JSON lines on standard input ({"text", "limits", "image", "ih",
# "rd"}: a document and the digests the database computed), print
# "N M": documents checked, mismatches (the first few on standard error).
import json
import re
import sys

doc = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<!-- test: digests-python -->\s*```python\n(.*?)```", doc, re.S)
if not m:
    sys.exit("no Python snippet in " + sys.argv[1])
snippet = {}
exec(compile(m.group(1), sys.argv[1] + " (Python snippet)", "exec"), snippet)

checked = bad = 0
for line in sys.stdin:
    row = json.loads(line)
    value = json.loads(row["text"])
    config = value if isinstance(value, dict) else {"v": value}
    got = (snippet["run_identity_hash"](1, None, "jcs.property", value),
           snippet["release_digest"](row["image"], "sha256:" + "c" * 64, config, json.loads(row["limits"])))
    checked += 1
    if got != (row["ih"], row["rd"]):
        bad += 1
        if bad <= 3:
            print("mismatch for %s: %s, database %s" % (row["text"][:200], got, (row["ih"], row["rd"])), file=sys.stderr)
print(checked, bad)
