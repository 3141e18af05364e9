#!/usr/bin/env python3
"""How much each cargo command of a sequence builds that the commands before it did not.

    scripts/cargo-new-units.py 'clippy --workspace --all-targets' \\
        'clippy --workspace --all-targets --no-default-features'

Each argument is a cargo command line without `cargo`. For each, cargo's unit graph
(`--unit-graph`, unstable: run with RUSTC_BOOTSTRAP=1, which this script sets) is read
without building anything, and a unit counts as new unless an earlier command had the same
unit: the same package, target, mode, features and profile, with the same dependencies all
the way down (one changed feature deep in the tree rebuilds everything above it). Prints,
per command, its units, the new ones and the packages they belong to.

Used to keep CI from building the same crates twice (docs/ci.md): cargo resolves features
per command, so two commands that select other packages, targets or features can build
most of the tree again.
"""

import hashlib
import json
import os
import shlex
import subprocess
import sys


def unit_ids(graph):
    """Maps each unit's identity (a hash over it and its dependencies) to its package."""
    units = graph["units"]
    memo = {}

    def ident(i):
        if i in memo:
            return memo[i]
        u = units[i]
        # The profile's name differs between `build` and `test` for the same settings.
        profile = {k: v for k, v in u["profile"].items() if k != "name"}
        key = (
            u["pkg_id"],
            u["target"]["name"],
            tuple(u["target"]["kind"]),
            u["mode"],
            tuple(sorted(u["features"])),
            json.dumps(profile, sort_keys=True),
            u.get("platform"),
            tuple(sorted(ident(d["index"]) for d in u["dependencies"])),
        )
        memo[i] = hashlib.sha1(repr(key).encode()).hexdigest()
        return memo[i]

    return {ident(i): package_name(u["pkg_id"]) for i, u in enumerate(units)}


def package_name(pkg_id):
    """`name@version` from a package id (`registry+...#name@1.0`, `path+file:///x/name#0.1.0`)."""
    source, _, fragment = pkg_id.partition("#")
    if "@" in fragment:
        return fragment
    return f"{source.rstrip('/').rsplit('/', 1)[-1]}@{fragment}"


def main(commands):
    if not commands or commands[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if commands else 2
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    seen = set()
    for command in commands:
        args = ["cargo", *shlex.split(command), "--unit-graph", "-Z", "unstable-options"]
        out = subprocess.run(args, env=env, capture_output=True, text=True)
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            return 1
        ids = unit_ids(json.loads(out.stdout))
        new = {k: v for k, v in ids.items() if k not in seen}
        packages = sorted(set(new.values()))
        print(f"cargo {command}: {len(ids)} units, {len(new)} new")
        if packages:
            print("  " + " ".join(packages))
        seen.update(ids)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
