"""Score mutmut's results per module, leaving out mutants that change only message text.

Reads mutants/<module>.py (every function's original and its mutants, as mutmut writes them) and
mutants/<module>.py.meta (each mutant's exit code). A mutant is "message-only" when its function
equals the original once the text of every message is blanked out: the arguments after the location
of `problems.error(...)`/`problems.warn(...)`, after the line of `Mistake(...)`, the stage title of
`Problems(...)`, and the value of a variable whose name says it is a hint (`hint`, `hint_what`,
`example`). Location arguments (path, line) are compared as code, so a line off by one still counts.

A mutant the tests hang on (mutmut: timeout) is noticed, so it counts as killed; the table says how many.

Usage: python scripts/mutation_score.py MODULE... [--target 90] [--survivors]
Exit 1 when a module scores below the target.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from pathlib import Path

KILLED = {1, 3, 37}
TIMEOUT = {36, 24, -24, 152, 255}    # the tests hang on the mutant: noticed, so counted as killed (and shown)
MESSAGE_CALLS = {"error": 2, "warn": 2, "Mistake": 1, "Problems": 0}   # call name -> location args kept
HINT_NAMES = re.compile(r"(^|_)(hint|example)(_|$)")
BLANK = ast.Constant(value="<message>")


class _Blank(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in MESSAGE_CALLS:
            keep = MESSAGE_CALLS[name]
            node.args = node.args[:keep] + [BLANK]
            node.keywords = [k for k in node.keywords if k.arg == "column"]
        return node

    def visit_Assign(self, node: ast.Assign):
        self.generic_visit(node)
        if all(isinstance(t, ast.Name) and HINT_NAMES.search(t.id) for t in node.targets):
            node.value = BLANK
        return node


def _functions(source: str) -> dict[str, ast.AST]:
    found = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "__mutmut_" in node.name:
            found[node.name] = node
    return found


def _shape(node: ast.AST) -> str:
    node = _Blank().visit(ast.parse(ast.unparse(node)))
    body = node.body[0]
    body.name = "f"
    return ast.dump(body, include_attributes=False)


def score(module: str, root: Path) -> dict:
    path = root / "mutants" / "patientsite" / f"{module}.py"
    codes = json.loads(path.with_name(path.name + ".meta").read_text())["exit_code_by_key"]
    functions = _functions(path.read_text(encoding="utf-8"))
    killed, survived, message_only, unchecked, timeouts = [], [], [], [], []
    for key, code in sorted(codes.items()):
        mutant = key.rsplit(".", 1)[1]
        original = functions.get(mutant.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
        if original is not None and mutant in functions and _shape(functions[mutant]) == _shape(original):
            message_only.append(key)
        elif code in KILLED:
            killed.append(key)
        elif code in TIMEOUT:
            killed.append(key)
            timeouts.append(key)
        elif code is None:
            unchecked.append(key)
        else:
            survived.append(key)
    counted = len(killed) + len(survived)
    return {"module": module, "killed": killed, "survived": survived, "message_only": message_only,
            "unchecked": unchecked, "timeouts": timeouts, "score": 100.0 * len(killed) / counted if counted else 100.0}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+")
    parser.add_argument("--target", type=float, default=90.0)
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    failed = False
    print(f"{'module':<16}{'killed':>8}{'counted':>9}{'score':>8}{'message-only (left out)':>26}")
    for module in args.modules:
        result = score(module, args.root)
        counted = len(result["killed"]) + len(result["survived"])
        below = result["score"] < args.target or result["unchecked"]
        failed |= bool(below)
        note = f"  ({len(result['unchecked'])} not run)" if result["unchecked"] else ""
        note += f"  ({len(result['timeouts'])} of them by timeout)" if result["timeouts"] else ""
        print(f"{module + '.py':<16}{len(result['killed']):>8}{counted:>9}{result['score']:>7.1f}%"
              f"{len(result['message_only']):>26}{'  BELOW TARGET' if below else ''}{note}")
        if args.survivors:
            for key in result["survived"] + result["unchecked"]:
                print(f"    survived: {key}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
