"""docs/from-k6.md's table of k6 test tables adds up: its total row is the sum
of the rows above it (cases, as in k6, documented differences, and the share
as in k6), every row's cases are its as-in-k6 cases plus its differences, and
every lueng test it names exists."""

import os
import re
import unittest

from support import SOURCE_DIR

DOC = os.path.join(SOURCE_DIR, "docs", "from-k6.md")


def table_rows():
    with open(DOC) as f:
        text = f.read()
    start = text.index("| k6 file | k6 test | cases |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def leading_int(cell):
    return int(re.match(r"\**(\d+)", cell).group(1))


class K6TablesDocTest(unittest.TestCase):
    def test_the_total_is_the_sum_of_the_rows(self):
        rows = table_rows()
        body, total = rows[:-1], rows[-1]
        self.assertEqual(total[0], "**total**")
        sums = [sum(leading_int(row[i]) for row in body) for i in (2, 3, 4)]
        self.assertEqual([leading_int(total[i]) for i in (2, 3, 4)], sums)
        percent = int(re.search(r"\((\d+)%\)", total[3]).group(1))
        self.assertEqual(percent, sums[1] * 100 // sums[0])

    def test_each_row_adds_up_and_names_a_test_that_exists(self):
        for row in table_rows()[:-1]:
            with self.subTest(row=row[:2]):
                cases, same, different = (leading_int(row[i]) for i in (2, 3, 4))
                self.assertEqual(cases, same + different)
                self.assertTrue(os.path.exists(os.path.join(SOURCE_DIR, row[5])), row[5])


if __name__ == "__main__":
    unittest.main()
