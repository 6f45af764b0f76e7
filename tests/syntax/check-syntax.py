#!/usr/bin/python3
"""Style checks run as a meson test (suite 'syntax'), one TAP test each:

  file-length      no .c/.h/.py over 1500 lines, except files in
                   length-allowlist.txt, which may not grow; an entry for a
                   file that no longer needs it must be removed (the list
                   only shrinks)
  banned-calls     no close(, strcpy(, sprintf(, vsprintf( in libcore/ and
                   daemons/ (suggestions printed); banned-allowlist.txt holds
                   the calls that predate this check ("path call count"): a
                   file may keep at most that many, and a note asks to
                   lower the entry once some are gone
  no-cxx-comments  no // comments in .c/.h anywhere
  core-from-this   every .c in libcore/ and daemons/ that calls
                   core_error_set() or core_error_set_errno() defines
                   CORE_FROM_THIS

Usage: check-syntax.py [--tap] [SOURCE_ROOT]
"""
import os
import re
import subprocess
import sys

HARD_LIMIT = 1500
SKIP_DIRS = {".git", "subprojects", "__pycache__", ".ci"}
HERE = os.path.dirname(os.path.abspath(__file__))

BANNED = [
    (re.compile(r"(?<![\w.>$])close\s*\("),
     "use core_clear_fd() or core_autofd (core-autoptr.h), or g_close()"),
    (re.compile(r"(?<![\w.>$])strcpy\s*\("), "use g_strlcpy() or g_strdup()"),
    (re.compile(r"(?<![\w.>$])v?sprintf\s*\("), "use g_strdup_printf() or g_snprintf()"),
]
ERROR_SET = re.compile(r"\bcore_error_set(_errno)?\s*\(")
FROM_THIS = re.compile(r"^\s*#\s*define\s+CORE_FROM_THIS\b", re.M)


def git_files(root):
    """Tracked files (committed or staged), or None outside a git checkout.
    Work in progress that nobody has added yet is not judged."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True,
                             check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return None
    return [os.path.normpath(p) for p in out.split("\0")
            if p.endswith((".c", ".h", ".py")) and os.path.exists(os.path.join(root, p))
            and not p.startswith("subprojects/")]


def source_files(root):
    tracked = git_files(root)
    if tracked is not None:
        yield from sorted(tracked)
        return
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not (rel == "." and d.startswith("build")))
        for name in sorted(filenames):
            if name.endswith((".c", ".h", ".py")):
                yield os.path.normpath(os.path.join(rel, name))


def split_c(text):
    """Returns (code, line_comments): @code is @text with comments and
    string/char literal contents blanked (newlines kept, so line numbers
    hold); line_comments lists the line numbers of // comments."""
    out = []
    line_comments = []
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        two = text[i:i + 2]
        if two == "/*":
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            chunk = text[i:end]
            out.append(re.sub(r"[^\n]", " ", chunk))
            line += chunk.count("\n")
            i = end
        elif two == "//":
            end = text.find("\n", i)
            end = n if end < 0 else end
            line_comments.append(line)
            out.append(" " * (end - i))
            i = end
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (min(j, n) - i - 1) + (c if j < n and text[j] == c else ""))
            i = j + 1 if j < n and text[j] == c else j
        else:
            if c == "\n":
                line += 1
            out.append(c)
            i += 1
    return "".join(out), line_comments


def line_of(text, pos):
    return text.count("\n", 0, pos) + 1


def read_allowlist(path):
    allow = {}
    if not os.path.exists(path):
        return allow
    with open(path) as f:
        for raw in f:
            entry = raw.split("#", 1)[0].split()
            if len(entry) == 2:
                allow[entry[0]] = int(entry[1])
    return allow


def check_length(root, files, allow):
    problems = []
    for rel in files:
        with open(os.path.join(root, rel), errors="replace") as f:
            count = sum(1 for _ in f)
        limit = allow.get(rel)
        if limit is None and count > HARD_LIMIT:
            problems.append(f"{rel}: {count} lines, over the {HARD_LIMIT}-line limit: split it")
        elif limit is not None and count > limit:
            problems.append(f"{rel}: {count} lines, grew past its allow-list entry ({limit})")
        elif limit is not None and count <= HARD_LIMIT:
            problems.append(f"{rel}: {count} lines, within the limit now: remove it from "
                            "tests/syntax/length-allowlist.txt")
    for rel in sorted(set(allow) - set(files)):
        problems.append(f"{rel}: listed in length-allowlist.txt but gone: remove the entry")
    return problems


def read_banned_allowlist(path):
    allow = {}
    if not os.path.exists(path):
        return allow
    with open(path) as f:
        for raw in f:
            entry = raw.split("#", 1)[0].split()
            if len(entry) == 3:
                allow[(entry[0], entry[1])] = int(entry[2])
    return allow


def filter_banned(found, allow):
    """Drops the calls allow-listed for their file; returns (problems, notes)."""
    by_key = {}
    for rel, call, msg in found:
        by_key.setdefault((rel, call), []).append(msg)
    problems, notes = [], []
    for key in sorted(set(by_key) | set(allow)):
        msgs = by_key.get(key, [])
        limit = allow.get(key, 0)
        if len(msgs) > limit:
            problems.extend(msgs)
        elif len(msgs) < limit:
            notes.append(f"{key[0]}: {len(msgs)} {key[1]}() left, lower its entry in "
                         f"banned-allowlist.txt from {limit}")
    return problems, notes


def check_c_file(rel, text, problems):
    code, line_comments = split_c(text)
    for ln in line_comments:
        problems["no-cxx-comments"].append(f"{rel}:{ln}: '//' comment: use /* */")
    in_core = rel.startswith(("libcore" + os.sep, "daemons" + os.sep))
    if not in_core:
        return
    for pattern, advice in BANNED:
        for m in pattern.finditer(code):
            call = m.group(0).split("(")[0].strip()
            problems["banned-raw"].append(
                (rel, call, f"{rel}:{line_of(code, m.start())}: direct {call}(): {advice}"))
    if rel.endswith(".c"):
        m = ERROR_SET.search(code)
        if m and not FROM_THIS.search(code):
            problems["core-from-this"].append(
                f"{rel}:{line_of(code, m.start())}: calls core_error_set*() without "
                "#define CORE_FROM_THIS")


def main(argv):
    args = [a for a in argv[1:] if a != "--tap"]
    root = os.path.abspath(args[0] if args else os.path.join(HERE, "..", ".."))
    files = list(source_files(root))
    allow = read_allowlist(os.path.join(HERE, "length-allowlist.txt"))
    problems = {"file-length": check_length(root, files, allow),
                "banned-calls": [], "no-cxx-comments": [], "core-from-this": [],
                "banned-raw": []}
    for rel in files:
        if rel.endswith((".c", ".h")):
            with open(os.path.join(root, rel), errors="replace") as f:
                check_c_file(rel, f.read(), problems)
    banned_allow = read_banned_allowlist(os.path.join(HERE, "banned-allowlist.txt"))
    problems["banned-calls"], notes = filter_banned(problems.pop("banned-raw"), banned_allow)

    print("TAP version 13")
    print(f"1..{len(problems)}")
    for note in notes:
        print(f"# note: {note}")
    failed = 0
    for num, (name, found) in enumerate(problems.items(), 1):
        for p in found:
            print(f"# {p}")
        print(f"{'not ok' if found else 'ok'} {num} - {name}")
        failed += bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
