#!/bin/bash
# meson install --destdir: both programs, the bash completions and the man
# pages (coreinspect.1, corecollect.8) are installed; `man -l` renders each
# without a warning; the completions offer the verbs and the list filters
# (when bash-completion is installed); --version answers.
# Usage: install.sh BUILD-DIR
set -uo pipefail
BUILD=$(readlink -f "$1")
fail() { echo "FAIL: $*" >&2; exit 1; }
DEST=$(mktemp -d "$BUILD/install-test.XXXXXX")
trap 'rm -rf "$DEST"' EXIT
meson install -C "$BUILD" --destdir "$DEST" --no-rebuild > "$DEST.log" 2>&1 || { cat "$DEST.log" >&2; rm -f "$DEST.log"; fail "meson install"; }
rm -f "$DEST.log"
find_one() { find "$DEST" -path "$1" -print -quit; }
for f in '*/bin/coreinspect' '*/bin/corecollect' '*/man1/coreinspect.1' '*/man8/corecollect.8' \
         '*/bash-completion/completions/coreinspect' '*/bash-completion/completions/corecollect'; do
        [ -n "$(find_one "$f")" ] || fail "not installed: $f"
done
echo "ok: programs, man pages and completions installed"

if command -v man > /dev/null; then
        for page in "$(find_one '*/man1/coreinspect.1')" "$(find_one '*/man8/corecollect.8')"; do
                out=$(MANWIDTH=80 man -l --warnings "$page" 2>&1 > /dev/null)
                [ -z "$out" ] || fail "$(basename "$page"): warnings: $out"
                MANWIDTH=80 man -l "$page" 2> /dev/null | grep -q 'SYNOPSIS' || fail "$(basename "$page"): not rendered"
        done
        echo "ok: man -l renders both without warnings"
else
        echo "ok: (man not installed: rendering not checked)"
fi

"$(find_one '*/bin/coreinspect')" --version | grep -q '^coreinspect [0-9]' || fail "coreinspect --version"
"$(find_one '*/bin/corecollect')" --version | grep -q '^corecollect [0-9]' || fail "corecollect --version"
echo "ok: --version"

BC=/usr/share/bash-completion/bash_completion
if [ -r "$BC" ]; then
        got=$(bash -c '
                . "$1"
                . "$2"
                . "$3"
                complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); "$FN" "${COMP_WORDS[0]}" "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"; echo "${COMPREPLY[*]}"; }
                FN=_coreinspect complete_words coreinspect ""
                FN=_coreinspect complete_words coreinspect list --si
                FN=_corecollect complete_words corecollect ""
                FN=_corecollect complete_words corecollect list --cl
        ' sh "$BC" "$(find_one '*/completions/coreinspect')" "$(find_one '*/completions/corecollect')")
        echo "$got" | sed -n 1p | grep -qw gdb && echo "$got" | sed -n 1p | grep -qw list || fail "coreinspect verbs: $got"
        [ "$(echo "$got" | sed -n 2p)" = "--since --signal --signature" ] || fail "coreinspect list --si: $(echo "$got" | sed -n 2p)"
        echo "$got" | sed -n 3p | grep -qw oom-watch || fail "corecollect commands: $got"
        [ "$(echo "$got" | sed -n 4p)" = "--class" ] || fail "corecollect list --cl: $(echo "$got" | sed -n 4p)"
        echo "ok: completions offer the verbs and list's filters"
else
        echo "ok: (bash-completion not installed: completions not exercised)"
fi
