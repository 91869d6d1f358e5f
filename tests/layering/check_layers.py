#!/usr/bin/env python3
"""Keeps the layering of docs/architecture.md true, and the tree readable.

Checks every C++ source file tracked under the project root:
  1. `#include "..."` names a file by its full path from the root, and that file exists;
  2. each layer includes only the layers below it (the table LAYERS);
  3. nothing outside kiosk/app includes SDL or Dear ImGui;
  4. no source file (C++ or Python) is longer than 600 lines unless a line near its top says
     why ("Long file: <reason>").
Prints every violation with file:line and exits 1 if there is any.
usage: check_layers.py ROOT
"""
import os
import re
import sys

# layer (path prefix) -> the prefixes its files may include. Most specific prefix wins.
LAYERS = {
    "offline/domain/": ["offline/domain/"],
    "offline/store/": ["offline/domain/", "offline/store/"],
    "offline/sync/": ["offline/domain/", "offline/store/", "offline/sync/"],
    "drivers/": ["offline/domain/", "drivers/"],
    "drivers/token/": ["offline/domain/", "drivers/token/"],
    "kiosk/text/": ["offline/domain/", "kiosk/text/"],
    "kiosk/core/": ["offline/", "drivers/", "kiosk/text/", "kiosk/core/"],
    "kiosk/ctl/": ["offline/", "drivers/", "kiosk/text/", "kiosk/core/", "kiosk/ctl/"],
    "kiosk/app/": ["offline/", "drivers/", "kiosk/text/", "kiosk/core/", "kiosk/app/"],
}
UI_ONLY = re.compile(r'#\s*include\s*[<"](SDL[^>"]*|imgui[^>"]*|backends/imgui[^>"]*)[>"]')
QUOTED = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
MAX_LINES = 600
SOURCE = (".cpp", ".h", ".hpp", ".cc")


def layer_of(path):
    best = None
    for prefix in LAYERS:
        if path.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return best


def main(root):
    problems = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and not d.startswith("build")
                       and d not in ("demo-out",)]
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if not name.endswith(SOURCE + (".py",)):
                continue
            with open(full, encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
            if len(lines) > MAX_LINES and not any("Long file:" in l for l in lines[:40]):
                problems.append(f"{rel}: {len(lines)} lines (over {MAX_LINES}) and no 'Long file:' reason at its top")
            if not name.endswith(SOURCE):
                continue
            layer = layer_of(rel)
            for no, line in enumerate(lines, 1):
                if UI_ONLY.search(line) and not rel.startswith("kiosk/app/") and not rel.startswith("tests/ui/"):
                    problems.append(f"{rel}:{no}: SDL/ImGui outside kiosk/app: {line.strip()}")
                m = QUOTED.match(line)
                if not m:
                    continue
                target = m.group(1)
                if not os.path.isfile(os.path.join(root, target)):
                    problems.append(f"{rel}:{no}: include \"{target}\" is not a path from the project root")
                    continue
                if layer and not target.startswith("tests/"):
                    if not any(target.startswith(p) for p in LAYERS[layer]):
                        problems.append(f"{rel}:{no}: {layer} may not include {target}")
                if layer and target.startswith("tests/"):
                    problems.append(f"{rel}:{no}: product code includes test code {target}")
    for p in sorted(problems):
        print(p)
    print(f"layering: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
