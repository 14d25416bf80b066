//! A small deterministic random number generator, so that one prompt, model and seed always
//! give the same site on every platform.

/// FNV-1a over the bytes of `text`; stable across platforms and Rust versions.
pub fn hash(text: &str) -> u64 {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        state ^= u64::from(byte);
        state = state.wrapping_mul(0x0000_0100_0000_01b3);
    }
    state
}

/// SplitMix64: tiny, fast and good enough for picking copy variants and colours.
pub struct Rng(u64);

impl Rng {
    pub fn new(state: u64) -> Self {
        Rng(state)
    }

    /// A generator for one named purpose, so adding a draw in one place does not shift the
    /// choices made everywhere else.
    pub fn fork(&self, purpose: &str) -> Rng {
        Rng(self.0 ^ hash(purpose).rotate_left(17))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be zero.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }

    /// `count` distinct items in a shuffled order (all of them when there are fewer).
    pub fn sample<T: Clone>(&mut self, items: &[T], count: usize) -> Vec<T> {
        let mut all = items.to_vec();
        self.shuffle(&mut all);
        all.truncate(count);
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_state_gives_same_sequence() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let first: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let second: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(first, second);
        assert_ne!(
            Rng::new(42).fork("a").next_u64(),
            Rng::new(42).fork("b").next_u64()
        );
    }

    #[test]
    fn range_stays_inside_bounds() {
        let mut rng = Rng::new(7);
        for _ in 0..1000 {
            let value = rng.range(-3, 3);
            assert!((-3..=3).contains(&value));
        }
    }
}
