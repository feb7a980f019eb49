"""Run a command and write its peak resident memory (kB) to a file, measured from this small process.

A child forked from the test process starts with the test process's resident pages, and
Linux keeps that high-water mark in the child's ``ru_maxrss`` across ``exec``: measured
from pytest, a command would be charged with pytest's own memory. Started through this
launcher, a fresh and small interpreter, it is charged only with its own.
Usage: ``python peak_launcher.py PEAK_FILE COMMAND [ARG...]``; exits as the command did.
"""

import os
import signal
import sys


def main() -> None:
    peak_file, command = sys.argv[1], sys.argv[2:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    with open(peak_file, "w", encoding="ascii") as out:
        out.write(f"{usage.ru_maxrss}\n")
    if os.WIFSIGNALED(status):
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
