//! Keeping an anonymous battle's contestants unnamed until the viewer has voted: what gives
//! a contestant away in a run's text is replaced by its letter.
//!
//! What is replaced is what the arena knows of the contestant: its name, id and model,
//! in any ASCII letter case, wherever they stand as words of their own; and its provider where
//! the arena's own messages cite it (in backticks, as in "provider `google` failed"). A
//! bare provider id is left alone: it is an ordinary word of code ("next/font/google"), and
//! replacing it in one contestant's text only would point at that contestant. A failure
//! of the provider is withheld whole, as its wording and addresses tell the service. What
//! a model writes about itself in its site or its files is its work, and shown as it is.

use crate::run::{ContestantView, Fault};

/// What stands for the reason of a run its provider failed, until the viewer has voted.
pub const PROVIDER_FAILURE_WITHHELD: &str =
    "its provider failed (the reason names the provider, so it is shown once you have voted)";

/// Names shorter than this are left alone: a two-letter id would eat ordinary words.
const SHORTEST_LABEL: usize = 3;

pub struct Concealer {
    /// What gives a contestant away, lowercase (ASCII only, so byte offsets match the
    /// text's), with the letter that stands for it; longest first, so that a name is not
    /// half replaced by an id it contains.
    needles: Vec<(String, String)>,
}

impl Concealer {
    /// For the text of the run at `position` of a battle whose runs, in order, have
    /// `contestants`: every contestant's names become its letter (a reply may name a
    /// rival), a name two share becomes this run's.
    pub fn for_run(contestants: &[ContestantView], position: usize) -> Self {
        let own = contestants.get(position).into_iter().map(|c| (position, c));
        let others = (contestants.iter().enumerate()).filter(|&(at, _)| at != position);
        let mut needles: Vec<(String, String)> = Vec::new();
        for (at, real) in own.chain(others) {
            let letter = ContestantView::hidden(at).name;
            let labels = [&real.name, &real.id, &real.model]
                .into_iter()
                .filter(|label| label.chars().count() >= SHORTEST_LABEL)
                .map(|label| label.to_ascii_lowercase());
            let provider = (real.provider.chars().count() >= SHORTEST_LABEL)
                .then(|| format!("`{}`", real.provider.to_ascii_lowercase()));
            for needle in labels.chain(provider) {
                if !needles.iter().any(|(known, _)| *known == needle) {
                    needles.push((needle, letter.clone()));
                }
            }
        }
        // Stable: among needles of one length, this run's own come first.
        needles.sort_by_key(|(needle, _)| std::cmp::Reverse(needle.len()));
        Self { needles }
    }

    /// `text` with every needle that stands as a word of its own replaced by the letter:
    /// an id `down` leaves "shutdown" alone.
    pub fn apply(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (needle, letter) in &self.needles {
            let matches = word_matches(&text, needle);
            if matches.is_empty() {
                continue;
            }
            let mut out = String::with_capacity(text.len());
            let mut copied = 0;
            for at in matches {
                out.push_str(&text[copied..at]);
                out.push_str(letter);
                copied = at + needle.len();
            }
            out.push_str(&text[copied..]);
            text = out;
        }
        text
    }

    /// A run's failure reason as someone who may not see names reads it. A provider's
    /// failure is withheld whole: it names the service by its address, its error codes
    /// and its wording, which no replacement of names can hide.
    pub fn failure(&self, reason: &str, fault: Option<Fault>) -> String {
        match fault {
            Some(Fault::Provider) => PROVIDER_FAILURE_WITHHELD.to_owned(),
            _ => self.apply(reason),
        }
    }

    /// How much of `text`, a stream's beginning, can be passed on now: the rest could be
    /// the start of a needle that the next piece completes, or a needle's last letters
    /// whose word goes on. Passing on only this much lets [`Concealer::apply`] see every
    /// needle whole in one piece, however the stream was cut. Only the last few dozen
    /// bytes are looked at, so a long reply streamed in tiny pieces costs no more per piece
    /// than a short one.
    pub fn settled_len(&self, text: &str) -> usize {
        let Some(longest) = self.needles.first().map(|(needle, _)| needle.len()) else {
            return text.len();
        };
        // A needle and the character after it, which tells whether it ends a word.
        let reach = longest + 4;
        let mut cut = text.floor_char_boundary(text.len().saturating_sub(reach));
        loop {
            // Before the cut every needle is whole in `text`: move the cut to the start of
            // any that spans it.
            let from = text.floor_char_boundary(cut.saturating_sub(longest));
            let to = text.ceil_char_boundary(cut + longest);
            let near = text[from..to].to_ascii_lowercase();
            let spanning = self.needles.iter().find_map(|(needle, _)| {
                occurrences(&near, needle)
                    .map(|at| from + at)
                    .find(|&at| at < cut && cut < at + needle.len())
            });
            if let Some(at) = spanning {
                cut = at;
                continue;
            }
            // And out of the word it falls inside, so that each piece's edges are word
            // edges as in the whole text.
            if !(word_char(text[..cut].chars().next_back())
                && word_char(text[cut..].chars().next()))
            {
                return cut;
            }
            // A word longer than `reach` (a run of digits, a hash) is cut inside: a
            // piece's edge counts as a word's, so that can only conceal more, never less.
            let word_floor = text.floor_char_boundary(cut.saturating_sub(reach));
            let start = text[word_floor..cut]
                .char_indices()
                .rev()
                .find(|&(_, c)| !word_char(Some(c)))
                .map(|(at, c)| word_floor + at + c.len_utf8());
            match start {
                Some(start) => cut = start,
                None if word_floor == 0 => cut = 0,
                None => return cut,
            }
        }
    }
}

/// Where `needle` starts in `text` as a word of its own, in any ASCII letter case: an
/// edge of the needle that is a letter or digit must not have one beside it.
fn word_matches(text: &str, needle: &str) -> Vec<usize> {
    let lower = text.to_ascii_lowercase();
    let opens_a_word = word_char(needle.chars().next());
    let closes_a_word = word_char(needle.chars().next_back());
    let mut found = Vec::new();
    let mut after_last = 0;
    for at in occurrences(&lower, needle) {
        if at < after_last {
            continue;
        }
        let end = at + needle.len();
        let word_goes_on_before = opens_a_word && word_char(text[..at].chars().next_back());
        let word_goes_on_after = closes_a_word && word_char(text[end..].chars().next());
        if !word_goes_on_before && !word_goes_on_after {
            found.push(at);
            after_last = end;
        }
    }
    found
}
/// Letters and digits of ASCII make words: names are matched in ASCII, and a name written
/// against text of another script ("我是Claude") still stands on its own.
fn word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Every place `needle` starts in `haystack`, overlapping ones included ("aaa" twice in
/// "aaaa").
fn occurrences<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + haystack.get(from..)?.find(needle)?;
        from = at + haystack[at..].chars().next().map_or(1, char::len_utf8);
        Some(at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gemini() -> ContestantView {
        ContestantView {
            id: "gemini-4".into(),
            name: "Gemini 4".into(),
            provider: "google".into(),
            model: "gemini-4-carbon".into(),
        }
    }

    /// The text of run B, Claude Haiku, in a battle where run A is Gemini.
    fn claude() -> Concealer {
        let real = ContestantView {
            id: "claude-haiku".into(),
            name: "Claude Haiku 5.5".into(),
            provider: "anthropic".into(),
            model: "claude-haiku-5-5".into(),
        };
        Concealer::for_run(&[gemini(), real], 1)
    }

    #[test]
    fn a_rival_named_in_a_reply_goes_too() {
        assert_eq!(
            claude().apply("Unlike Gemini 4 (gemini-4-carbon), I, Claude Haiku 5.5, wrote this."),
            "Unlike Contestant A (Contestant A), I, Contestant B, wrote this."
        );
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
        let concealer = Concealer::for_run(&[gemini()], 0);
        assert_eq!(
            concealer.apply("provider `google` failed; import { Inter } from \"next/font/google\""),
            "provider Contestant A failed; import { Inter } from \"next/font/google\""
        );
    }

    #[test]
    fn a_name_against_another_script_still_goes() {
        assert_eq!(
            claude().apply("我是Claude Haiku 5.5，由claude-haiku-5-5生成"),
            "我是Contestant B，由Contestant B生成"
        );
    }

    /// Settles `text` fed in pieces ending at `cuts`, as the arena does a streamed reply;
    /// returns what was shown and the most that was ever held back.
    fn stream(concealer: &Concealer, text: &str, cuts: &[usize]) -> (String, usize) {
        let mut held = String::new();
        let mut shown = String::new();
        let mut most_held = 0;
        let mut last = 0;
        for &cut in cuts.iter().chain([&text.len()]) {
            held.push_str(&text[last..cut]);
            last = cut;
            let settled = concealer.settled_len(&held);
            shown.push_str(&concealer.apply(&held[..settled]));
            held.drain(..settled);
            most_held = most_held.max(held.len());
        }
        shown.push_str(&concealer.apply(&held));
        (shown, most_held)
    }

    #[test]
    fn a_long_word_streamed_in_tiny_pieces_is_not_held_whole() {
        let concealer = claude();
        let digits = "7".repeat(200_000);
        let cuts: Vec<usize> = (3..digits.len()).step_by(3).collect();
        let (shown, most_held) = stream(&concealer, &digits, &cuts);
        assert_eq!(shown, digits);
        assert!(most_held < 100, "held back {most_held} bytes");
    }

    /// A name that overlaps itself ("ab-ab" in "ab-ab-ab") is still found across pieces.
    #[test]
    fn a_name_overlapping_itself_goes_however_the_stream_is_cut() {
        let real = ContestantView {
            id: "ab-ab".into(),
            name: "ab-ab".into(),
            provider: String::new(),
            model: String::new(),
        };
        let concealer = Concealer::for_run(&[real], 0);
        let text = "ab-AbAb-ab-Ab-ab ab-ab-ab";
        let whole = concealer.apply(text);
        for first in 0..=text.len() {
            for second in first..=text.len() {
                let (shown, _) = stream(&concealer, text, &[first, second]);
                assert_eq!(shown, whole, "cut at {first} and {second}");
            }
        }
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
                let (shown, _) = stream(&concealer, text, &[first, second]);
                assert_eq!(shown, whole, "cut at {first} and {second}");
            }
        }
    }
}
