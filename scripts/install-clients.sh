#!/bin/sh
# Install the programs that tests/test_render_clients.py runs litreview's outputs through:
#   - a LaTeX engine (pdflatex, lualatex or xelatex) with the booktabs and longtable packages,
#     for build/evidence-table.tex;
#   - pandoc 2.11 or newer (for --citeproc), for build/narrative.md;
#   - a headless Chromium (or Google Chrome), for build/appendix.html and build/evidence-table.html.
# Each of those tests is skipped, with the reason, when its program is missing.
#
#   sh scripts/install-clients.sh          # install what is missing, then report
#   sh scripts/install-clients.sh --check  # only report what is there (exit 1 if something is missing)
#
# Debian and Ubuntu: apt-get (through sudo when not root). macOS: prints the Homebrew commands.
# Elsewhere: prints what to install. A browser outside PATH can be named with LITREVIEW_CHROMIUM.
set -eu

# pdflatex and booktabs (longtable, geometry and array come with texlive-latex-base); lmodern gives
# the PDF scalable fonts (without it pdflatex draws bitmap fonts)
TEX_PACKAGES="texlive-latex-recommended lmodern"
OTHER_PACKAGES="pandoc fonts-dejavu-core"  # DejaVu Sans: the face the SVG pictures ask for first

say() { printf '%s\n' "$*"; }

first_of() {  # first_of NAME...: the path of the first program found on PATH
    for p in "$@"; do
        if command -v "$p" >/dev/null 2>&1; then command -v "$p"; return 0; fi
    done
    return 1
}

browser() {
    if [ -n "${LITREVIEW_CHROMIUM:-}" ] && [ -x "${LITREVIEW_CHROMIUM}" ]; then say "$LITREVIEW_CHROMIUM"; return 0; fi
    first_of chromium chromium-browser google-chrome google-chrome-stable && return 0
    for app in "/Applications/Chromium.app/Contents/MacOS/Chromium" \
               "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
        if [ -x "$app" ]; then say "$app"; return 0; fi
    done
    return 1
}

pandoc_ok() {  # pandoc present and at least 2.11
    command -v pandoc >/dev/null 2>&1 || return 1
    v=$(pandoc --version 2>/dev/null | head -n 1 | sed 's/^pandoc[^0-9]*//')
    major=${v%%.*}; rest=${v#*.}; minor=${rest%%.*}
    case "$major$minor" in *[!0-9]*|"") return 1 ;; esac
    [ "$major" -gt 2 ] || { [ "$major" -eq 2 ] && [ "$minor" -ge 11 ]; }
}

latex_ok() {
    first_of pdflatex lualatex xelatex >/dev/null || return 1
    command -v kpsewhich >/dev/null 2>&1 || return 1
    [ -n "$(kpsewhich booktabs.sty)" ] && [ -n "$(kpsewhich longtable.sty)" ]
}

lmodern_ok() {
    command -v kpsewhich >/dev/null 2>&1 && [ -n "$(kpsewhich lmodern.sty)" ]
}

report() {  # prints one line per client; returns 1 when one is missing
    missing=0
    if latex_ok; then
        say "ok       LaTeX: $(first_of pdflatex lualatex xelatex) with booktabs and longtable"
        if lmodern_ok; then
            say "ok       LaTeX fonts: lmodern (scalable fonts in the PDF)"
        else
            say "note     LaTeX fonts: no lmodern; the PDF compiles with bitmap fonts"
        fi
    elif first_of pdflatex lualatex xelatex >/dev/null; then
        say "MISSING  LaTeX packages booktabs/longtable for $(first_of pdflatex lualatex xelatex)"; missing=1
    else
        say "MISSING  LaTeX engine (pdflatex, lualatex or xelatex)"; missing=1
    fi
    if pandoc_ok; then
        say "ok       pandoc: $(pandoc --version | head -n 1)"
    elif command -v pandoc >/dev/null 2>&1; then
        say "MISSING  pandoc 2.11 or newer (found $(pandoc --version | head -n 1): no --citeproc)"; missing=1
    else
        say "MISSING  pandoc"; missing=1
    fi
    if b=$(browser); then
        say "ok       browser: $b"
    else
        say "MISSING  Chromium or Google Chrome (or set LITREVIEW_CHROMIUM to its program)"; missing=1
    fi
    return "$missing"
}

if [ "${1:-}" = "--check" ]; then
    report
    exit $?
fi

if report >/dev/null && lmodern_ok; then
    report
    say "All the real clients are installed."
    exit 0
fi

case "$(uname -s)" in
Darwin)
    say "On macOS, install them with Homebrew (https://brew.sh):"
    say "  brew install pandoc"
    say "  brew install --cask basictex        # a small TeX Live with pdflatex; open a new terminal afterwards"
    say "  sudo tlmgr update --self && sudo tlmgr install booktabs"
    say "  brew install --cask chromium        # found at /Applications/Chromium.app by the tests"
    say "then run: sh scripts/install-clients.sh --check"
    exit 0
    ;;
esac

if command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=""
    elif command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        say "apt-get needs root: run this script as root or install sudo" >&2
        exit 1
    fi
    . /etc/os-release 2>/dev/null || true
    packages="$TEX_PACKAGES $OTHER_PACKAGES"
    browser_note=""
    if ! browser >/dev/null; then
        if [ "${ID:-}" = "ubuntu" ]; then
            # Ubuntu's chromium-browser package only installs the snap
            if command -v snap >/dev/null 2>&1; then
                packages="$packages chromium-browser"
            else
                browser_note="Ubuntu ships Chromium only as a snap and snapd is not here: install Google Chrome's .deb, or set LITREVIEW_CHROMIUM to a Chromium program."
            fi
        else
            packages="$packages chromium"
        fi
    fi
    say "installing with apt-get: $packages"
    $SUDO apt-get update
    # shellcheck disable=SC2086  # the package list is meant to split into words
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages
    [ -z "$browser_note" ] || say "$browser_note"
    if report; then
        say "All the real clients are installed."
    else
        say "Some clients are still missing (see above); their tests will be skipped."
    fi
    exit 0
fi

say "No apt-get here: install these with your system's package manager, then run"
say "sh scripts/install-clients.sh --check"
say "  - TeX Live with pdflatex and the LaTeX packages booktabs and longtable"
say "  - pandoc 2.11 or newer"
say "  - Chromium or Google Chrome (set LITREVIEW_CHROMIUM when it is not on PATH)"
exit 0
