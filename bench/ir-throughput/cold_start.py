"""Cold start: what a CI job pays to check the corpus once, in a fresh process, on each side.

Usage: python3 cold_start.py --sdk-python PYTHON [--rounds N] FILE...

Takes turns, one run of each side per round: `kfpci validate FILE...` through the repository's
launcher (a fresh JVM with the launcher's flags and its class-data archive, as a user runs it),
and a fresh Python in the kfp venv running sdk_load.py --once (import PyYAML, protobuf and kfp's
pipeline_spec, then yaml.safe_load_all + ParseDict of every file: the SDK's own load, without the
rest of kfp). The first round of each side is discarded (it writes the launcher's class-data
archive and fills the OS file cache); each side's figure is the median of the others, wall clock
and CPU (user + system of the process and its children). Standard library only.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SDK_LOAD = os.path.join(HERE, "src", "main", "resources", "io", "kfpci", "bench", "sdk_load.py")


def timed(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit("failed (%d): %s\n%s" % (result.returncode, " ".join(command[:3]) + " ...", result.stdout[-3000:]))
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk-python", required=True)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    if args.rounds < 2:
        sys.exit("--rounds must be at least 2: the first round is discarded")
    ours, sdk = [], []
    for _ in range(args.rounds):
        wall, cpu, out = timed([os.path.join(REPO, "kfpci"), "validate", *args.files])
        if not out.rstrip().endswith("0 errors, 0 warnings"):
            sys.exit("kfpci validate did not pass the corpus:\n" + out[-2000:])
        ours.append((wall, cpu))
        wall, cpu, out = timed([args.sdk_python, SDK_LOAD, "--once", *args.files])
        if json.loads(out.strip().splitlines()[-1])["files"] != len(args.files):
            sys.exit("the SDK side did not load every file:\n" + out[-2000:])
        sdk.append((wall, cpu))
    kept = args.rounds - 1
    ours_wall, ours_cpu = (statistics.median(v[i] for v in ours[1:]) for i in (0, 1))
    sdk_wall, sdk_cpu = (statistics.median(v[i] for v in sdk[1:]) for i in (0, 1))
    print("cold start, one fresh process per side and round, %d rounds, round 1 discarded, medians of %d:"
          % (args.rounds, kept))
    print("  kfpci validate (launcher, fresh JVM), %d files            %6.2f s wall  %6.2f s CPU"
          % (len(args.files), ours_wall, ours_cpu))
    print("  kfp SDK load (fresh Python: imports + safe_load_all + ParseDict) %6.2f s wall  %6.2f s CPU"
          % (sdk_wall, sdk_cpu))
    print("  ratio kfpci / SDK (below 1: kfpci is faster): wall %.2fx, CPU %.2fx"
          % (ours_wall / sdk_wall, ours_cpu / sdk_cpu))


if __name__ == "__main__":
    main()
