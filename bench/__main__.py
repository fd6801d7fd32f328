"""All benchmarks, one command: ``bin/bench`` (or ``python -m bench``)."""

from bench import jhu, speed

if __name__ == "__main__":
    speed.main()
    print()
    jhu.main()
