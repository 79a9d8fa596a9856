"""resizer_lab: the studies behind the course's results, beside the course library.

The course (``notebooks/``) imports only ``resizer_lib``. This package holds the research
machinery that produces the committed studies in ``results/``: the paired-study command line,
the study files and reports, the factor map, the warm start, the bootstrap and McNemar tests.
It is not part of the wheel that learners install; run it from the repository root
(``python -m resizer_lab ...``). Its README says how each committed study is reproduced.
"""
