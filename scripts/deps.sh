#!/bin/sh
# Check the build and run-time dependencies; install only the missing Debian packages.
# Usage: scripts/deps.sh [--check] [--tools] [--r] [--browser]   (--check: report, install
# nothing; --tools: also the test tools of make valgrind and make fuzz: valgrind, clang,
# libFuzzer; --r: also R with metafor, metadat and clubSandwich for make reference;
# --browser: also Chromium, which make site-test drives headless to check the evidence page)
set -u

check=0
tools=0
rlang=0
browser=0
for a in "$@"; do
    case $a in
    --check) check=1 ;;
    --tools) tools=1 ;;
    --r) rlang=1 ;;
    --browser) browser=1 ;;
    esac
done
missing=""
have_header() { [ -f "/usr/include/$1" ] || [ -f "/usr/local/include/$1" ]; }

have_header gsl/gsl_cdf.h || missing="$missing libgsl-dev"
have_header csv.h        || missing="$missing libcsv-dev"
have_header cmocka.h     || missing="$missing libcmocka-dev"
command -v gnuplot >/dev/null 2>&1 || missing="$missing gnuplot-nox"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
# pdftoppm and pdftotext: the rendering tests rasterise the PDF plots (tests/plots.py)
command -v pdftoppm >/dev/null 2>&1 || missing="$missing poppler-utils"

if [ $tools -eq 1 ]; then
    command -v valgrind >/dev/null 2>&1 || missing="$missing valgrind"
    command -v clang >/dev/null 2>&1 || missing="$missing clang"
    ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
        missing="$missing libclang-rt-dev"
fi

if [ $rlang -eq 1 ]; then
    command -v Rscript >/dev/null 2>&1 || missing="$missing r-base-core"
    for p in metafor:r-cran-metafor metadat:r-cran-metadat clubSandwich:r-cran-clubsandwich; do
        command -v Rscript >/dev/null 2>&1 &&
            Rscript -e "quit(status = !requireNamespace('${p%%:*}', quietly = TRUE))" \
                >/dev/null 2>&1 || missing="$missing ${p#*:}"
    done
fi

if [ $browser -eq 1 ]; then
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fi

[ -z "$missing" ] && exit 0
if [ $check -eq 1 ]; then
    echo "deps: missing Debian packages:$missing"
    exit 1
fi

echo "deps: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "deps: cannot install packages (not root and no password-less sudo)." >&2
    echo "deps: please run: sudo apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $missing; } >/dev/null; then
    echo "deps: apt-get failed to install:$missing" >&2
    echo "deps: please run: sudo apt-get install$missing" >&2
    exit 1
fi
exit 0
