"""All benchmarks, one command: ``bin/bench`` (or ``python -m bench``). Each prints ratios against a
baseline measured in the same run, because these machines are shared and noisy."""

from bench import boot, http, report, retrieval, scale, slowloris, speed

if __name__ == "__main__":
    for benchmark in (speed, scale, retrieval, report, boot, http):
        benchmark.main()
        print()
    slowloris.main([])
