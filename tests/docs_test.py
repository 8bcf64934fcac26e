#!/usr/bin/env python3
"""The documentation holds together: README.md stays a short front door (at most 300 lines),
every page of docs/ is linked from it, and every relative link of README.md, CONTRIBUTING.md
and docs/*.md leads to a file that exists and, with a #fragment, to a heading of that file
(GitHub's anchors). Names of end-to-end CTest entries are never listed in the README (such a
list goes stale), and any one named elsewhere is an entry that exists. The keys table of
docs/configuration.md lists the keys of the configuration's JSON Schema, each where it may be.

Usage: docs_test.py SOURCE_DIR
"""
import glob
import json
import os
import re
import sys

source = os.path.abspath(sys.argv[1])
failures = []
checked_links = 0
MAX_README_LINES = 300


def read(path):
    with open(path, encoding="utf-8") as file:
        return file.read()


def outside_fences(text):
    """The text with fenced and indented code blocks blanked out: no heading or link is there."""
    lines = []
    fence = None
    for line in text.split("\n"):
        marker = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if fence is None and marker:
            fence = marker.group(1)
            lines.append("")
        elif fence is not None:
            if line.strip().startswith(fence):
                fence = None
            lines.append("")
        elif line.startswith("    ") or line.startswith("\t"):
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def prose(text):
    """The text outside code blocks and `code` spans: where links are links."""
    return re.sub(r"`[^`\n]*`", "", outside_fences(text))


def anchors(path):
    """GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces
    as hyphens, a repeated anchor numbered -1, -2, ..."""
    seen = {}
    result = set()
    for line in outside_fences(read(path)).split("\n"):
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1))  # a link: its text
        slug = re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def check_links(path):
    global checked_links
    folder = os.path.dirname(path)
    name = os.path.relpath(path, source)
    for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", prose(read(path))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # an absolute URL: not this repository's to check
        checked_links += 1
        file_part, _, fragment = target.partition("#")
        linked = os.path.normpath(os.path.join(folder, file_part)) if file_part else path
        if not linked.startswith(source + os.sep) and linked != source:
            failures.append(f"{name}: link {target!r} leaves the repository")
            continue
        if not os.path.exists(linked):
            failures.append(f"{name}: link {target!r}: {os.path.relpath(linked, source)} does not exist")
            continue
        if fragment:
            if not linked.endswith(".md"):
                failures.append(f"{name}: link {target!r}: a #fragment into a file that is not Markdown")
            elif fragment not in anchors(linked):
                failures.append(f"{name}: link {target!r}: {os.path.relpath(linked, source)} has no heading "
                                f"with the anchor #{fragment}")


readme_path = os.path.join(source, "README.md")
readme = read(readme_path)
lines = readme.count("\n") + (0 if readme.endswith("\n") else 1)
if lines > MAX_README_LINES:
    failures.append(f"README.md has {lines} lines, more than {MAX_README_LINES}: move the detail into docs/")

pages = sorted(glob.glob(os.path.join(source, "docs", "*.md")))
if not pages:
    failures.append("docs/ holds no page")
documents = [readme_path, os.path.join(source, "CONTRIBUTING.md")] + pages
for document in documents:
    if not os.path.isfile(document):
        failures.append(f"{os.path.relpath(document, source)} does not exist")
        continue
    check_links(document)

# Every page is reachable from the front door.
linked_from_readme = {os.path.normpath(os.path.join(source, target.partition("#")[0]))
                      for target in re.findall(r"\]\(([^)#\s]+)[^)]*\)", prose(readme))}
for page in pages:
    if page not in linked_from_readme:
        failures.append(f"{os.path.relpath(page, source)} is not linked from README.md")

# End-to-end entries: none listed in the README; any named elsewhere exists (tests/e2e/X_test.cpp
# is the CTest entry e2e_X, plus the check that every test is in one entry).
entries = {"e2e_" + os.path.basename(f)[:-len("_test.cpp")]
           for f in glob.glob(os.path.join(source, "tests", "e2e", "*_test.cpp"))}
entries.add("e2e_every_test_in_one_entry")
named_in_readme = sorted(set(re.findall(r"\be2e_[a-z_]+", readme)))
if named_in_readme:
    failures.append(f"README.md names end-to-end entries {named_in_readme}: such a list goes stale")
for document in documents[1:]:
    if not os.path.isfile(document):
        continue
    for entry in sorted(set(re.findall(r"\be2e_[a-z_]+", read(document)))):
        if entry not in entries:
            failures.append(f"{os.path.relpath(document, source)} names {entry}, which is no CTest entry")

# The keys table of docs/configuration.md is the schema's: the same keys, each where the schema
# allows it (`migrations`, environments, or both).
schema = json.loads(read(os.path.join(source, "schema", "sonamu.config.schema.json")))
in_migrations = set(schema["properties"]["migrations"]["properties"])
in_environments = set(schema["properties"]["environments"]["additionalProperties"]["properties"])
expected_keys = {key: "both" if key in in_migrations and key in in_environments
                 else "`migrations`" if key in in_migrations else "environments"
                 for key in in_migrations | in_environments}
configuration = read(os.path.join(source, "docs", "configuration.md"))
documented_keys = {}
if "\n| key | in | flag | meaning |\n" not in configuration:
    failures.append("docs/configuration.md has no keys table (| key | in | flag | meaning |)")
else:
    table = configuration.split("\n| key | in | flag | meaning |\n", 1)[1]
    for row in table.split("\n")[1:]:
        if not row.startswith("| `"):
            break
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        documented_keys[cells[0].strip("`")] = cells[1]
if documented_keys != expected_keys:
    missing = sorted(set(expected_keys) - set(documented_keys))
    extra = sorted(set(documented_keys) - set(expected_keys))
    wrong = sorted(f"{k}: {documented_keys[k]} (schema: {expected_keys[k]})"
                   for k in set(expected_keys) & set(documented_keys) if expected_keys[k] != documented_keys[k])
    failures.append(f"docs/configuration.md's keys table and the schema differ: missing {missing}, "
                    f"not in the schema {extra}, in the wrong place {wrong}")

if failures:
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    print(f"docs: {len(documents)} files, {checked_links} links checked, {len(failures)} failed")
    sys.exit(1)
print(f"docs: README.md has {lines} lines; {len(documents)} files, {checked_links} links checked, 0 failed")
