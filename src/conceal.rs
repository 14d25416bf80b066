//! Keeping an anonymous battle's contestants unnamed until the viewer has voted: what gives
//! a contestant away in a run's text is replaced by its letter.
//!
//! What is replaced is what the arena knows of the contestant: its name, id and model,
//! in any letter case, wherever they stand as words of their own; and its provider where
//! the arena's own messages cite it (in backticks, as in "provider `google` failed"). A
//! bare provider id is left alone: it is an ordinary word of code ("next/font/google"), and
//! replacing it in one contestant's text only would point at that contestant. What a model
//! writes about itself in its site or its files is its work, and shown as it is.

use crate::run::ContestantView;

/// Names shorter than this are left alone: a two-letter id would eat ordinary words.
const SHORTEST_LABEL: usize = 3;

pub struct Concealer {
    /// Lowercase (ASCII only, so byte offsets match the text's), longest first, so that a
    /// name is not half replaced by an id it contains.
    needles: Vec<String>,
    letter: String,
}

impl Concealer {
    /// For the run at `position` of its battle, with the view that stands in for `real`.
    pub fn at(real: &ContestantView, position: usize) -> (Self, ContestantView) {
        let hidden = ContestantView::hidden(position);
        (Self::new(real, &hidden.name), hidden)
    }

    pub fn new(real: &ContestantView, letter: &str) -> Self {
        let mut needles: Vec<String> = [&real.name, &real.id, &real.model]
            .into_iter()
            .filter(|label| label.chars().count() >= SHORTEST_LABEL)
            .map(|label| label.to_ascii_lowercase())
            .collect();
        if real.provider.chars().count() >= SHORTEST_LABEL {
            needles.push(format!("`{}`", real.provider.to_ascii_lowercase()));
        }
        needles.sort_by_key(|needle| std::cmp::Reverse(needle.len()));
        needles.dedup();
        Self {
            needles,
            letter: letter.to_owned(),
        }
    }

    /// `text` with every needle that stands as a word of its own replaced by the letter:
    /// an id `down` leaves "shutdown" alone.
    pub fn apply(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for needle in &self.needles {
            let matches = self.word_matches(&text, needle);
            if matches.is_empty() {
                continue;
            }
            let mut out = String::with_capacity(text.len());
            let mut copied = 0;
            for at in matches {
                out.push_str(&text[copied..at]);
                out.push_str(&self.letter);
                copied = at + needle.len();
            }
            out.push_str(&text[copied..]);
            text = out;
        }
        text
    }

    /// How much of `text`, a stream's beginning, can be passed on now: the rest could be
    /// the start of a needle that the next piece completes, or a needle's last letters
    /// whose word goes on. Passing on only this much lets [`Concealer::apply`] see every
    /// needle whole in one piece, however the stream was cut.
    pub fn settled_len(&self, text: &str) -> usize {
        let Some(longest) = self.needles.first().map(String::len) else {
            return text.len();
        };
        // A needle and the character after it, which tells whether it ends a word.
        let mut cut = text.len().saturating_sub(longest + 4);
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let lower = text.to_ascii_lowercase();
        let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        // Before the cut every needle is whole in `text`. Move the cut back to the start of
        // any needle that spans it, and out of any word it falls inside (so that each
        // piece's edges are word edges, as in the whole text), until neither holds.
        loop {
            let spanning = self.needles.iter().find_map(|needle| {
                lower
                    .match_indices(needle.as_str())
                    .map(|(at, _)| at)
                    .find(|&at| at < cut && cut < at + needle.len())
            });
            if let Some(at) = spanning {
                cut = at;
                continue;
            }
            let before = text[..cut].chars().next_back();
            if alphanumeric(before) && alphanumeric(text[cut..].chars().next()) {
                cut = text[..cut]
                    .char_indices()
                    .rev()
                    .find(|&(_, c)| !c.is_alphanumeric())
                    .map_or(0, |(at, c)| at + c.len_utf8());
                continue;
            }
            return cut;
        }
    }

    /// Where `needle` starts in `text` as a word of its own, in any ASCII letter case: an
    /// edge of the needle that is a letter or digit must not have one beside it.
    fn word_matches(&self, text: &str, needle: &str) -> Vec<usize> {
        let lower = text.to_ascii_lowercase();
        let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let opens_a_word = alphanumeric(needle.chars().next());
        let closes_a_word = alphanumeric(needle.chars().next_back());
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(offset) = lower[from..].find(needle) {
            let at = from + offset;
            let end = at + needle.len();
            let word_goes_on_before = opens_a_word && alphanumeric(text[..at].chars().next_back());
            let word_goes_on_after = closes_a_word && alphanumeric(text[end..].chars().next());
            if !word_goes_on_before && !word_goes_on_after {
                found.push(at);
                from = end;
            } else {
                // The next match may start inside this one ("aaa" in "aaaa").
                from = at + text[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claude() -> Concealer {
        let real = ContestantView {
            id: "claude-haiku".into(),
            name: "Claude Haiku 5.5".into(),
            provider: "anthropic".into(),
            model: "claude-haiku-5-5".into(),
        };
        Concealer::new(&real, "Contestant B")
    }

    #[test]
    fn names_go_in_any_case_words_inside_longer_words_stay() {
        let concealer = claude();
        assert_eq!(
            concealer.apply("I am CLAUDE HAIKU 5.5 (claude-haiku-5-5), not xclaude-haiku."),
            "I am Contestant B (Contestant B), not xclaude-haiku."
        );
    }

    #[test]
    fn a_provider_goes_where_the_arena_cites_it_and_stays_in_code() {
        let real = ContestantView {
            id: "gemini-4".into(),
            name: "Gemini 4".into(),
            provider: "google".into(),
            model: "gemini-4-carbon".into(),
        };
        let concealer = Concealer::new(&real, "Contestant A");
        assert_eq!(
            concealer.apply("provider `google` failed; import { Inter } from \"next/font/google\""),
            "provider Contestant A failed; import { Inter } from \"next/font/google\""
        );
    }

    /// Every way of cutting a text into three pieces, settled piece by piece as a stream
    /// is, comes out as the whole text concealed at once.
    #[test]
    fn a_stream_cut_anywhere_conceals_as_the_whole_text_does() {
        let concealer = claude();
        let text = "Hi, Claude Haiku 5.5 here; claude-haiku-5-5 wrote this, not xclaude-haiku \
                    or claude-haikus. Ünïcode: Claude, via `anthropic`s `ANTHROPIC`.";
        let whole = concealer.apply(text);
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &first in &boundaries {
            for &second in boundaries.iter().filter(|&&b| b >= first) {
                let pieces = [&text[..first], &text[first..second], &text[second..]];
                let mut held = String::new();
                let mut shown = String::new();
                for piece in pieces {
                    held.push_str(piece);
                    let settled = concealer.settled_len(&held);
                    shown.push_str(&concealer.apply(&held[..settled]));
                    held.drain(..settled);
                }
                shown.push_str(&concealer.apply(&held));
                assert_eq!(shown, whole, "cut at {first} and {second}");
            }
        }
    }
}
