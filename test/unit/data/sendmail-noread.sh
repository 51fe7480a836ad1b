#!/bin/sh
# Fake sendmail for tests: exits at once without reading stdin, so the
# writer gets EPIPE (and, unblocked, SIGPIPE).
exit "${1:-0}"
