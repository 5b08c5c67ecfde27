#!/usr/bin/env bash
# Creates (or refreshes) the Python virtualenv that holds the reference validator,
# frictionless-py 5.21, at packages/quality/.venv (git-ignored). Safe to run twice:
# an existing venv with the right version is left as it is.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(cd "$here/.." && pwd)/.venv"
python="${PYTHON:-python3}"
wanted='5.21.'

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi

# The wkt extra (tatsu) lets string fields with format "wkt" be read, as the field
# cases need.
installed="$("$venv/bin/python" -c 'import frictionless, tatsu; print(frictionless.__version__)' 2>/dev/null || true)"
if [[ "$installed" != "$wanted"* ]]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'frictionless[wkt]==5.21.*'
  installed="$("$venv/bin/python" -c 'import frictionless; print(frictionless.__version__)')"
fi

echo "frictionless $installed in $venv"
