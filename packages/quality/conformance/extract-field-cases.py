"""Ports frictionless-py's table-driven field tests to JSON tables.

    packages/quality/.venv/bin/python packages/quality/conformance/extract-field-cases.py

Reads the parametrised `test_<type>_read_cell` tables of
frictionless/fields/__spec__/test_<type>.py as shipped in the installed frictionless
5.21 wheel (the very version the harness is judged against), plus the few
single-case read tests of those files, and writes field-cases/<type>.json.

Each parametrised row (format, source, target[, options]) becomes
    {"field": {"name", "type", "format", ...options}, "cell": source,
     "expected": <tagged JSON value> | null | {"error": true}, "origin": "..."}
Only rows whose source is a string are kept: a CSV cell is always text, and
readCell() takes a string. The expected value is the test's own target; a None
target is a null (missing value) when the cell is one of the field's missing values
and a type error otherwise. verify-field-cases.py then checks every row against
frictionless-py's Field.read_cell, so the rule is proven rather than trusted.

Encoding of values JSON can't hold: see field-cases/README.md.
"""

import ast
import datetime
import decimal
import json
import pathlib
import sys

import frictionless
import isodate
from frictionless import Field

HERE = pathlib.Path(__file__).resolve().parent
SPEC_DIR = pathlib.Path(frictionless.__file__).parent / "fields" / "__spec__"
OUT = HERE / "field-cases"

TYPES = [
    "any",
    "array",
    "boolean",
    "date",
    "datetime",
    "duration",
    "geojson",
    "geopoint",
    "integer",
    "list",
    "number",
    "object",
    "string",
    "time",
    "year",
    "yearmonth",
]

MAX_SAFE_INTEGER = 2**53 - 1


def encode(value, field_type):
    """A Python cell value -> its tagged JSON form (see field-cases/README.md)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, decimal.Decimal) or (field_type == "number" and isinstance(value, (int, float))):
        return {"$decimal": str(decimal.Decimal(str(value)) if isinstance(value, float) else decimal.Decimal(value))}
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else {"$bigint": str(value)}
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$time": value.isoformat()}
    if isinstance(value, (datetime.timedelta, isodate.Duration)):
        return {"$duration": isodate.duration_isoformat(value)}
    if isinstance(value, tuple) and field_type == "geopoint":
        return {"$geopoint": [str(decimal.Decimal(str(v))) for v in value]}
    if isinstance(value, tuple) and field_type == "yearmonth":
        return {"$yearmonth": list(value)}
    if isinstance(value, (list, tuple)):
        return [encode(v, None) for v in value]
    if isinstance(value, dict):
        return {k: encode(v, None) for k, v in value.items()}
    raise TypeError(f"cannot encode {value!r}")


def parametrize_tables(path):
    """(function name, argnames, [row tuples]) for each parametrised read test."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # The names the table uses come from the file's own imports (`from datetime
    # import date` in one file, `import datetime` in another).
    namespace = {}
    imports = [
        n
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom)) and "pytest" not in ast.unparse(n) and "frictionless" not in ast.unparse(n)
    ]
    exec(compile(ast.Module(body=imports, type_ignores=[]), str(path), "exec"), namespace)  # noqa: S102
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or "_read_cell" not in node.name:
            continue
        for decorator in node.decorator_list:
            if not (isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.parametrize"):
                continue
            argnames = [a.strip() for a in ast.literal_eval(decorator.args[0]).split(",")]
            if "source" not in argnames or "target" not in argnames:
                continue  # e.g. a table of invalid descriptors, not of cells
            rows = eval(compile(ast.Expression(decorator.args[1]), str(path), "eval"), dict(namespace))  # noqa: S307
            yield node.name, argnames, rows


def missing_values(field):
    return field.get("missingValues", [""])


def row_case(field_type, test_name, index, argnames, row):
    values = dict(zip(argnames, row))
    source = values["source"]
    if not isinstance(source, str):
        return None
    field = {"name": "name", "type": field_type}
    if "format" in values:
        field["format"] = values["format"]
    if "item_type" in values:
        field["itemType"] = values["item_type"]
    field.update(values.get("options", {}))
    target = values["target"]
    if target is None and source not in missing_values(field):
        expected = {"error": True}
    else:
        expected = encode(target, field_type)
    return {
        "field": field,
        "cell": source,
        "expected": expected,
        "origin": f"{test_name}[{index}]",
    }


# Single-case read tests of the same files (not parametrised), with string cells.
SINGLE_CASES = {
    "array": [
        ({"arrayItem": {"type": "integer"}}, '["1", "2", "3"]', [1, 2, 3], "test_array_read_cell_array_item"),
        ({"arrayItem": {"constraints": {"enum": ["val1", "val2"]}}}, '["val1", "val2"]', ["val1", "val2"], "test_array_read_cell_array_item_with_constraint"),
    ],
    "number": [
        ({"decimalChar": ",", "groupChar": "."}, "8.699,8", decimal.Decimal("8699.8"), "test_number_group_char_issue_1444"),
    ],
    "list": [
        ({"itemType": "date"}, "21/11/2006", "error", "test_list_read_cell_item_type_default_format_only"),
        ({"itemType": "integer"}, "1,bad,3", "error", "test_list_read_cell_item_type_error_note"),
        ({}, "", None, "test_list_read_cell_missing_value"),
        ({"itemType": "string", "missingValues": ["-"]}, "-", None, "test_list_read_cell_missing_value_is_not_an_item"),
        ({"itemType": "string", "missingValues": ["-"]}, "1,-,3", ["1", "-", "3"], "test_list_read_cell_missing_value_is_not_an_item"),
    ],
}


# Quipu's additions: cells as Latin-American portals publish them (day-first dates,
# decimal commas, Oracle month names, padded numbers, ubigeo codes, NaN/INF …). They
# are not in frictionless-py's tests, so their expected value is frictionless-py's own
# reading (Field.read_cell), recorded here once and re-checked by verify-field-cases.py.
EXTRA_CASES = [
    ("date", {"format": "%d/%m/%Y"}, "22/05/2020"),
    ("date", {"format": "%d/%m/%Y"}, "5/3/2020"),
    ("date", {"format": "%d/%m/%Y"}, "31/02/2020"),
    ("date", {"format": "%d/%m/%Y"}, "2020-05-22"),
    ("date", {"format": "%d-%b-%y"}, "27-MAR-20"),
    ("date", {}, "2020-5-2"),
    ("date", {}, "22/05/2020"),
    ("date", {}, "2020-05-22 "),
    ("date", {}, "2020-02-30"),
    ("datetime", {"format": "%d/%m/%Y %H:%M:%S"}, "10/03/2020 8:39:13"),
    ("datetime", {"format": "%m/%d/%Y %H:%M"}, "12/3/2020 0:00"),
    ("datetime", {}, "2020-05-22 10:00:00"),
    ("datetime", {}, "2020-05-22T10:00:00.123Z"),
    ("datetime", {}, "2020-05-22T10:00:00-05:00"),
    ("datetime", {}, "2020-05-22"),
    ("number", {"decimalChar": ","}, "1525,42"),
    ("number", {"decimalChar": ","}, "2,000769"),
    ("number", {"decimalChar": ",", "groupChar": "."}, "1.234.567,89"),
    ("number", {}, "1525,42"),
    ("number", {}, "NaN"),
    ("number", {}, "INF"),
    ("number", {}, "-INF"),
    ("number", {}, "1e3"),
    ("number", {}, "1E-2"),
    ("number", {}, "-7.167193596"),
    ("number", {}, " 550.85 "),
    ("number", {}, ".5"),
    ("number", {}, "5."),
    ("number", {}, "+1.5"),
    ("number", {}, "-20.146667°"),
    ("number", {}, "100%"),
    ("number", {}, "$5"),
    ("number", {}, "\t-23.33027778\t"),
    ("number", {}, "-30.730.555.556"),
    ("number", {"bareNumber": False}, "-20.146667°"),
    ("integer", {}, "5°"),
    ("integer", {}, "+1"),
    ("integer", {}, "-0"),
    ("integer", {}, "1,000"),
    ("integer", {}, "1e3"),
    ("integer", {}, "010109"),
    ("integer", {}, "6.01347001699907E-154"),
    ("boolean", {"trueValues": ["SI", "Sí"], "falseValues": ["NO"]}, "Sí"),
    ("boolean", {"trueValues": ["SI", "Sí"], "falseValues": ["NO"]}, "si"),
    ("boolean", {}, " true"),
    ("year", {}, "2020"),
    ("year", {}, "20"),
    ("year", {}, "02020"),
    ("yearmonth", {}, "2019-01"),
    ("yearmonth", {}, "2019-1"),
    ("yearmonth", {}, "2019/01"),
    ("geopoint", {}, "-77.0428, -12.0464"),
    ("geopoint", {}, "-77,0428"),
    ("time", {}, "8:39:13"),
    ("time", {}, "08:39:13.5"),
    ("time", {"format": "%H:%M"}, "0:00"),
    ("string", {"format": "uuid"}, "0b1f7c9e-5f1b-4c1e-9d3a-2f7e1a0c9b11"),
    ("string", {"format": "uuid"}, "not-a-uuid"),
    ("string", {"format": "uri"}, "www.gob.pe"),
    ("string", {"format": "uri"}, "https://www.gob.pe/minsa"),
    ("string", {}, " "),
    ("duration", {}, "P2W"),
    ("duration", {}, "PT1.5S"),
    ("any", {}, " "),
    ("object", {}, '{"a": 1.5}'),
    ("array", {}, '[1, "a", null]'),
]


def extra_case(field_type, options, cell):
    field = {"name": "name", "type": field_type, **options}
    value, notes = Field.from_descriptor(field).read_cell(cell)
    if notes:
        if set(notes) != {"type"}:
            raise SystemExit(f"extra case {field} {cell!r} fails a constraint, not the type: {notes}")
        expected = {"error": True}
    else:
        expected = encode(value, field_type)
    return {"field": field, "cell": cell, "expected": expected, "origin": "quipu-extra (expected read by frictionless-py)"}


def main():
    OUT.mkdir(exist_ok=True)
    summary = {}
    for field_type in TYPES:
        path = SPEC_DIR / f"test_{field_type}.py"
        cases = []
        skipped = 0
        for test_name, argnames, rows in parametrize_tables(path):
            for index, row in enumerate(rows):
                case = row_case(field_type, test_name, index, argnames, row)
                if case is None:
                    skipped += 1
                else:
                    cases.append(case)
        for options, cell, target, test_name in SINGLE_CASES.get(field_type, []):
            field = {"name": "name", "type": field_type, **options}
            expected = {"error": True} if target == "error" else encode(target, field_type)
            cases.append({"field": field, "cell": cell, "expected": expected, "origin": test_name})
        for extra_type, options, cell in EXTRA_CASES:
            if extra_type == field_type:
                cases.append(extra_case(field_type, options, cell))
        document = {
            "$comment": f"Ported from frictionless-py {frictionless.__version__} frictionless/fields/__spec__/test_{field_type}.py by extract-field-cases.py; checked by verify-field-cases.py. {skipped} rows with a non-string source left out.",
            "type": field_type,
            "cases": cases,
        }
        (OUT / f"{field_type}.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        summary[field_type] = (len(cases), skipped)
    for field_type, (count, skipped) in summary.items():
        print(f"{field_type:10} {count:4} cases ({skipped} non-string sources left out)", file=sys.stderr)


if __name__ == "__main__":
    main()
