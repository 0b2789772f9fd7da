bubble --mods "dose' ; system 'touch pwned_b' ; print '" --title "'\`id\` @x''" --script - -o "$TMPD/bubble.svg" "$TMPD/hostile.csv"
