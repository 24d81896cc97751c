"""Which pip requirements are not satisfied by this interpreter's installed packages.

Usage: python -c "<this file>" '[["numpy==2.1.3", "pandas==2.2.3"], ["kfp==2.17.3"]]'
Prints one JSON list per input list: the requirements that still need installing. A requirement
whose environment marker is false for this interpreter is satisfied (pip would ignore it); one that
cannot be parsed or names a URL is reported as unsatisfied, so pip decides.
"""
import json
import sys
from importlib import metadata

try:
    from packaging.requirements import InvalidRequirement, Requirement
except ImportError:  # every venv has pip, which vendors packaging
    from pip._vendor.packaging.requirements import InvalidRequirement, Requirement


def missing(text):
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return True
    if requirement.marker is not None and not requirement.marker.evaluate():
        return False
    if requirement.url:
        return True
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return True
    return bool(requirement.specifier) and not requirement.specifier.contains(version, prereleases=True)


lines = json.loads(sys.argv[1])
print(json.dumps([[text for text in line if missing(text)] for line in lines]))
