//! Property tests of the layout: for any text a cell can hold (CJK, combining marks,
//! emoji, and bytes that become escapes), [`wrap`] and the [`Grid`] always finish, never
//! write a line wider than asked, and lose or add no character; and a row that fits is
//! written by the one-line fast path exactly as wrapping would write it.

use proptest::prelude::*;

use super::grid::{Align, Column, Fit, Grid};
use super::rich::{str_width, Rich, Tone};
use super::wrap::{wrap, MIN_WIDTH};
use super::Theme;

/// Bytes as a cell can get them from an input: words and spaces, wide and zero-width
/// characters, and bytes that are not safe to show (they become escapes).
fn input() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        "[a-z]{1,12}".prop_map(String::into_bytes),
        " {1,3}".prop_map(String::into_bytes),
        "[中文字符测试起始行]{1,6}".prop_map(String::into_bytes),
        Just("e\u{301}".as_bytes().to_vec()),
        Just("\u{1F600}".as_bytes().to_vec()),
        Just("\u{202e}".as_bytes().to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// Rich text of several runs in different tones, as a row's value is.
fn rich(parts: &[Vec<u8>]) -> Rich<'_> {
    let tones = [Tone::HeaderValue, Tone::Dim, Tone::Method];
    let mut rich = Rich::new();
    for (i, bytes) in parts.iter().enumerate() {
        rich.push_bytes(bytes, tones[i % tones.len()]);
    }
    rich
}

/// The characters of `text` that are not spaces, with their tones.
fn inked<'a>(runs: impl IntoIterator<Item = (Tone, &'a str)>) -> Vec<(Tone, char)> {
    runs.into_iter()
        .flat_map(|(tone, text)| text.chars().filter(|&c| c != ' ').map(move |c| (tone, c)))
        .collect()
}

proptest! {
    #[test]
    fn wrap_keeps_every_character_within_the_width(
        parts in prop::collection::vec(input(), 1..4),
        width in 0usize..30,
    ) {
        let cell = rich(&parts);
        let lines = wrap(&cell, width);
        for line in &lines {
            let w: usize = line.iter().map(|(_, t)| str_width(t)).sum();
            prop_assert!(w <= width.max(MIN_WIDTH), "{w} > {width}: {line:?}");
        }
        // Nothing lost or added, tones kept ...
        let wrapped = inked(lines.iter().flatten().copied());
        prop_assert_eq!(wrapped, inked(cell.runs.iter().map(|r| (r.tone, &*r.text))));
        // ... and the only characters dropped are spaces where a line was broken.
        let whole = cell.plain();
        let mut at = 0;
        for line in &lines {
            let text: String = line.iter().map(|(_, t)| *t).collect();
            while !whole[at..].starts_with(&text) {
                prop_assert!(whole[at..].starts_with(' '), "{text:?} not at {at} of {whole:?}");
                at += 1;
            }
            at += text.len();
        }
        prop_assert!(whole[at..].chars().all(|c| c == ' '));
    }

    #[test]
    fn grid_lines_are_as_wide_as_each_other_and_no_wider_than_asked(
        rows in prop::collection::vec((input(), input(), prop::option::of(input())), 0..6),
        width in 30usize..120,
    ) {
        let columns = [
            Column { title: "#", align: Align::Right, fit: Fit::Content },
            Column { title: "name", align: Align::Left, fit: Fit::Keep },
            Column { title: "value", align: Align::Left, fit: Fit::Rest },
        ];
        let mut grid = Grid::new(&columns);
        let mut expected: String = columns.iter().map(|c| c.title).collect();
        for (i, (name, value, note)) in rows.iter().enumerate() {
            let cells = [Rich::text(i.to_string()), rich(std::slice::from_ref(name)), rich(std::slice::from_ref(value))];
            for cell in &cells {
                expected.push_str(&cell.plain());
            }
            grid.add_row(cells.into());
            if let Some(note) = note {
                let note = rich(std::slice::from_ref(note));
                expected.push('↳');
                expected.push_str(&note.plain());
                grid.add_note(1, note);
            }
        }
        let mut out = String::new();
        grid.write(&mut out, width, &Theme::plain());
        let widths: Vec<usize> = out.lines().map(str_width).collect();
        prop_assert!(widths.iter().all(|&w| w == widths[0] && w <= width), "{widths:?}\n{out}");
        let ink = |text: &str| {
            let mut chars: Vec<char> = text
                .chars()
                .filter(|c| !matches!(c, ' ' | '\n' | '│' | '┆' | '─' | '┌' | '┬' | '┐' | '╞' | '═' | '╪' | '╡' | '└' | '┴' | '┘'))
                .collect();
            chars.sort_unstable();
            chars
        };
        prop_assert_eq!(ink(&out), ink(&expected));
    }
}

proptest! {
    #[test]
    fn a_row_that_fits_is_written_as_wrapping_writes_it(
        cells in prop::collection::vec(prop::collection::vec(input(), 0..3), 3),
        extra in prop::collection::vec(0usize..4, 3),
        colored in any::<bool>(),
    ) {
        let columns = [
            Column { title: "#", align: Align::Right, fit: Fit::Content },
            Column { title: "name", align: Align::Left, fit: Fit::Keep },
            Column { title: "value", align: Align::Left, fit: Fit::Rest },
        ];
        let grid = Grid::new(&columns);
        let row: Vec<Rich> = cells.iter().map(|parts| rich(parts)).collect();
        let cell_widths: Vec<usize> = row.iter().map(Rich::width).collect();
        // Columns as wide as each cell or wider: the fast path's case.
        let widths: Vec<usize> = cell_widths
            .iter()
            .zip(&extra)
            .map(|(w, e)| (w + e).max(MIN_WIDTH))
            .collect();
        let theme = Theme::new(colored);
        let (mut fast, mut slow) = (String::new(), String::new());
        grid.write_one_line(&mut fast, (&row, &cell_widths), &widths, &theme);
        grid.write_wrapped_row(&mut slow, &row, &widths, &theme);
        prop_assert_eq!(fast, slow);
    }
}
