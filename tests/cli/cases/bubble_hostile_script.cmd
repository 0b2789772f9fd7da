bubble --mods "dose' ; system 'touch /tmp/pwned_b' ; print '" --title '`id` @x' --dry-run --script - -o bubble.svg tests/cli/data/bubble_hostile.csv
