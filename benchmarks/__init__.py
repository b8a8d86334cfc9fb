"""The benchmark harness: one entry point, ``python -m benchmarks <section> [options]``, run from
the repository's root (``make bench`` runs ``all``).

Sections (each module's docstring says what it measures and its options):

* ``bench`` (:mod:`.bench`): time to the TensorFlow recipe's quality, the first picture,
  throughput, memory;
* ``ablation`` (:mod:`.ablation`): evaluations each optimiser lever needs;
* ``stopping-rule`` (:mod:`.stopping_rule`): ``collect`` loss curves, ``analyse`` progress rules;
* ``explorer`` (:mod:`.explorer_latency`): the explorer's response times;
* ``auto-fit`` (:mod:`.auto_fit`): ``NST_MODE=auto``'s predicted seconds against a timed figure (±30 %);
* ``all``: ``bench`` with its defaults, then ``explorer`` in fast mode (``make bench``).

Beside them, what ``bench`` uses: :mod:`.recipe` (the TensorFlow tutorial's recipe, also the
stopping rule's reference), :mod:`.peak` (FLOPs of one evaluation, the CPU's peak) and
:mod:`.report` (its tables).

Every section writes ``benchmarks/results/<cpu-slug>/<section>-<date>-<variant>.json``
(:mod:`.common`). They measure on the course's shared pictures (``../shared/images``) and stop
with a message naming that folder when it is missing. What was measured: docs/performance.md.
"""
