//! Reading the parameters and cutting the reply into chunks, over plain data so that it runs
//! in native unit tests; `plugin` passes in the host's `emit` and a real sleep.

use std::time::Duration;

const DEFAULT_CHUNK_BYTES: usize = 512;
const DEFAULT_CHUNK_DELAY: Duration = Duration::from_millis(20);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    Stop,
    Length,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Options<'a> {
    pub reply: &'a str,
    pub chunk_bytes: usize,
    pub chunk_delay: Duration,
    pub finish: Finish,
}

impl<'a> Options<'a> {
    /// Reads the replay's parameters; the message of an error is the run's failure reason.
    pub fn from_params(params: &'a [(String, String)]) -> Result<Self, String> {
        let param = |name: &str| {
            params
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
        };

        let reply = param("reply").ok_or(
            "replay needs the `reply` parameter (the host sets it from the contestant's replay \
             folder)",
        )?;
        let chunk_bytes = match param("chunk-bytes") {
            None => DEFAULT_CHUNK_BYTES,
            Some(value) => match value.trim().parse::<usize>() {
                Ok(bytes) if bytes > 0 => bytes,
                _ => {
                    return Err(format!(
                        "replay parameter `chunk-bytes` must be a whole number above 0, not \
                         `{value}`"
                    ));
                }
            },
        };
        let chunk_delay = match param("chunk-delay-ms") {
            None => DEFAULT_CHUNK_DELAY,
            Some(value) => value
                .trim()
                .parse()
                .map(Duration::from_millis)
                .map_err(|_| {
                    format!(
                        "replay parameter `chunk-delay-ms` must be a whole number, not `{value}`"
                    )
                })?,
        };
        let finish = match param("finish").map(str::trim) {
            None | Some("stop") => Finish::Stop,
            Some("length") => Finish::Length,
            Some(other) => {
                return Err(format!(
                    "replay parameter `finish` must be `stop` or `length`, not `{other}`"
                ));
            }
        };

        Ok(Options {
            reply,
            chunk_bytes,
            chunk_delay,
            finish,
        })
    }
}

/// Cuts `text` into pieces of at most `max_bytes` bytes that end on character boundaries. A
/// character wider than `max_bytes` makes a piece of its own.
pub fn chunks(text: &str, max_bytes: usize) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }

        let mut end = max_bytes.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            end = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

/// A rough token count: about four characters a token for English text and code.
pub fn estimate_tokens(text: &str) -> u64 {
    (text.chars().count() as u64).div_ceil(4)
}

/// Streams the reply through `emit`, pausing with `sleep` between chunks.
pub fn replay(options: &Options, mut emit: impl FnMut(&str), mut sleep: impl FnMut(Duration)) {
    for (index, chunk) in chunks(options.reply, options.chunk_bytes).enumerate() {
        if index > 0 && !options.chunk_delay.is_zero() {
            sleep(options.chunk_delay);
        }
        emit(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn defaults_apply_and_other_parameters_are_ignored() {
        let params = params(&[("reply", "hello"), ("temperature", "0.2")]);
        let options = Options::from_params(&params).unwrap();
        assert_eq!(
            options,
            Options {
                reply: "hello",
                chunk_bytes: 512,
                chunk_delay: Duration::from_millis(20),
                finish: Finish::Stop,
            }
        );
    }

    #[test]
    fn every_parameter_is_read() {
        let params = params(&[
            ("reply", "x"),
            ("chunk-bytes", "64"),
            ("chunk-delay-ms", "0"),
            ("finish", "length"),
        ]);
        let options = Options::from_params(&params).unwrap();
        assert_eq!(options.chunk_bytes, 64);
        assert_eq!(options.chunk_delay, Duration::ZERO);
        assert_eq!(options.finish, Finish::Length);
    }

    #[test]
    fn a_missing_reply_is_an_error_that_says_who_sets_it() {
        let error = Options::from_params(&params(&[("chunk-bytes", "8")])).unwrap_err();
        assert_eq!(
            error,
            "replay needs the `reply` parameter (the host sets it from the contestant's replay \
             folder)"
        );
    }

    #[test]
    fn bad_values_are_errors_naming_the_parameter() {
        for (name, value) in [
            ("chunk-bytes", "0"),
            ("chunk-bytes", "-1"),
            ("chunk-delay-ms", "soon"),
        ] {
            let error =
                Options::from_params(&params(&[("reply", "x"), (name, value)])).unwrap_err();
            assert!(error.contains(&format!("`{name}`")), "{error}");
            assert!(error.contains(&format!("`{value}`")), "{error}");
        }
        let error =
            Options::from_params(&params(&[("reply", "x"), ("finish", "error")])).unwrap_err();
        assert_eq!(
            error,
            "replay parameter `finish` must be `stop` or `length`, not `error`"
        );
    }

    #[test]
    fn chunks_respect_the_size_and_character_boundaries() {
        let text = "abc☕def€g";
        let pieces: Vec<&str> = chunks(text, 4).collect();
        assert_eq!(pieces, ["abc", "☕d", "ef", "€g"]);
        assert!(pieces.iter().all(|piece| piece.len() <= 4));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn a_character_wider_than_a_chunk_is_sent_whole() {
        let pieces: Vec<&str> = chunks("a☕b", 1).collect();
        assert_eq!(pieces, ["a", "☕", "b"]);
    }

    #[test]
    fn an_empty_reply_has_no_chunks() {
        assert_eq!(chunks("", 8).count(), 0);
    }

    #[test]
    fn replay_emits_everything_and_sleeps_between_chunks() {
        let reply = "x".repeat(1300);
        let options = Options {
            reply: &reply,
            chunk_bytes: 512,
            chunk_delay: Duration::from_millis(20),
            finish: Finish::Stop,
        };
        let mut emitted = Vec::new();
        let mut sleeps = Vec::new();
        replay(
            &options,
            |chunk| emitted.push(chunk.to_owned()),
            |delay| sleeps.push(delay),
        );

        assert_eq!(
            emitted.iter().map(String::len).collect::<Vec<_>>(),
            [512, 512, 276]
        );
        assert_eq!(emitted.concat(), reply);
        assert_eq!(sleeps, [Duration::from_millis(20); 2]);
    }

    #[test]
    fn a_zero_delay_never_sleeps() {
        let options = Options {
            reply: "abcdef",
            chunk_bytes: 2,
            chunk_delay: Duration::ZERO,
            finish: Finish::Stop,
        };
        let mut slept = false;
        replay(&options, |_| {}, |_| slept = true);
        assert!(!slept);
    }

    #[test]
    fn tokens_are_a_quarter_of_the_characters() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("abcd"), 1);
        assert_eq!(estimate_tokens("abcde"), 2);
        assert_eq!(estimate_tokens("☕☕☕☕"), 1);
    }
}
