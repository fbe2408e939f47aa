# Sourced by ./run and ./test: make a virtual environment with everything ttx needs (once;
# again when pyproject.toml or constraints.txt changes). It never changes the caller's folder.
# TTX_VENV names the environment (default .venv); TTX_LATEST=1 installs the newest versions
# pyproject.toml allows instead of the locked ones in constraints.txt.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="${TTX_VENV:-$root/.venv}"

find_python() {
  for p in python3.13 python3.12 python3.11 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  return 1
}

if [ ! -x "$venv/bin/python" ]; then
  py=$(find_python) || { echo "ttx needs Python 3.11 or newer: install it (Debian/Ubuntu: apt-get install python3 python3-venv) and run this again." >&2; exit 1; }
  "$py" -m venv "$venv" || { echo "could not create $venv: install the venv module (Debian/Ubuntu: apt-get install python3-venv) and run this again." >&2; exit 1; }
fi

stamp="$venv/.ttx-installed"
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ] || [ "$root/constraints.txt" -nt "$stamp" ]; then
  if [ "${TTX_LATEST:-0}" = 1 ]; then
    echo "Installing ttx with the newest allowed packages into $venv..." >&2
    pin=(--upgrade --upgrade-strategy eager)
  else
    echo "Installing ttx and its locked packages (constraints.txt) into $venv (first run only)..." >&2
    # PIP_CONSTRAINT also holds pip's isolated build environment to the locked setuptools.
    export PIP_CONSTRAINT="$root/constraints.txt"
    pin=()
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  # Before it was ttx-tabletop, the distribution was called ttx: an old checkout's copy goes.
  "$venv/bin/python" -m pip uninstall -y -q ttx >/dev/null 2>&1 || true
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "${pin[@]}" -e "$root[test]" 2>&1 | grep -vE '^(WARNING: Location|  |$)' >&2 || true
  unset PIP_CONSTRAINT
  "$venv/bin/python" -c 'import ttx, textual, pydantic, yaml' 2>/dev/null || { echo "package install failed: check the network to PyPI and run this again." >&2; exit 1; }
  touch "$stamp"
fi

# WeasyPrint (the PDF renderer) needs the Pango system library, and subsets fonts much
# faster with HarfBuzz's subsetter (without it, it falls back to a slow pure-Python path).
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  local sudo_=""
  if [ "$(id -u)" != 0 ]; then sudo -n true 2>/dev/null || return 1; sudo_="sudo -n"; fi
  echo "Installing $* (apt-get)..." >&2
  $sudo_ apt-get update -qq >/dev/null 2>&1 || true
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}
if ! "$venv/bin/python" -c 'import weasyprint' >/dev/null 2>&1; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 || true
  "$venv/bin/python" -c 'import weasyprint' >/dev/null 2>&1 || {
    echo "PDFs need the Pango library: install it (Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; macOS: brew install pango) and run this again." >&2; exit 1; }
fi
if ! "$venv/bin/python" -c 'import ctypes.util, sys; sys.exit(ctypes.util.find_library("harfbuzz-subset") is None)' 2>/dev/null; then
  apt_install libharfbuzz-subset0 || echo "note: PDFs render faster with HarfBuzz's subsetter (Debian/Ubuntu: sudo apt-get install libharfbuzz-subset0)." >&2
fi
export PATH="$venv/bin:$PATH"
