#!/bin/sh
# make install into a temporary prefix, then: the installed program runs `claims` from
# another folder with the installed data (and a data/claims.csv of the working folder or
# --claims wins), a program builds against the library with pkg-config, and make uninstall
# leaves no file behind. The build is a copy of BUILD with its times, so that only the
# object holding the data folder is compiled again.
# Usage: CC=... CFLAGS=... LDFLAGS=... sh tests/install/run.sh BUILD REFERENCE_DIR
# (the flags BUILD was made with: a sanitizer build links the test program alike)
set -u
cc=${CC:-cc}
cflags=${CFLAGS:-}
ldflags=${LDFLAGS:-}
build=$1
ref=$2
src=$(pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "install: FAIL: $1"; fail=$((fail + 1)); }

mkdir "$tmp/build" && cp -Rp "$build/src" "$build/libiastm.a" "$build/.deps-ok" "$tmp/build/" ||
    { echo "install: FAIL: cannot copy $build (run make first)"; exit 1; }
if ! make -s install BUILD="$tmp/build" PREFIX="$prefix" DESTDIR= CC="$cc" CFLAGS="$cflags" \
    LDFLAGS="$ldflags" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    echo "install: FAIL: make install"
    exit 1
fi
iastm=$prefix/bin/iastm
share=$prefix/share/iastm
for f in claims.csv trials.csv published_reviews.csv examples/bcg.csv; do
    [ -f "$share/$f" ] && ok || bad "$share/$f not installed"
done

# claims outside the source tree: the installed claims file, the same verdicts as here
# (the output names the trials file: its folder is written as data/)
(cd "$src" && "$build/iastm" claims data/trials.csv) >"$tmp/claims.src" 2>&1
(cd / && "$iastm" claims "$share/trials.csv") >"$tmp/claims.out" 2>&1 &&
    sed "s|$share/|data/|g" "$tmp/claims.out" | cmp -s "$tmp/claims.src" - && ok ||
    bad "claims from / differs from the source tree's (or failed): $(head -3 "$tmp/claims.out")"
"$iastm" claims --help | grep -q "else $share/claims.csv" && ok ||
    bad "claims --help does not name $share/claims.csv"
# a data/claims.csv of the working folder comes first, --claims before both
mkdir -p "$tmp/work/data"
awk -F, 'NR <= 2' "$src/data/claims.csv" >"$tmp/work/data/claims.csv"
(cd "$tmp/work" && "$iastm" claims "$share/trials.csv") >"$tmp/claims.work" 2>&1
(cd / && "$iastm" claims --claims "$tmp/work/data/claims.csv" "$share/trials.csv") \
    >"$tmp/claims.opt" 2>&1
if cmp -s "$tmp/claims.work" "$tmp/claims.opt" && ! cmp -s "$tmp/claims.work" "$tmp/claims.out"
then ok; else bad "data/claims.csv of the working folder not used first"; fi
(cd "$tmp/work" && "$iastm" claims --claims "$share/claims.csv" "$share/trials.csv") \
    >"$tmp/claims.share" 2>&1
cmp -s "$tmp/claims.share" "$tmp/claims.out" && ok || bad "--claims does not win"

# the library through pkg-config, pooling the installed example as metafor does
want=$(awk -F, '$1 == "REML" && $2 == "z" { print $4 }' "$ref/bcg.pool.csv")
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
if $cc -std=c11 $cflags $(pkg-config --cflags iastm) -o "$tmp/use_library" \
    tests/install/use_library.c $ldflags $(pkg-config --libs iastm) 2>"$tmp/cc.log"; then
    "$tmp/use_library" "$share/examples/bcg.csv" "$want" >"$tmp/use.out" 2>&1 && ok ||
        bad "the program built with pkg-config: $(cat "$tmp/use.out")"
else
    cat "$tmp/cc.log"
    bad "cannot build a program with pkg-config --cflags --libs iastm"
fi
[ "$(pkg-config --variable=datadir iastm)" = "$share" ] && ok || bad "iastm.pc datadir"

if make -s uninstall BUILD="$tmp/build" PREFIX="$prefix" DESTDIR= >"$tmp/uninstall.log" 2>&1
then
    left=$(find "$prefix" -type f -o -type l)
    [ -z "$left" ] && ok || bad "make uninstall left files: $left"
    [ ! -d "$share" ] && [ ! -d "$prefix/include/iastm" ] && ok ||
        bad "make uninstall left the project's folders"
else
    cat "$tmp/uninstall.log"
    bad "make uninstall"
fi
echo "install: $pass passed, $fail failed"
[ $fail -eq 0 ]
