"""Mutation testing of the modules where a slip costs most: `make mutate`
(all of them) or `make mutate MODULE=services/mail/outbox.py` (one).

Each mutant is one small change to the module (an operator swapped, a
condition dropped, a constant changed, a call removed, an argument or a
table's entry left out, …). The module's tests are run once with line tracing, to learn which
tests run which lines; then each mutant runs, fastest first, only the tests
that run its line, and is killed when one of them fails. A mutant that no
test notices has survived: a change in behaviour the tests would let
through, unless it is listed, with the reason no behaviour can tell it
apart, in tests/mutation_equivalents.txt.

The files are never changed. Each mutant runs in a child forked from one
pytest session that has already built the (SQLite) schema: the child swaps
the mutated functions' code in place (so names imported elsewhere see it
too), runs its tests and exits; a child that takes too long is killed.
mutmut 3 was not used because it mutates only inside functions, and the
policy's rights tables are module-level constants."""
import argparse
import ast
import copy
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENTS = ROOT / "tests" / "mutation_equivalents.txt"

# Each module, and the test files that exercise it.
MODULES = {
    "services/access/policy.py": [
        "tests/test_access_policy.py", "tests/test_access_doors.py", "tests/test_confidentiality.py",
        "tests/test_council_report.py",
    ],
    "services/agreement/workflow.py": [
        "tests/test_agreement_flow.py", "tests/test_agreement_links.py",
        "tests/test_agreement_concurrency.py", "tests/test_reminders.py", "tests/test_formal_record.py",
        "tests/test_documents_render.py",
    ],
    "services/agreement/links.py": [
        "tests/test_agreement_links.py", "tests/test_agreement_flow.py", "tests/test_outbox.py",
        "tests/test_reminders.py",
    ],
    "services/mail/outbox.py": [
        "tests/test_outbox.py", "tests/test_agreement_links.py", "tests/test_calendar_invites.py",
        "tests/test_reminders.py", "tests/test_agreement_flow.py",
    ],
}

# A mutant gets this long, on top of twice what its tests took unmutated,
# before it is counted as running for ever.
TIMEOUT_MARGIN_SECONDS = 15
# The child's exit status names the test that failed, up to this one.
LAST_NAMED_TEST = 254
# Strings of more words than this are messages for people, not values.
LONGEST_VALUE_WORDS = 3


# -- the mutants ------------------------------------------------------------

COMPARISONS = {
    ast.Eq: [ast.NotEq], ast.NotEq: [ast.Eq], ast.Lt: [ast.LtE, ast.Gt], ast.LtE: [ast.Lt, ast.GtE],
    ast.Gt: [ast.GtE, ast.Lt], ast.GtE: [ast.Gt, ast.LtE], ast.In: [ast.NotIn], ast.NotIn: [ast.In],
    ast.Is: [ast.IsNot], ast.IsNot: [ast.Is],
}
ARITHMETIC = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.Pow: ast.Mult,
    ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd,
}
SWAPPED_NAMES = {"all": "any", "any": "all", "min": "max", "max": "min"}


class Mutant:
    def __init__(self, path, index, line, end_line, qualname, before, after, replace):
        self.path, self.index, self.line, self.end_line = path, index, line, end_line
        self.lines = set(range(line, end_line + 1))  # where running it shows, widened by mutants()
        self.qualname, self.before, self.after, self.replace = qualname, before, after, replace
        self.key = f"{path}::{qualname}: {before} -> {after}"

    def source(self, tree):
        """The module's source with this one change made."""
        tree = copy.deepcopy(tree)
        node = list(ast.walk(tree))[self.index]
        parent, field, position = _parents(tree)[id(node)]
        replacement = self.replace(node)
        if position is None:
            setattr(parent, field, replacement)
        else:
            getattr(parent, field)[position] = replacement
        return ast.unparse(ast.fix_missing_locations(tree))


def _parents(tree):
    parents = {}
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if isinstance(value, list):
                for position, child in enumerate(value):
                    if isinstance(child, ast.AST):
                        parents[id(child)] = (parent, field, position)
            elif isinstance(value, ast.AST):
                parents[id(value)] = (parent, field, None)
    return parents


def _short(node):
    text = re.sub(r"\s+", " ", ast.unparse(node) if isinstance(node, ast.AST) else node)
    return text if len(text) <= 100 else f"{text[:60]}…{text[-35:]}"


def _called(node):
    return node.func.attr if isinstance(node.func, ast.Attribute) else _short(node.func)


def _changes(node):
    """(what replaces the node, as a function of a copy of it) for each mutation of this node."""
    def rebuilt(**fields):
        return lambda copy_of: type(copy_of)(**{**dict(ast.iter_fields(copy_of)), **fields})

    if isinstance(node, ast.Compare):
        for position, operator in enumerate(node.ops):
            for other in COMPARISONS.get(type(operator), ()):
                ops = [*node.ops[:position], other(), *node.ops[position + 1:]]
                yield lambda copy_of, ops=ops: ast.Compare(copy_of.left, ops, copy_of.comparators)
    elif isinstance(node, ast.BoolOp):
        other = ast.Or if isinstance(node.op, ast.And) else ast.And
        yield rebuilt(op=other())
        for position in range(len(node.values)):
            def without(copy_of, position=position):
                rest = copy_of.values[:position] + copy_of.values[position + 1:]
                return rest[0] if len(rest) == 1 else ast.BoolOp(copy_of.op, rest)
            yield without
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        yield rebuilt(op=ARITHMETIC[type(node.op)]())
        if isinstance(node.op, ast.BitAnd):  # a condition dropped from a query's where
            yield lambda copy_of: copy_of.left
            yield lambda copy_of: copy_of.right
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield lambda copy_of: copy_of.operand
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            yield lambda copy_of: ast.Constant(not value)
        elif isinstance(value, int | float):
            yield lambda copy_of: ast.Constant(value + 1)
        elif isinstance(value, str) and len(value.split()) <= LONGEST_VALUE_WORDS:
            yield lambda copy_of: ast.Constant(f"XX{value}XX")
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        yield lambda copy_of: ast.Expr(ast.Constant(None))
    elif isinstance(node, ast.Return) and node.value is not None and not (
        isinstance(node.value, ast.Constant) and node.value.value is None
    ):
        yield lambda copy_of: ast.Return(ast.Constant(None))
    elif isinstance(node, ast.Call):
        # A query's join is left alone: peewee works out the condition and
        # the attribute from the foreign key when they are left out.
        for position, keyword in enumerate([] if _called(node) == "join" else node.keywords):
            if keyword.arg is not None:
                def without(copy_of, position=position):
                    return ast.Call(copy_of.func, copy_of.args,
                                    copy_of.keywords[:position] + copy_of.keywords[position + 1:])
                without.describes = (f"{_called(node)}(…, {_short(keyword)})", f"{_called(node)}(…)")
                yield without
        if isinstance(node.func, ast.Attribute) and node.func.attr == "is_null":
            flipped = [] if node.args else [ast.Constant(False)]
            yield lambda copy_of: ast.Call(copy_of.func, flipped, copy_of.keywords)
    elif isinstance(node, ast.Dict):  # an entry left out: of a rights table, say
        for position, key in enumerate(node.keys):
            if key is not None:
                def without(copy_of, position=position):
                    return ast.Dict(copy_of.keys[:position] + copy_of.keys[position + 1:],
                                    copy_of.values[:position] + copy_of.values[position + 1:])
                without.describes = (f"{{…, {_short(key)}: {_short(node.values[position])}}}", "{…}")
                yield without
    elif isinstance(node, ast.Set) and len(node.elts) > 1:
        for position, element in enumerate(node.elts):
            def without(copy_of, position=position):
                return ast.Set(copy_of.elts[:position] + copy_of.elts[position + 1:])
            without.describes = (f"{{…, {_short(element)}}}", "{…}")
            yield without
    elif isinstance(node, ast.Name) and node.id in SWAPPED_NAMES and isinstance(node.ctx, ast.Load):
        yield lambda copy_of: ast.Name(SWAPPED_NAMES[node.id], ast.Load())
    elif isinstance(node, ast.Break):
        yield lambda copy_of: ast.Continue()
    elif isinstance(node, ast.Continue):
        yield lambda copy_of: ast.Break()


def _skipped(tree):
    """Nodes not mutated: docstrings, f-strings (text for people), and
    module-level names given a plain string (a name for a value: changing
    the value changes every use of it alike)."""
    skipped = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            skipped.update(id(child) for child in ast.walk(body[0]))
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(child) for child in ast.walk(node))
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            values = statement.value.elts if isinstance(statement.value, ast.Tuple) else [statement.value]
            if all(isinstance(value, ast.Constant) and isinstance(value.value, str) for value in values):
                skipped.update(id(child) for child in ast.walk(statement))
    return skipped


def mutants(path):
    """Every mutant of the module at `path` (relative to the repository)."""
    tree = ast.parse((ROOT / path).read_text(), filename=path)
    skipped = _skipped(tree)
    # Only what runs when a function is called, and module-level assignments
    # (the rights tables, the limits): not class bodies, imports or decorators.
    mutable, uses = {}, {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            mutable.update((id(node), "<module>") for node in ast.walk(statement.value))
            names = {target.id for target in ast.walk(statement) if isinstance(target, ast.Name)
                     and isinstance(target.ctx, ast.Store)}
            # A changed value shows where it is read.
            lines = {node.lineno for node in ast.walk(tree) if isinstance(node, ast.Name)
                     and node.id in names and isinstance(node.ctx, ast.Load)}
            uses.update((id(node), lines) for node in ast.walk(statement.value))
    for outer in ast.walk(tree):
        if isinstance(outer, ast.FunctionDef):
            qualname = _qualname(tree, outer)
            for statement in outer.body:
                mutable.update((id(node), qualname) for node in ast.walk(statement))
            for default in outer.args.defaults + [d for d in outer.args.kw_defaults if d]:
                mutable.update((id(node), "<module>") for node in ast.walk(default))
    found, seen = [], {}
    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skipped or id(node) not in mutable:
            continue
        for replace in _changes(node):
            after = replace(copy.deepcopy(node))
            before, after = getattr(replace, "describes", None) or (
                _short(node), "(removed)" if _is_removal(node, after) else _short(after))
            mutant = Mutant(path, index, node.lineno, node.end_lineno, mutable[id(node)], before, after,
                            replace)
            mutant.lines |= uses.get(id(node), set())
            seen[mutant.key] = seen.get(mutant.key, 0) + 1
            if seen[mutant.key] > 1:
                mutant.key += f" #{seen[mutant.key]}"
            found.append(mutant)
    return tree, found


def _is_removal(node, after):
    return isinstance(node, ast.Expr) and isinstance(after.value, ast.Constant)


def _qualname(tree, function):
    names = [function.name]
    parents = _parents(tree)
    node = function
    while id(node) in parents:
        node = parents[id(node)][0]
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
    return ".".join(reversed(names))


# -- running them (inside pytest) ------------------------------------------

class MutationPlugin:
    def __init__(self, path, results_file, progress):
        self.path, self.results_file, self.progress = path, results_file, progress

    def pytest_runtestloop(self, session):
        from _pytest.runner import runtestprotocol

        def run(item):
            reports = runtestprotocol(item, log=False, nextitem=session)
            return not any(report.failed for report in reports), sum(report.duration for report in reports)

        target = str(ROOT / self.path)
        lines_run, durations = {}, {}
        for item in session.items:
            hits = set()

            def trace(frame, event, arg, hits=hits):
                if frame.f_code.co_filename != target:
                    return None

                def line(frame, event, arg):
                    if event == "line":
                        hits.add(frame.f_lineno)
                    return line
                hits.add(frame.f_lineno)
                return line
            sys.settrace(trace)
            threading.settrace(trace)
            try:
                passed, durations[item] = run(item)
            finally:
                sys.settrace(None)
                threading.settrace(None)
            if not passed:
                raise SystemExit(f"{item.nodeid} fails before any mutation: fix it first.")
            lines_run[item] = hits

        tree, found = mutants(self.path)
        results, killers = [], {}
        for number, mutant in enumerate(found, 1):
            tests = [item for item in session.items if lines_run[item] & mutant.lines]
            if not tests and mutant.qualname == "<module>":
                # Read only as the module loads (a default argument, another table), before any test.
                tests = list(session.items)
            # Fastest first, but a test that killed a mutant of this function before is likeliest to again.
            tests.sort(key=lambda item: (item not in killers.get(mutant.qualname, ()), durations[item]))
            outcome, killer = _outcome(mutant, tree, tests, run, durations) if tests else ("not run", None)
            if killer is not None:
                killers.setdefault(mutant.qualname, set()).add(killer)
            if outcome in ("survived", "not run"):  # said at once, to work on while the rest run
                print(f"\r  {outcome}: {self.path}:{mutant.line} {mutant.key.partition('::')[2]}",
                      file=self.progress)
            print(f"\r{self.path}: {number}/{len(found)}", end="", file=self.progress, flush=True)
            results.append({"key": mutant.key, "line": mutant.line, "outcome": outcome})
        print(file=self.progress, flush=True)
        Path(self.results_file).write_text(json.dumps(results))
        return True


def _outcome(mutant, tree, tests, run, durations):
    """(what became of the mutant, the test that killed it or None)."""
    source = mutant.source(tree)
    pid = os.fork()
    if pid == 0:  # the child: mutate, run the tests until one fails, and go with its number
        status = 255  # if the mutated module cannot even be loaded
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            _apply(mutant.path, source)
            status = min(next((number for number, item in enumerate(tests, 1) if not run(item)[0]), 0),
                         LAST_NAMED_TEST)
        finally:
            os._exit(status)
    deadline = time.monotonic() + 2 * sum(durations[item] for item in tests) + TIMEOUT_MARGIN_SECONDS
    try:
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                pid = None
                failed = os.waitstatus_to_exitcode(status)
                if failed == 0:
                    return "survived", None
                if failed == 255:
                    return "killed (would not load)", None
                return "killed", tests[failed - 1] if failed < LAST_NAMED_TEST else None
            time.sleep(0.02)
        return "timed out", None
    finally:  # also when interrupted
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _apply(path, source):
    """Run the mutated module and give its functions' code, and its changed
    module-level values, to the module already imported, and to every
    module that imported those values by name."""
    name = path.removesuffix(".py").replace("/", ".")
    module = sys.modules[name]
    mutated = {"__name__": name, "__file__": module.__file__}
    exec(compile(source, module.__file__, "exec"), mutated)
    for attribute, value in list(vars(module).items()):
        new = mutated.get(attribute)
        if getattr(value, "__module__", None) == name and isinstance(value, type):
            for member, function in vars(value).items():
                _swap_code(function, vars(mutated[attribute]).get(member))
        elif callable(value) and getattr(value, "__module__", None) == name:
            _swap_code(value, new)
        elif not callable(value) and not isinstance(value, type(sys)) and attribute in mutated \
                and not attribute.startswith("__") and repr(new) != repr(value):
            for other in list(sys.modules.values()):
                if getattr(other, attribute, None) is value:
                    setattr(other, attribute, new)


def _swap_code(function, new):
    if hasattr(function, "__code__") and hasattr(new, "__code__"):
        function.__code__ = new.__code__
        function.__defaults__, function.__kwdefaults__ = new.__defaults__, new.__kwdefaults__


# -- the report -----------------------------------------------------------

def read_equivalents():
    """{mutant key: why no behaviour can tell it from the original}."""
    listed = {}
    for line in EQUIVALENTS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition(" -- ")
            listed[key.strip()] = reason.strip()
    return listed


def test_module(path):
    """Run the worker for one module; its results."""
    with tempfile.TemporaryDirectory(prefix="mutate-") as scratch:
        results_file = Path(scratch) / "results.json"
        environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        environment.pop("DATABASE_URL", None)  # SQLite: a throw-away file per run
        worker = subprocess.Popen(
            [sys.executable, __file__, "--worker", path, str(results_file), str(Path(scratch) / "pytest")],
            cwd=ROOT, env=environment,
        )
        try:
            worker.wait()
        finally:  # stopped: the worker stops its mutant's child too
            if worker.poll() is None:
                worker.terminate()
                worker.wait()
        if not results_file.exists():
            sys.exit(f"Mutation testing of {path} stopped (exit status {worker.returncode}).")
        return json.loads(results_file.read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"default: all of {', '.join(MODULES)}")
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"Stopped (signal {signum})."))
    if arguments.worker:
        import pytest

        path, results_file, basetemp = arguments.worker
        # pytest captures the standard streams; the progress line goes where they went.
        progress = os.fdopen(os.dup(2), "w")
        options = ["-q", "--no-header", "--disable-warnings", "-p", "no:cacheprovider",
                   "--basetemp", basetemp]
        plugin = MutationPlugin(path, results_file, progress)
        sys.exit(pytest.main([*MODULES[path], *options], plugins=[plugin]))

    unknown = [path for path in arguments.modules if path not in MODULES]
    if unknown:
        parser.error(f"not a module tested by mutation: {', '.join(unknown)}; one of {', '.join(MODULES)}")
    equivalents = read_equivalents()
    started, failing, reported = time.monotonic(), False, set()
    for path in arguments.modules or MODULES:
        results = test_module(path)
        counts = {}
        for result in results:
            outcome = result["outcome"]
            if outcome in ("survived", "not run"):
                if result["key"] in equivalents:
                    outcome = "equivalent"
                    reported.add(result["key"])
                else:
                    failing = True
                    print(f"  SURVIVED{' (no test runs it)' if outcome == 'not run' else ''} "
                          f"{path}:{result['line']} {result['key'].partition('::')[2]}")
                    outcome = "survived"
            counts[outcome.split(" (")[0]] = counts.get(outcome.split(" (")[0], 0) + 1
        print(f"{path}: {len(results)} mutants: {counts.get('killed', 0)} killed, "
              f"{counts.get('timed out', 0)} timed out, {counts.get('equivalent', 0)} equivalent (listed), "
              f"{counts.get('survived', 0)} survived", flush=True)
        stale = [key for key in equivalents if key.startswith(f"{path}::") and key not in reported]
        for key in stale:
            print(f"  listed as equivalent but no longer a surviving mutant: {key}")
    print(f"Mutation testing took {time.monotonic() - started:.0f} s.")
    sys.exit(1 if failing else 0)


if __name__ == "__main__":
    main()
