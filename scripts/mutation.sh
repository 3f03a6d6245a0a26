#!/usr/bin/env bash
# Mutation testing of the modules that carry the README's guarantees (issue 9, item 11): mutmut changes
# the code one small step at a time and runs the fast guarantee tests (tests/test_guarantees_*.py, chosen
# in pyproject.toml [tool.mutmut]); every change a test does not notice is a promise nothing proves.
# Prints killed/counted per module, leaving out mutants that change only message text
# (scripts/mutation_score.py); exits 1 when a module scores below 90 %.
#
#   scripts/mutation.sh                   all six modules (about 20 minutes on 2 cores)
#   scripts/mutation.sh write words       some of them
#   scripts/mutation.sh --fresh ...       forget earlier results (mutmut otherwise reuses them)
#   scripts/mutation.sh --survivors ...   list the surviving mutants; see one: python -m mutmut show NAME
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-$( [ -x .venv/bin/python ] && echo .venv/bin/python || command -v python3 )}"
MODULES=(write load/shortcodes load/words render/markdown load/i18n render/cache)
fresh=0
score_args=()
selected=()
for arg in "$@"; do
    case "$arg" in
        --fresh) fresh=1 ;;
        --survivors) score_args+=(--survivors) ;;
        -*) echo "unknown option $arg" >&2; exit 2 ;;
        *) found=""
           for module in "${MODULES[@]}"; do [[ "$module" == "$arg" || "$module" == */"$arg" ]] && found="$module"; done
           [ -n "$found" ] || { echo "not a guarantee module: $arg (one of: ${MODULES[*]})" >&2; exit 2; }
           selected+=("$found") ;;
    esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${MODULES[@]}")
"$PYTHON" -c "import mutmut" 2>/dev/null || { echo "mutmut is missing: pip install -e '.[mutation]'" >&2; exit 2; }
[ "$fresh" = 0 ] || rm -rf mutants
patterns=()
for module in "${selected[@]}"; do patterns+=("patientsite.${module//\//.}.*"); done
mkdir -p mutants
echo "mutmut: ${selected[*]} (log: mutants/run.log)"
export PATIENTSITE_TODAY="${PATIENTSITE_TODAY:-2026-11-24}"
if ! "$PYTHON" -m mutmut run "${patterns[@]}" > mutants/run.log 2>&1; then
    tail -n 30 mutants/run.log >&2
    echo "mutmut failed (see mutants/run.log)" >&2
    exit 2
fi
exec "$PYTHON" scripts/mutation_score.py "${score_args[@]}" "${selected[@]}"
