"""Runs frictionless-py (the reference) on every case of cases.json and stores its
normalised report as expected/<case-id>.json.

    bash packages/quality/conformance/setup-reference.sh
    packages/quality/.venv/bin/python packages/quality/conformance/run-reference.py [--out DIR] [--case ID ...]

Runs with the repository root as working directory, so paths in places and messages
read as in the manifest (`../shared/...`); any absolute path that still shows up is
rewritten to that relative form. The runtime-dependent parts of a report (seconds,
only seconds and sha256 here) are dropped, see normalise().
"""

import argparse
import json
import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]

import frictionless  # noqa: E402
from frictionless import Checklist, Dialect, FrictionlessException, Report, Schema, system, validate  # noqa: E402

STAT_KEYS = ("rows", "fields", "bytes", "md5")
ERROR_KEYS = ("type", "rowNumber", "fieldNumber", "fieldName", "message", "note")


def relative_paths(value):
    """Absolute paths of this machine -> the manifest's relative form."""
    if isinstance(value, str):
        value = value.replace(str(REPO.parent / "shared"), "../shared")
        value = value.replace(str(REPO) + os.sep, "")
        return value
    if isinstance(value, list):
        return [relative_paths(v) for v in value]
    if isinstance(value, dict):
        return {k: relative_paths(v) for k, v in value.items()}
    return value


def normalise_error(error):
    return {key: error[key] for key in ERROR_KEYS if key in error and error[key] is not None}


def normalise(case_id, report):
    descriptor = relative_paths(report.to_descriptor())
    tasks = []
    for task in descriptor.get("tasks", []):
        stats = task.get("stats", {})
        tasks.append(
            {
                "valid": task["valid"],
                "name": task.get("name"),
                "place": task.get("place"),
                "labels": task.get("labels", []),
                "stats": {key: stats[key] for key in STAT_KEYS if key in stats},
                "warnings": task.get("warnings", []),
                "errors": [normalise_error(e) for e in task.get("errors", [])],
            }
        )
    return {
        "case": case_id,
        "reference": f"frictionless {frictionless.__version__}",
        "valid": descriptor["valid"],
        "warnings": descriptor.get("warnings", []),
        "errors": [normalise_error(e) for e in descriptor.get("errors", [])],
        "tasks": tasks,
    }


def run_case(case):
    """The frictionless-py call equivalent to Quipu's validate(source, options)."""
    options = case.get("options", {})
    source = case["source"]
    kwargs = {}
    if isinstance(source, dict):
        # Inline text: bytes, so frictionless-py detects the encoding as for a file.
        name = source.get("name", "inline.csv")
        kwargs["format"] = name.rsplit(".", 1)[-1]
        source = source["data"].encode("utf-8")
    if "schema" in options:
        schema = options["schema"]
        try:
            kwargs["schema"] = schema if isinstance(schema, str) else Schema.from_descriptor(schema)
        except FrictionlessException as exception:
            errors = exception.reasons if exception.reasons else [exception.error]
            return Report.from_validation(errors=errors)
    if "dialect" in options:
        kwargs["dialect"] = Dialect.from_descriptor(options["dialect"])
    if "encoding" in options:
        kwargs["encoding"] = options["encoding"]
    if "limitErrors" in options:
        kwargs["limit_errors"] = options["limitErrors"]
    if "limitRows" in options:
        kwargs["limit_rows"] = options["limitRows"]
    if options.get("infer") is False:
        raise SystemExit(f"{case['id']}: infer=false has no frictionless-py equivalent")
    unknown = set(options) - {"schema", "dialect", "encoding", "limitErrors", "limitRows", "checks", "pickErrors", "skipErrors"}
    if unknown:
        raise SystemExit(f"{case['id']}: options not mapped to frictionless-py: {sorted(unknown)}")
    # What a case tells frictionless-py alone, for what Quipu reads from the descriptors
    # themselves (e.g. schema_profile for a Data Package v2 resource).
    kwargs.update(case.get("referenceOptions", {}))
    try:
        checklist = Checklist.from_descriptor(
            {
                "checks": options.get("checks", []),
                "pickErrors": options.get("pickErrors", []),
                "skipErrors": options.get("skipErrors", []),
            }
        )
    except FrictionlessException as exception:
        errors = exception.reasons if exception.reasons else [exception.error]
        return Report.from_validation(errors=errors)
    return validate(source, checklist=checklist, **kwargs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(HERE / "expected"), help="folder for <case-id>.json")
    parser.add_argument("--case", action="append", default=[], help="only this case id (repeatable)")
    args = parser.parse_args()

    manifest = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
    cases = manifest["cases"]
    if args.case:
        cases = [c for c in cases if c["id"] in set(args.case)]
        missing = set(args.case) - {c["id"] for c in cases}
        if missing:
            raise SystemExit(f"unknown case ids: {sorted(missing)}")

    out = pathlib.Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    os.chdir(REPO)
    with system.use_context(trusted=True):
        for case in cases:
            report = run_case(case)
            result = normalise(case["id"], report)
            target = out / f"{case['id']}.json"
            target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            errors = sum(len(t["errors"]) for t in result["tasks"]) + len(result["errors"])
            print(f"{case['id']}: {'valid' if result['valid'] else 'invalid'}, {errors} errors", file=sys.stderr)

    if not args.case and out == (HERE / "expected").resolve():
        # Drop reports of cases no longer in the manifest.
        known = {f"{c['id']}.json" for c in manifest["cases"]}
        for stale in out.glob("*.json"):
            if stale.name not in known:
                stale.unlink()


if __name__ == "__main__":
    main()
