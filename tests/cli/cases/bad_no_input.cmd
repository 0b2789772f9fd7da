pool --method DL
