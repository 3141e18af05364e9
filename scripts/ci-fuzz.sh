#!/usr/bin/env bash
# CI's fuzzing step: builds every fuzz target and runs each briefly (15 s by default, or
# FUZZ_CI_SECONDS; .ci/run sets 5) from the seeds, as many side by side as there are CPUs
# (each libFuzzer process uses one). Fails on any crash, timeout (over 1 s for one input) or
# out-of-memory (2 GB), with the artefact's path in the output. Other arguments go to
# scripts/fuzz.sh: .ci/run builds with `--build-only` in the background from its start and
# runs with `--no-build` at its end.
# Long campaigns: scripts/fuzz.sh --seconds N (docs/fuzzing.md).
set -euo pipefail
# A short run needs no fully optimised build: opt-level 1 compiles much faster, and the
# targets still run every seed in the time. (A long campaign builds at the profile's level.)
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-1}"
exec "$(dirname "${BASH_SOURCE[0]}")/fuzz.sh" --seconds "${FUZZ_CI_SECONDS:-15}" --jobs "$(nproc)" "$@"
