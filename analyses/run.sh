#!/bin/sh
# make analyses: regenerate analyses/results/ and plots/ from data/trials.csv.
# Each analyses/NAME.analysis file says what to pool (title, filter options, subgroup
# variable, whether to run leave-one-out, and `model: che` for the correlated and
# hierarchical effects model of `iastm mv` over dependent rows instead of `iastm pool`);
# this script runs build/iastm on it and writes
# results/NAME.{json,csv,md,txt}, plots/NAME.{png,svg,narrow.svg}, and the cross-cutting reports:
# the data audit (audit.*), the summary of findings (evidence.*), the claims check
# (claims.*), published reviews.
# Usage: sh analyses/run.sh build/iastm
set -u
IASTM=${1:-build/iastm}
DATA=data/trials.csv
RES=analyses/results
PLOTS=plots
mkdir -p "$RES" "$PLOTS"
have_gnuplot=1
command -v gnuplot >/dev/null 2>&1 || { have_gnuplot=0; echo "analyses: gnuplot not found: figures are not redrawn"; }
failures=0

field() { sed -n "s/^$1:[[:space:]]*//p" "$2" | head -n 1; }

# run OUT CMD...: run an iastm command writing OUT; on failure keep the message in OUT.err
run() {
    run_out=$1; shift
    if ! "$IASTM" "$@" -o "$run_out" 2>"$run_out.err"; then
        return 1
    fi
    rm -f "$run_out.err"
}

for f in analyses/*.analysis; do
    name=$(basename "$f" .analysis)
    title=$(field title "$f")
    filter=$(field filter "$f")
    by=$(field by "$f")
    loo=$(field loo "$f")
    model=$(field model "$f")
    byopt=""
    [ -n "$by" ] && byopt="--by $by"
    # pool with Cochrane's 2025 model (REML + HKSJ ad hoc, t-based prediction interval), or
    # (model: che) the CHE model with CR2 inference, rows clustered by trial
    cmd="pool --test adhoc"
    plotopt="$byopt --test adhoc"
    if [ "$model" = che ]; then
        cmd="mv --cluster study_id --che"
        plotopt="--cluster study_id --rho 0.6"
        byopt=""
    fi
    echo "analysis $name: $title"
    # shellcheck disable=SC2086
    if ! run "$RES/$name.json" $cmd $filter $byopt --format json "$DATA"; then
        msg=$(cat "$RES/$name.json.err")
        rm -f "$RES/$name.json.err" "$RES/$name.json" "$RES/$name.csv" "$RES/$name.txt" \
            "$PLOTS/$name.png" "$PLOTS/$name.svg" "$PLOTS/$name.narrow.svg"
        msg=${msg#iastm pool: }
        msg=${msg#iastm mv: }
        printf '# %s\n\nNot analysable: %s\n' "$title" "$msg" > "$RES/$name.md"
        echo "  not analysable: $msg"
        continue
    fi
    for fmt in csv txt md; do
        ff=$fmt; [ $fmt = txt ] && ff=text
        # shellcheck disable=SC2086
        run "$RES/$name.$fmt" $cmd $filter $byopt --format $ff "$DATA" || { failures=$((failures + 1)); cat "$RES/$name.$fmt.err"; }
    done
    { printf '# %s\n\n%s\n\nFilter: `%s`%s\n\n' "$title" "$(sed -n '1s/^# //p' "$f")" "$filter" "${by:+; subgroups by \`$by\`}"
      cat "$RES/$name.md"; } > "$RES/$name.md.tmp" && mv "$RES/$name.md.tmp" "$RES/$name.md"
    if [ $have_gnuplot -eq 1 ]; then
        for ext in png svg narrow.svg; do
            # PNG: the print default (7 in wide when the table fits at 8 pt or more); SVG,
            # inlined by the evidence page and scaled to the screen: set at 10 pt; narrow.svg,
            # the page's figure on a phone: reflowed to 3.5 in (no per-arm columns, text at
            # 6 pt or more), which a 390 px screen shows at about 1.45 px per point, so no
            # text is below 8 px
            sizeopt=""
            case $ext in svg) sizeopt="--font-size 10" ;; narrow.svg) sizeopt="--width 3.5in --font-size 10" ;; esac
            # shellcheck disable=SC2086
            run "$PLOTS/$name.$ext" forest $filter $plotopt $sizeopt --title "$title" "$DATA" || { failures=$((failures + 1)); cat "$PLOTS/$name.$ext.err"; rm -f "$PLOTS/$name.$ext.err"; }
        done
    fi
    if [ "$loo" = yes ]; then
        for fmt in csv md; do
            # shellcheck disable=SC2086
            run "$RES/$name.loo.$fmt" loo --test adhoc $filter --format $fmt "$DATA" || { failures=$((failures + 1)); cat "$RES/$name.loo.$fmt.err"; rm -f "$RES/$name.loo.$fmt.err"; }
        done
        # Small-study tests: computed when k allows, with the tool's own note on power;
        # Egger's test is the meta-regression of the analysis' own model (regtest of it)
        # shellcheck disable=SC2086
        if ! run "$RES/$name.bias.txt" bias --test adhoc $filter "$DATA"; then
            printf 'Small-study tests not computed: %s\n' "$(sed 's/^iastm[^:]*: //' "$RES/$name.bias.txt.err")" > "$RES/$name.bias.txt"
            rm -f "$RES/$name.bias.txt.err"
        fi
        # A funnel plot only from 10 trials on (Cochrane Handbook, chapter 13): below that its
        # asymmetry cannot be told from chance; `iastm funnel` still draws one on request.
        k=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); o=d["overall"]; print((o[0] if isinstance(o, list) else o)["k"])' "$RES/$name.json" 2>/dev/null || echo 0)
        rm -f "$PLOTS/$name.funnel.png"
        if [ $have_gnuplot -eq 1 ] && [ "$k" -ge 10 ]; then
            # shellcheck disable=SC2086
            run "$PLOTS/$name.funnel.png" funnel $filter "$DATA" 2>/dev/null || rm -f "$PLOTS/$name.funnel.png.err"
        fi
    fi
done

echo "analysis audit: checks of the reported numbers (SD or SE, GRIM, GRIMMER, p, ranges)"
run "$RES/audit.txt" audit "$DATA" || { failures=$((failures + 1)); cat "$RES/audit.txt.err"; }
for fmt in md csv json; do
    run "$RES/audit.$fmt" audit --format $fmt "$DATA" || { failures=$((failures + 1)); cat "$RES/audit.$fmt.err"; }
done
echo "analysis evidence: summary of findings and published reviews"
for fmt in md csv json; do
    run "$RES/evidence.$fmt" evidence --reviews data/published_reviews.csv --format $fmt "$DATA" || { failures=$((failures + 1)); cat "$RES/evidence.$fmt.err"; }
done
echo "analysis claims: verdicts on the clinical claims"
for fmt in md csv json; do
    run "$RES/claims.$fmt" claims --claims data/claims.csv --format $fmt "$DATA" || { failures=$((failures + 1)); cat "$RES/claims.$fmt.err"; }
done

# The evidence page: one self-contained HTML file from the results and figures above.
echo "analysis site: the evidence page (analyses/site/index.html)"
python3 analyses/site.py --iastm "$IASTM" --out analyses/site/index.html || failures=$((failures + 1))

# Example figures from the classic data sets shipped in data/examples/.
REF=data/examples
if [ $have_gnuplot -eq 1 ]; then
    echo "analysis examples: figures for the reference data sets (plots/examples/)"
    mkdir -p "$PLOTS/examples"
    ex() { ex_out=$PLOTS/examples/$1; shift; run "$ex_out" "$@" || { failures=$((failures + 1)); cat "$ex_out.err"; rm -f "$ex_out.err"; }; }
    ex bcg_by_alloc.png forest --by alloc --favours-left "Favours vaccine" --favours-right "Favours control" --transf exp --xlabel "Risk ratio" --title "BCG vaccine trials by allocation" "$REF/bcg.csv"
    ex bcg_loo.png forest --type loo --favours-left "Favours vaccine" --favours-right "Favours control" --transf exp --xlabel "Risk ratio" "$REF/bcg.csv"
    ex bcg_cumul.png forest --type cumul --order year --favours-left "Favours vaccine" --favours-right "Favours control" --transf exp --xlabel "Risk ratio" "$REF/bcg.csv"
    # GOSH: the fit of every subset of the 13 trials (8191), estimate against I^2; its
    # text summary is not kept
    if ! "$IASTM" gosh --plot "$PLOTS/examples/bcg_gosh.png" "$REF/bcg.csv" >/dev/null 2>"$PLOTS/examples/bcg_gosh.png.err"; then
        failures=$((failures + 1)); cat "$PLOTS/examples/bcg_gosh.png.err"
    fi
    rm -f "$PLOTS/examples/bcg_gosh.png.err"
    ex bcg_funnel.png funnel --xlabel "Log risk ratio" "$REF/bcg.csv"
    ex bcg_bubble_ablat.png bubble --mods ablat --xlabel "Absolute latitude (degrees)" --ylabel "Log risk ratio" "$REF/bcg.csv"
    ex raudenbush1985_bubble_weeks.png bubble --mods weeks --xlabel "Weeks of teacher-student contact before expectancy induction" --ylabel "Standardized mean difference" "$REF/raudenbush1985.csv"
    ex raudenbush1985_by_tester.png forest --by tester --favours-left "Favours control" --favours-right "Favours expectancy" "$REF/raudenbush1985.csv"
    ex normand1999_smd.png forest --favours-left "Favours specialist care" --favours-right "Favours routine care" "$REF/normand1999.csv"
    ex normand1999_smd.svg forest --favours-left "Favours specialist care" --favours-right "Favours routine care" "$REF/normand1999.csv"
fi

if [ $failures -gt 0 ]; then
    echo "analyses: $failures step(s) failed" >&2
    exit 1
fi
echo "analyses: results in $RES/, figures in $PLOTS/"
