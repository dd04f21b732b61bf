#!/usr/bin/python3
"""Exec a command under the parts of a systemd unit's sandbox that live in the process
itself, for tests/api/test_package.py: the system call filter (SystemCallFilter= with
SystemCallErrorNumber=, as an allow list), RestrictAddressFamilies= (socket() of any other
family fails) and MemoryDenyWriteExecute= (the kernel's PR_SET_MDWE). systemd applies these
last, after the user and capabilities are set, just before it executes the command; so does
this, run by setpriv.

    unit_exec.py SPEC.json COMMAND ARGS...

SPEC: {"syscalls": [names allowed], "errno": N, "families": [numbers] or null,
"mdwe": true|false}."""

import ctypes
import json
import os
import sys

import seccomp

PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    if spec["mdwe"]:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
            sys.exit("unit_exec: PR_SET_MDWE: %s" % os.strerror(ctypes.get_errno()))
    if spec["syscalls"] is not None:
        filt = seccomp.SyscallFilter(seccomp.ERRNO(spec["errno"]))
        families = spec["families"]
        for name in spec["syscalls"]:
            if name == "socket" and families is not None:
                continue
            try:
                filt.add_rule(seccomp.ALLOW, name)
            except (RuntimeError, ValueError):
                pass  # a name of another architecture
        if families is not None:
            for fam in families:
                filt.add_rule(seccomp.ALLOW, "socket", seccomp.Arg(0, seccomp.EQ, fam))
        filt.load()
    os.execv(sys.argv[2], sys.argv[2:])


if __name__ == "__main__":
    main()
