//! Contestant strengths from people's votes: a Bradley–Terry model fitted to the pairwise
//! outcomes the votes imply, with bootstrap intervals, on an Elo-like scale.
//!
//! Each contestant i has a log-strength θᵢ, and i beats j with probability
//! 1 / (1 + e^(θⱼ − θᵢ)). A tie is half a win each way. Every contestant also plays one
//! virtual tie against a fixed anchor of θ = 0: without it a contestant that won all of
//! its few games would have an infinite strength. The fit maximises the likelihood with
//! Newton's method, started from the previous fit when votes are added, so a rebuild after
//! one more vote takes a step or two.
//!
//! Ratings are 1000 + (400 / ln 10) · (θᵢ − mean θ): a 400-point gap means 10:1 odds,
//! as in chess. Intervals come from refitting on resampled votes (votes, not single
//! outcomes, since the outcomes of one ranking are not independent); see [`Ladder`].

use std::collections::{BTreeMap, HashMap};

use rand::SeedableRng as _;
use serde::Serialize;

/// Rating points per unit of log-strength.
pub const SCALE: f64 = 400.0 / std::f64::consts::LN_10;
pub const BASE: f64 = 1000.0;
/// Resamples per interval. With 200 the percentiles' own noise made 95% intervals hold
/// the truth 91% of the time in `tests/leaderboard.rs`; 500 gives 92-93%, 1000 barely
/// more for twice the work on every new vote.
pub const BOOTSTRAP_ROUNDS: usize = 500;
/// Fixed, so the same votes always give the same intervals.
const SEED: u64 = 0x7e57_ab1e;

/// The pairwise outcomes of one counted vote: contestant a, contestant b, a's score
/// (1 won, 0.5 tie, 0 lost).
#[derive(Debug, Clone)]
pub struct VoteOutcomes {
    pub battle: String,
    pub pairs: Vec<(String, String, f64)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub contestant: String,
    pub rating: f64,
    /// The 95% interval of the rating.
    pub low: f64,
    pub high: f64,
    /// Battles with a counted vote that ranked this contestant.
    pub battles: u32,
    pub wins: u32,
    pub losses: u32,
    pub ties: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Board {
    /// Highest rating first.
    pub entries: Vec<Entry>,
    pub outcomes: usize,
    /// Log-strengths, by contestant.
    pub theta: HashMap<String, f64>,
}

/// Scores and game counts between contestants, by index.
struct Games {
    n: usize,
    /// `score[i * n + j]`: what i scored against j, summed.
    score: Vec<f64>,
    /// `played[i * n + j]`: games between i and j.
    played: Vec<f64>,
}

impl Games {
    fn new(n: usize) -> Self {
        Self {
            n,
            score: vec![0.0; n * n],
            played: vec![0.0; n * n],
        }
    }

    /// Counts a game between `a` and `b` `times` times (a resample counts a vote 0, 1, 2… times).
    fn add(&mut self, a: usize, b: usize, a_score: f64, times: f64) {
        let n = self.n;
        self.score[a * n + b] += times * a_score;
        self.score[b * n + a] += times * (1.0 - a_score);
        self.played[a * n + b] += times;
        self.played[b * n + a] += times;
    }
}

/// The log-likelihood of `theta`, the virtual ties with the anchor included.
fn log_likelihood(games: &Games, theta: &[f64]) -> f64 {
    let n = games.n;
    let mut total = 0.0;
    for i in 0..n {
        total -= softplus(-theta[i]) * 0.5 + softplus(theta[i]) * 0.5;
        for j in 0..n {
            let score = games.score[i * n + j];
            if score > 0.0 {
                // log σ(θi − θj), counted from i's side for what i scored.
                total -= score * softplus(theta[j] - theta[i]);
            }
        }
    }
    total
}

/// log(1 + eˣ) without overflow.
fn softplus(x: f64) -> f64 {
    if x > 30.0 { x } else { x.exp().ln_1p() }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Maximum-likelihood log-strengths, starting from `start`, by Newton's method: the
/// log-likelihood is concave (strictly, thanks to the anchor), so a step that does not
/// raise it is halved until it does. A handful of iterations from any start; fewer from
/// the last fit.
fn fit(games: &Games, start: &[f64], tolerance: f64) -> Vec<f64> {
    let n = games.n;
    let mut theta: Vec<f64> = (0..n)
        .map(|i| start.get(i).copied().unwrap_or(0.0))
        .collect();
    let mut current = log_likelihood(games, &theta);
    for _ in 0..100 {
        // Gradient and the negated Hessian (positive definite).
        let mut gradient = vec![0.0; n];
        let mut curvature = vec![0.0; n * n];
        for i in 0..n {
            let anchor = sigmoid(theta[i]);
            gradient[i] += 0.5 - anchor;
            curvature[i * n + i] += anchor * (1.0 - anchor);
            for j in 0..n {
                let played = games.played[i * n + j];
                if played == 0.0 {
                    continue;
                }
                let p = sigmoid(theta[i] - theta[j]);
                gradient[i] += games.score[i * n + j] - played * p;
                let w = played * p * (1.0 - p);
                curvature[i * n + i] += w;
                curvature[i * n + j] -= w;
            }
        }
        let step = solve_positive_definite(&mut curvature, gradient, n);
        let mut scale = 1.0;
        loop {
            let next: Vec<f64> = theta
                .iter()
                .zip(&step)
                .map(|(t, s)| t + scale * s)
                .collect();
            let value = log_likelihood(games, &next);
            if value >= current || scale < 1e-6 {
                theta = next;
                current = value;
                break;
            }
            scale /= 2.0;
        }
        let largest = step.iter().fold(0.0f64, |m, s| m.max((s * scale).abs()));
        if largest < tolerance {
            break;
        }
    }
    theta
}

/// Solves `a · x = b` for a symmetric positive definite `a` (n × n, row-major) by
/// Cholesky factorisation, in place.
fn solve_positive_definite(a: &mut [f64], mut b: Vec<f64>, n: usize) -> Vec<f64> {
    for j in 0..n {
        let mut diagonal = a[j * n + j];
        for k in 0..j {
            diagonal -= a[j * n + k] * a[j * n + k];
        }
        let diagonal = diagonal.max(f64::MIN_POSITIVE).sqrt();
        a[j * n + j] = diagonal;
        for i in j + 1..n {
            let mut value = a[i * n + j];
            for k in 0..j {
                value -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = value / diagonal;
        }
    }
    // L y = b, then Lᵀ x = y.
    for i in 0..n {
        for k in 0..i {
            b[i] -= a[i * n + k] * b[k];
        }
        b[i] /= a[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            b[i] -= a[k * n + i] * b[k];
        }
        b[i] /= a[i * n + i];
    }
    b
}

fn ratings(theta: &[f64]) -> Vec<f64> {
    let mean = theta.iter().sum::<f64>() / theta.len().max(1) as f64;
    theta.iter().map(|t| BASE + SCALE * (t - mean)).collect()
}

/// Log-strengths of every contestant named in `outcomes`, fitted on all of them at once.
pub fn strengths(outcomes: &[(String, String, f64)]) -> BTreeMap<String, f64> {
    let vote = VoteOutcomes {
        battle: String::new(),
        pairs: outcomes.to_vec(),
    };
    let board = build(std::slice::from_ref(&vote), 0);
    board.theta.into_iter().collect()
}

/// The board for these votes, built from nothing. `rounds` resamples give the intervals;
/// with none, each interval is the rating itself.
pub fn build(votes: &[VoteOutcomes], rounds: usize) -> Board {
    let mut ladder = Ladder::new(rounds);
    ladder.add(votes);
    ladder.board()
}

/// A board kept up to date vote by vote.
///
/// The intervals come from the Poisson bootstrap: each resample counts each vote a
/// Poisson(1) number of times (on average once, as drawing votes with replacement does),
/// so a new vote only adds its outcomes to each resample's tables, and each resample is
/// refitted from its last fit. The counts are a hash of the vote's place in the order
/// votes were cast and of the resample, so a ladder that took the votes in several calls
/// holds exactly the tables of one that took them at once.
pub struct Ladder {
    rounds: usize,
    votes: Vec<VoteOutcomes>,
    ids: Vec<String>,
    index: HashMap<String, usize>,
    games: Games,
    theta: Vec<f64>,
    resampled: Vec<(Games, Vec<f64>)>,
    wins: Vec<u32>,
    losses: Vec<u32>,
    ties: Vec<u32>,
    battles: Vec<std::collections::HashSet<String>>,
}

impl Ladder {
    pub fn new(rounds: usize) -> Self {
        Self {
            rounds,
            votes: Vec::new(),
            ids: Vec::new(),
            index: HashMap::new(),
            games: Games::new(0),
            theta: Vec::new(),
            resampled: Vec::new(),
            wins: Vec::new(),
            losses: Vec::new(),
            ties: Vec::new(),
            battles: Vec::new(),
        }
    }

    /// Takes votes cast after the ones it has, in the order they were cast.
    pub fn add(&mut self, votes: &[VoteOutcomes]) {
        if votes.is_empty() {
            return;
        }
        let newcomer = votes
            .iter()
            .flat_map(|vote| vote.pairs.iter())
            .any(|(a, b, _)| !self.index.contains_key(a) || !self.index.contains_key(b));
        let first_new = self.votes.len();
        self.votes.extend_from_slice(votes);
        if newcomer {
            // A new contestant changes every table's shape: lay them out again.
            self.lay_out();
            self.count(0);
        } else {
            self.count(first_new);
        }
        self.refit();
    }

    /// Tables sized for every contestant in the votes, in id order, all empty.
    fn lay_out(&mut self) {
        let mut ids: Vec<String> = self
            .votes
            .iter()
            .flat_map(|vote| vote.pairs.iter())
            .flat_map(|(a, b, _)| [a.clone(), b.clone()])
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let n = ids.len();
        self.index = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        // The previous fits, where a contestant had one, are a good start.
        let previous: HashMap<&str, f64> = self
            .ids
            .iter()
            .map(String::as_str)
            .zip(self.theta.iter().copied())
            .collect();
        self.theta = ids
            .iter()
            .map(|id| previous.get(id.as_str()).copied().unwrap_or(0.0))
            .collect();
        self.ids = ids;
        self.games = Games::new(n);
        self.resampled = (0..self.rounds)
            .map(|_| (Games::new(n), self.theta.clone()))
            .collect();
        self.wins = vec![0; n];
        self.losses = vec![0; n];
        self.ties = vec![0; n];
        self.battles = vec![Default::default(); n];
    }

    /// Adds the votes from `from` on to the tables.
    fn count(&mut self, from: usize) {
        for (position, vote) in self.votes.iter().enumerate().skip(from) {
            let games: Vec<(usize, usize, f64)> = vote
                .pairs
                .iter()
                .map(|(a, b, score)| (self.index[a], self.index[b], *score))
                .collect();
            for &(a, b, score) in &games {
                self.games.add(a, b, score, 1.0);
                self.battles[a].insert(vote.battle.clone());
                self.battles[b].insert(vote.battle.clone());
                if score == 0.5 {
                    self.ties[a] += 1;
                    self.ties[b] += 1;
                } else if score > 0.5 {
                    self.wins[a] += 1;
                    self.losses[b] += 1;
                } else {
                    self.wins[b] += 1;
                    self.losses[a] += 1;
                }
            }
            for (round, (sample, _)) in self.resampled.iter_mut().enumerate() {
                let times = poisson_one(position as u64, round as u64);
                if times == 0 {
                    continue;
                }
                for &(a, b, score) in &games {
                    sample.add(a, b, score, f64::from(times));
                }
            }
        }
    }

    /// Fits the full tables and every resample, each from where its last fit ended.
    fn refit(&mut self) {
        self.theta = fit(&self.games, &self.theta, 1e-12);
        for (sample, theta) in &mut self.resampled {
            // 1e-8 in log-strength is a millionth of a rating point: far below the spread.
            *theta = fit(sample, theta, 1e-8);
        }
    }

    pub fn board(&self) -> Board {
        let n = self.ids.len();
        let rating = ratings(&self.theta);
        let mut spread: Vec<Vec<f64>> = vec![Vec::with_capacity(self.rounds); n];
        for (_, theta) in &self.resampled {
            for (i, r) in ratings(theta).into_iter().enumerate() {
                spread[i].push(r);
            }
        }
        let mut entries: Vec<Entry> = (0..n)
            .map(|i| {
                let (low, high) = if self.resampled.is_empty() {
                    (rating[i], rating[i])
                } else {
                    let sample = &mut spread[i];
                    sample.sort_by(f64::total_cmp);
                    (percentile(sample, 0.025), percentile(sample, 0.975))
                };
                Entry {
                    contestant: self.ids[i].clone(),
                    rating: rating[i],
                    low,
                    high,
                    battles: self.battles[i].len() as u32,
                    wins: self.wins[i],
                    losses: self.losses[i],
                    ties: self.ties[i],
                }
            })
            .collect();
        entries.sort_by(|a, b| b.rating.total_cmp(&a.rating));
        Board {
            entries,
            outcomes: self.votes.iter().map(|vote| vote.pairs.len()).sum(),
            theta: self
                .ids
                .iter()
                .cloned()
                .zip(self.theta.iter().copied())
                .collect(),
        }
    }
}

/// How many times resample `round` counts vote `position`: a Poisson(1) draw from a hash
/// of the two, the same whenever it is asked.
fn poisson_one(position: u64, round: u64) -> u32 {
    let mut rng = rand::rngs::SmallRng::seed_from_u64(
        SEED ^ position.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ round,
    );
    let u: f64 = rand::Rng::random(&mut rng);
    // Inverse of the Poisson(1) distribution function.
    let mut k = 0;
    let mut probability = (-1.0f64).exp();
    let mut cumulative = probability;
    while u > cumulative && k < 20 {
        k += 1;
        probability /= f64::from(k);
        cumulative += probability;
    }
    k
}

/// Linear interpolation between the closest ranks of a sorted sample.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let position = p * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let weight = position - below as f64;
    sorted[below] * (1.0 - weight) + sorted[above] * weight
}

/// The pairwise outcomes a ranking implies: each contestant beats everyone in a lower tier
/// and ties everyone in its own. "All bad" is one tier: every pair ties.
pub fn pairwise(tiers: &[Vec<String>]) -> Vec<(String, String, f64)> {
    let mut outcomes = Vec::new();
    for (t, tier) in tiers.iter().enumerate() {
        for (k, a) in tier.iter().enumerate() {
            for b in &tier[k + 1..] {
                outcomes.push((a.clone(), b.clone(), 0.5));
            }
            for lower in &tiers[t + 1..] {
                for b in lower {
                    outcomes.push((a.clone(), b.clone(), 1.0));
                }
            }
        }
    }
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(tiers: &[&[&str]]) -> Vec<Vec<String>> {
        tiers
            .iter()
            .map(|tier| tier.iter().map(|s| s.to_string()).collect())
            .collect()
    }

    #[test]
    fn a_ranking_of_three_is_three_outcomes_and_ties_are_half() {
        let order = pairwise(&ids(&[&["a"], &["b"], &["c"]]));
        assert_eq!(
            order,
            vec![
                ("a".into(), "b".into(), 1.0),
                ("a".into(), "c".into(), 1.0),
                ("b".into(), "c".into(), 1.0)
            ]
        );
        let best = pairwise(&ids(&[&["b"], &["a", "c"]]));
        assert_eq!(
            best,
            vec![
                ("b".into(), "a".into(), 1.0),
                ("b".into(), "c".into(), 1.0),
                ("a".into(), "c".into(), 0.5)
            ]
        );
        let all_bad = pairwise(&ids(&[&["a", "b", "c"]]));
        assert!(all_bad.iter().all(|(_, _, score)| *score == 0.5));
        assert_eq!(all_bad.len(), 3);
    }

    #[test]
    fn equal_records_give_equal_ratings() {
        let vote = |a: &str, b: &str, s: f64| VoteOutcomes {
            battle: format!("{a}{b}{s}"),
            pairs: vec![(a.into(), b.into(), s)],
        };
        let votes = vec![
            vote("x", "y", 1.0),
            vote("y", "x", 1.0),
            vote("x", "z", 0.5),
            vote("y", "z", 0.5),
        ];
        let board = build(&votes, 50);
        for entry in &board.entries {
            assert!((entry.rating - BASE).abs() < 1e-6, "{entry:?}");
            assert!(entry.low <= entry.rating && entry.rating <= entry.high);
        }
    }

    #[test]
    fn poisson_counts_average_one() {
        let draws: Vec<u32> = (0..20_000).map(|p| poisson_one(p, 7)).collect();
        let mean = draws.iter().sum::<u32>() as f64 / draws.len() as f64;
        let zeros = draws.iter().filter(|&&k| k == 0).count() as f64 / draws.len() as f64;
        assert!((mean - 1.0).abs() < 0.03, "{mean}");
        assert!((zeros - (-1.0f64).exp()).abs() < 0.02, "{zeros}");
        assert_eq!(poisson_one(12, 3), poisson_one(12, 3));
    }
}
