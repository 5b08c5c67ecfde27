"""Proves the field-case tables against frictionless-py itself.

    packages/quality/.venv/bin/python packages/quality/conformance/verify-field-cases.py

For every row of field-cases/*.json: builds the field with Field.from_descriptor,
reads the cell with Field.read_cell, and checks the outcome against the row:
- {"error": true}: no value and a type note;
- null: no value and no note (a missing value);
- anything else: no note, and the decoded expected value equals the read value
  (and a date/time/datetime carries a UTC offset exactly when the expected one does).
Exits 1 listing every row that disagrees.
"""

import datetime
import decimal
import json
import pathlib
import sys

import isodate
from frictionless import Field

HERE = pathlib.Path(__file__).resolve().parent


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        tag, inner = next(iter(value.items()))
        if tag == "$decimal":
            return decimal.Decimal(inner)
        if tag == "$bigint":
            return int(inner)
        if tag == "$date":
            return datetime.date.fromisoformat(inner)
        if tag == "$time":
            return datetime.time.fromisoformat(inner)
        if tag == "$datetime":
            return datetime.datetime.fromisoformat(inner)
        if tag == "$duration":
            return isodate.parse_duration(inner)
        if tag == "$geopoint":
            return tuple(decimal.Decimal(v) for v in inner)
        if tag == "$yearmonth":
            return tuple(inner)
    return {k: decode(v) for k, v in value.items()}


def aware(value):
    return getattr(value, "tzinfo", None) is not None


def check(case):
    field = Field.from_descriptor(case["field"])
    value, notes = field.read_cell(case["cell"])
    expected = case["expected"]
    if expected == {"error": True}:
        if value is not None or not notes or "type" not in notes:
            return f"expected a type error, got {value!r} with notes {notes!r}"
        return None
    if notes:
        return f"expected {expected!r}, got notes {notes!r}"
    if expected is None:
        return None if value is None else f"expected null, got {value!r}"
    target = decode(expected)
    if isinstance(target, decimal.Decimal) and target.is_nan():
        ok = isinstance(value, decimal.Decimal) and value.is_nan()
        return None if ok else f"expected NaN, got {value!r}"
    if isinstance(target, tuple):
        value = tuple(value) if value is not None else None
    if value != target or (type(value) is bool) != (type(target) is bool):
        return f"expected {target!r}, got {value!r}"
    if isinstance(target, (datetime.time, datetime.datetime)) and aware(target) != aware(value):
        return f"expected offset-{'aware' if aware(target) else 'naive'} {target!r}, got {value!r}"
    return None


def main():
    failures = 0
    total = 0
    for path in sorted((HERE / "field-cases").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for case in document["cases"]:
            total += 1
            problem = check(case)
            if problem:
                failures += 1
                print(f"{path.name} {case['origin']} {case['field']} {case['cell']!r}: {problem}")
    print(f"{total - failures}/{total} field cases agree with frictionless-py", file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
