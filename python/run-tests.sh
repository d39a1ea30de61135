#!/usr/bin/env bash
# Build the coinsieve wheel and the CLI, then run the Python tests, including the Spark
# end-to-end test (Spark local[2] vs `coinsieve scan --accounts` on the same dump).
#
#   python/run-tests.sh [PYTEST_ARGS...]      e.g. python/run-tests.sh -m "not spark"
#
# Creates (once) a venv in target/pyvenv with the pinned tools of python/requirements-dev.txt
# (maturin, pytest, pyarrow, pyspark 4, pandas < 3); reinstalls them when that file changes.
# Needs: cargo, Python >= 3.9 with venv (PYTHON=/path/to/python to choose one), Java 17+ for
# Spark. Environment: COINSIEVE_PYVENV (venv directory), PYTHON (interpreter for the venv),
# COINSIEVE_PY_PROFILE=release (default) or dev: dev builds the wheel and the CLI unoptimized,
# sharing the compiled dependencies with `cargo test` (what .ci/run does, to save a release
# build of every dependency); ship release wheels only.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${COINSIEVE_PYVENV:-$ROOT/target/pyvenv}
PY=${PYTHON:-python3}
# One target directory for the CLI and the extension: they share the compiled dependencies.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PROFILE=${COINSIEVE_PY_PROFILE:-release}
case $PROFILE in
    release) CARGO_PROFILE=(--release); BIN_DIR=release ;;
    dev) CARGO_PROFILE=(); BIN_DIR=debug ;;
    *) echo "COINSIEVE_PY_PROFILE must be release or dev, not $PROFILE" >&2; exit 1 ;;
esac

step() { printf '\n== %s (%ss)\n' "$*" "$SECONDS" >&2; }

step "venv $VENV"
if [[ ! -x $VENV/bin/python ]]; then
    "$PY" -m venv "$VENV"
fi
stamp=$VENV/.requirements-dev.sha256
want=$(sha256sum python/requirements-dev.txt | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt
    echo "$want" >"$stamp"
fi

step "cargo build ${CARGO_PROFILE[*]} (the coinsieve CLI, for the comparison)"
cargo build "${CARGO_PROFILE[@]}" --quiet

step "maturin build ${CARGO_PROFILE[*]} (the wheel)"
rm -f "$CARGO_TARGET_DIR"/wheels/coinsieve-*.whl
"$VENV/bin/maturin" build "${CARGO_PROFILE[@]}" --quiet -m python/Cargo.toml \
    -i "$VENV/bin/python" --out "$CARGO_TARGET_DIR/wheels"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall \
    --no-deps "$CARGO_TARGET_DIR"/wheels/coinsieve-*.whl

step "pytest python/tests"
export COINSIEVE_BIN=$CARGO_TARGET_DIR/$BIN_DIR/coinsieve
export COINSIEVE_REQUIRE_SPARK=${COINSIEVE_REQUIRE_SPARK:-1}   # fail, don't skip, without Java
export PYSPARK_PYTHON=$VENV/bin/python PYSPARK_DRIVER_PYTHON=$VENV/bin/python
# Run from the repo root with the pytest script (not `python -m`), so the source tree's
# python/coinsieve/ (which lacks the compiled module) does not shadow the installed wheel.
"$VENV/bin/pytest" -q -p no:cacheprovider python/tests "$@"
step "done"
