//! For a message rebuilt from a transcript, the transcript line each of its lines came
//! from, kept as runs: a body copied from consecutive transcript lines is one run (first
//! line + index), not a number per line, so a body of millions of short lines costs a few
//! words (issue 10, item 7).

/// The transcript line (1-based) of each message line, in message-line order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SourceLines {
    runs: Vec<Run>,
    len: usize,
}

/// Lines `index..` (up to the next run) came from `line`, `line + step`, `line + 2 * step`...
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    index: usize,
    line: usize,
    /// 1 for consecutive transcript lines, 0 for message lines from one transcript line.
    step: usize,
}

impl SourceLines {
    /// How many message lines are mapped (the tests compare it with the message's).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Add the next message line's transcript line.
    pub fn push(&mut self, line: usize) {
        let index = self.len;
        self.len += 1;
        if let Some(run) = self.runs.last_mut() {
            let count = index - run.index;
            if count == 1 && (line == run.line || line == run.line + 1) {
                run.step = line - run.line;
                return;
            }
            if count > 1 && run.line + run.step * count == line {
                return;
            }
        }
        self.runs.push(Run {
            index,
            line,
            step: 0,
        });
    }

    /// The transcript line of message line `index` (from 0).
    pub fn get(&self, index: usize) -> Option<usize> {
        if index >= self.len {
            return None;
        }
        let at = self
            .runs
            .partition_point(|r| r.index <= index)
            .checked_sub(1)?;
        let run = self.runs[at];
        Some(run.line + run.step * (index - run.index))
    }
}

impl FromIterator<usize> for SourceLines {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut lines = SourceLines::default();
        for line in iter {
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::SourceLines;

    #[test]
    fn runs_give_back_every_line_pushed() {
        let pushed = [3, 4, 5, 6, 6, 6, 9, 2, 3, 3, 10, 11, 12, 12];
        let lines: SourceLines = pushed.iter().copied().collect();
        assert_eq!(lines.len(), pushed.len());
        for (i, &line) in pushed.iter().enumerate() {
            assert_eq!(lines.get(i), Some(line), "index {i}");
        }
        assert_eq!(lines.get(pushed.len()), None);
    }

    #[test]
    fn a_run_of_consecutive_lines_is_one_entry() {
        let lines: SourceLines = (7..1_000_007).collect();
        assert_eq!(lines.runs.len(), 1);
        assert_eq!(lines.get(999_999), Some(1_000_006));
    }
}
