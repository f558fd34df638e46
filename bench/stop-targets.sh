#!/usr/bin/env bash
# Stop what start-targets.sh started, by the pids it recorded (never by process name).
# Usage: stop-targets.sh
. "$(dirname "$0")/lib.sh"
for name in nationaldns unbound upstream; do stop_recorded "$name"; done
