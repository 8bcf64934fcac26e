#!/usr/bin/env python3
"""sonamu(1), rendered by man(1), lists exactly the commands and options that `--help` prints,
with the same descriptions: the page is generated from the command definitions, and this
checks that nothing is left out or added on the way.

The sections quoted from the documentation (the README's exit codes, the environment and
files of docs/configuration.md) hold each row of their tables.

Usage: man_page_test.py SONAMU_BINARY MAN_PAGE SOURCE_DIR
"""
import os
import re
import subprocess
import sys

binary, page, source = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(command)} exited {result.returncode}: {result.stderr}")
    return result.stdout


def normal(text):
    return " ".join(text.split())


def tag_key(tag):
    """`-c, --connection TEXT` (man) and `-c,--connection TEXT` (--help) are one tag."""
    return normal(tag.replace(", ", ","))


def help_of(*words):
    """{tag: description} of options and positionals, {name: description} of subcommands, of
    `sonamu WORDS --help`."""
    text = run([binary, *words, "--help"])
    entries = {"Options": {}, "Positionals": {}, "Subcommands": {}}
    part = None
    entry = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.endswith(":") and not line.startswith(" "):
            # Options come in groups ("Options:", "Output:", "Connection:", ...), all options.
            part, entry = line[:-1], None
            if part not in ("Positionals", "Subcommands"):
                part = "Options"
        elif re.match(r"^  \S", line) and part in entries:
            # The description follows after two spaces or more, or on the next lines. CLI11 pads
            # a tag shorter than its 30 columns to them: one of 29 is followed by one space only
            # (a longer tag has its description on the next line).
            tag, gap, description = line.strip().partition("  ")
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if not gap and len(line) > 30 and line[29] == " " and not re.match(r"^ {20,}\S", following):
                tag, description = line[:30].strip(), line[30:]
            entry = [tag_key(tag), normal(description)]
            entries[part][entry[0]] = entry
        elif entry is not None and re.match(r"^ {20,}\S", line):
            entry[1] = normal(entry[1] + " " + line)
    return ({k: v[1] for k, v in entries["Options"].items()},
            {k: v[1] for k, v in entries["Subcommands"].items()},
            {k: v[1] for k, v in entries["Positionals"].items()})


def man_text():
    env = dict(os.environ, MANWIDTH="100", LC_ALL="C.UTF-8")
    return run(["man", "-l", page], env=env)


def parse_man(text):
    """{section: {subsection: [[tag, description]]}}: the tagged paragraphs of each section."""
    sections = {}
    section = subsection = None
    entry = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if re.match(r"^[A-Z]", line):
            section, subsection, entry = line.strip(), "", None
            sections.setdefault(section, {}).setdefault("", [])
        elif section is None:
            continue
        elif re.match(r"^   \S", line):
            subsection, entry = line.strip(), None
            sections[section].setdefault(subsection, [])
        elif re.match(r"^       \S", line):
            # A tagged paragraph follows a blank line or a section title, not a subsection's.
            body = line[7:]
            entry = None
            tag = body.split(" ", 1)[0]
            if lines[i - 1].strip() and not re.match(r"^[A-Z]", lines[i - 1]):
                pass
            elif not tag.startswith("-") and len(tag) < 7 and body[len(tag):7].strip() == "" and body[7:8].strip():
                # A tag narrower than the indent shares its line with the description, which
                # starts at the indent (options never do: the page breaks the line after them).
                entry = [tag, body[7:].strip()]
            elif re.match(r"^ {14}\S", following):
                entry = [body.strip(), ""]
            if entry is not None:
                sections[section][subsection].append(entry)
        elif entry is not None and re.match(r"^ {14}\S", line):
            entry[1] = (entry[1] + " " + line.strip()).strip()
        else:
            entry = None
    return sections


def entries_to_dict(entries):
    """Options ({tag: description}) and positionals, told apart by the leading dash."""
    options, positionals = {}, {}
    for tag, description in entries:
        (options if tag.startswith("-") else positionals)[tag_key(tag)] = normal(description)
    return options, positionals


def compare(what, expected, actual):
    if expected != actual:
        missing = sorted(set(expected) - set(actual))
        extra = sorted(set(actual) - set(expected))
        differ = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
        details = "; ".join(f"{k}: --help {expected[k]!r}, man {actual[k]!r}" for k in differ)
        failures.append(f"{what}: missing in man {missing}, only in man {extra}, different text: {details}")


rendered = man_text()
man = parse_man(rendered)
for required in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "COMMON OPTIONS", "EXIT STATUS",
                 "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO"):
    if required not in man:
        failures.append(f"the page has no {required} section (sections: {list(man)})")

top_options, top_commands, _ = help_of()
compare("sonamu options", top_options, entries_to_dict(man.get("OPTIONS", {}).get("", []))[0])

common, _ = entries_to_dict(man.get("COMMON OPTIONS", {}).get("", []))
if not common:
    failures.append("COMMON OPTIONS lists no option")
commands = man.get("COMMANDS", {})

_, migrate_commands, _ = help_of("migrate")
listed = sorted(name for name in commands if name)
expected_listed = sorted(["migrate " + name for name in migrate_commands] +
                         [name for name in top_commands if name != "migrate"])
if listed != expected_listed:
    failures.append(f"COMMANDS lists {listed}, --help lists {expected_listed}")

# Each command: its own options plus the common ones, exactly --help's (with the same text).
checked = 0
for name in migrate_commands:
    options, _, positionals = help_of("migrate", name)
    own, own_positionals = entries_to_dict(commands.get("migrate " + name, []))
    compare(f"migrate {name} options", options, {**common, **own})
    compare(f"migrate {name} arguments", positionals, own_positionals)
    checked += 1
for name in top_commands:
    if name == "migrate":
        continue
    options, _, positionals = help_of(name)
    own, own_positionals = entries_to_dict(commands.get(name, []))
    compare(f"{name} options", options, own)
    compare(f"{name} arguments", positionals, own_positionals)
    checked += 1

# The command's one-line help opens its subsection.
for name, description in migrate_commands.items():
    if normal(description) + "." not in normal(rendered):
        failures.append(f"migrate {name}: its help text {description!r} is not in the page")

# The synopsis names every command.
synopsis = normal(rendered.split("\nDESCRIPTION")[0])
for name in migrate_commands:
    if f"sonamu migrate {name} " not in synopsis + " ":
        failures.append(f"SYNOPSIS does not show sonamu migrate {name}")

# Each row of the documentation's tables is an entry of its section, the first cell as tag.
def document_table(file, heading):
    with open(os.path.join(source, file), encoding="utf-8") as document:
        text = document.read()
    if "\n" + heading + "\n" not in text:
        failures.append(f"{file} has no section {heading!r}")
        return []
    body = text.split("\n" + heading + "\n", 1)[1]
    rows = []
    for line in body.splitlines()[1:]:
        if line.startswith("#"):
            break
        if line.startswith("|") and not set(line) <= set("|-: "):
            rows.append(line.strip("|").split("|")[0].strip().replace("`", ""))
    return rows[1:]  # without the header row


for section, file, heading, expect in (
        ("EXIT STATUS", "README.md", "## Exit codes", ["0", "1", "2", "3", "4", "5"]),
        ("ENVIRONMENT", "docs/configuration.md", "### Environment", ["DATABASE_URL", "NODE_ENV", "PGHOST", "NO_COLOR"]),
        ("FILES", "docs/configuration.md", "### Files", ["sonamu.config.json", "migrations/"])):
    rows = document_table(file, heading)
    tags = [tag for tag, _ in man.get(section, {}).get("", [])]
    if rows != tags:
        failures.append(f"{section} has entries {tags}, the rows of {file}'s {heading!r} {rows}")
    for name in expect:
        if not any(name in row for row in rows):
            failures.append(f"{section}: {name} is not documented")
# Links of the Markdown read as their text: a page has nowhere to point them.
if "](" in rendered:
    failures.append("the page shows Markdown links as written: " +
                    "; ".join(line.strip() for line in rendered.splitlines() if "](" in line))
for command in ("sonamu migrate rollback --dry-run", "NODE_ENV=production sonamu migrate rollback --backup"):
    if command not in rendered:
        failures.append(f"EXAMPLES lacks {command!r}")

if failures:
    for failure in failures:
        print("FAILED:", failure, file=sys.stderr)
    print(f"man page: {checked} commands compared with --help: 0 passed, {len(failures)} failed")
    sys.exit(1)
print(f"man page: {checked} commands compared with --help: {checked} passed, 0 failed")
