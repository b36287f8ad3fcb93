"""Count test results over every run in the stestr repository.

Prints ``tests: N passed, M failed`` as the last line (skipped tests are
reported apart and never counted as passed) and exits 1 when a test failed
or when no test ran at all.
"""

import io
import sys

from stestr.repository import util
import subunit
import testtools

_KNOWN = ('success', 'fail', 'skip', 'xfail', 'uxsuccess')


class _Collector(testtools.StreamResult):
    def __init__(self):
        super().__init__()
        self.statuses = {}

    def status(self, test_id=None, test_status=None, **kwargs):
        if test_id and test_status in _KNOWN:
            self.statuses[test_id] = test_status


def main():
    try:
        repo = util.get_repo_open(repo_url='.')
        latest = int(repo.latest_id())
    except Exception as exc:
        print('no stestr results: %s' % exc)
        print('tests: 0 passed, 0 failed')
        return 1
    counts = {status: 0 for status in _KNOWN}
    for run_id in range(latest + 1):
        try:
            run = repo.get_test_run(str(run_id))
        except KeyError:
            continue
        collector = _Collector()
        stream = io.BytesIO(run.get_subunit_stream().read())
        subunit.ByteStreamToStreamResult(stream).run(collector)
        for status in collector.statuses.values():
            counts[status] += 1
    passed = counts['success']
    failed = counts['fail'] + counts['uxsuccess']
    print('skipped: %d, expected failures: %d (not counted as passed)'
          % (counts['skip'], counts['xfail']))
    print('tests: %d passed, %d failed' % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == '__main__':
    sys.exit(main())
