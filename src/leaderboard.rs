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
//! as in chess. Intervals come from refitting on battles resampled with replacement
//! (votes, not single outcomes, since the outcomes of one ranking are not independent).

use std::collections::{BTreeMap, HashMap};

use rand::{Rng as _, SeedableRng as _};
use serde::Serialize;

/// Rating points per unit of log-strength.
pub const SCALE: f64 = 400.0 / std::f64::consts::LN_10;
pub const BASE: f64 = 1000.0;
/// Resamples per interval. With 200 the percentiles' own noise made 95% intervals hold
/// the truth 91% of the time in `tests/leaderboard.rs`; 500 gives 93%, 1000 barely more
/// for twice the time. A rebuild happens only when a vote arrives.
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
    /// Log-strengths, to start the next fit from.
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

    fn add(&mut self, a: usize, b: usize, a_score: f64) {
        let n = self.n;
        self.score[a * n + b] += a_score;
        self.score[b * n + a] += 1.0 - a_score;
        self.played[a * n + b] += 1.0;
        self.played[b * n + a] += 1.0;
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
    let board = build(std::slice::from_ref(&vote), 0, &HashMap::new());
    board.theta.into_iter().collect()
}

/// The board for these votes. `previous` (log-strengths of an earlier fit) only speeds the
/// fit up; the result does not depend on it. `rounds` resamples give the intervals; with
/// none, each interval is the rating itself.
pub fn build(votes: &[VoteOutcomes], rounds: usize, previous: &HashMap<String, f64>) -> Board {
    let mut ids: Vec<&str> = votes
        .iter()
        .flat_map(|vote| vote.pairs.iter())
        .flat_map(|(a, b, _)| [a.as_str(), b.as_str()])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let n = ids.len();
    // Each vote once, as indices.
    let indexed: Vec<Vec<(usize, usize, f64)>> = votes
        .iter()
        .map(|vote| {
            vote.pairs
                .iter()
                .map(|(a, b, score)| (index[a.as_str()], index[b.as_str()], *score))
                .collect()
        })
        .collect();

    let mut games = Games::new(n);
    let mut wins = vec![0u32; n];
    let mut losses = vec![0u32; n];
    let mut ties = vec![0u32; n];
    let mut battles: Vec<std::collections::HashSet<&str>> = vec![Default::default(); n];
    for (vote, pairs) in votes.iter().zip(&indexed) {
        for &(a, b, score) in pairs {
            games.add(a, b, score);
            battles[a].insert(&vote.battle);
            battles[b].insert(&vote.battle);
            if score == 0.5 {
                ties[a] += 1;
                ties[b] += 1;
            } else if score > 0.5 {
                wins[a] += 1;
                losses[b] += 1;
            } else {
                wins[b] += 1;
                losses[a] += 1;
            }
        }
    }
    let start: Vec<f64> = ids
        .iter()
        .map(|id| previous.get(*id).copied().unwrap_or(0.0))
        .collect();
    let theta = fit(&games, &start, 1e-12);
    let rating = ratings(&theta);

    // Resampled fits start from the full one: they differ from it by little.
    let mut rng = rand::rngs::StdRng::seed_from_u64(SEED);
    let mut resampled: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); n];
    for _ in 0..rounds {
        let mut sample = Games::new(n);
        for _ in 0..indexed.len() {
            for &(a, b, score) in &indexed[rng.random_range(0..indexed.len())] {
                sample.add(a, b, score);
            }
        }
        // 1e-8 in log-strength is a millionth of a rating point: far below the spread.
        for (i, r) in ratings(&fit(&sample, &theta, 1e-8)).into_iter().enumerate() {
            resampled[i].push(r);
        }
    }

    let mut entries: Vec<Entry> = (0..n)
        .map(|i| {
            let (low, high) = if rounds == 0 {
                (rating[i], rating[i])
            } else {
                let sample = &mut resampled[i];
                sample.sort_by(f64::total_cmp);
                (percentile(sample, 0.025), percentile(sample, 0.975))
            };
            Entry {
                contestant: ids[i].to_owned(),
                rating: rating[i],
                low,
                high,
                battles: battles[i].len() as u32,
                wins: wins[i],
                losses: losses[i],
                ties: ties[i],
            }
        })
        .collect();
    entries.sort_by(|a, b| b.rating.total_cmp(&a.rating));
    Board {
        entries,
        outcomes: indexed.iter().map(Vec::len).sum(),
        theta: ids
            .iter()
            .zip(&theta)
            .map(|(id, t)| ((*id).to_owned(), *t))
            .collect(),
    }
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
    fn equal_records_give_equal_ratings_and_a_warm_start_changes_nothing() {
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
        let cold = build(&votes, 50, &HashMap::new());
        for entry in &cold.entries {
            assert!((entry.rating - BASE).abs() < 1e-6, "{entry:?}");
            assert!(entry.low <= entry.rating && entry.rating <= entry.high);
        }
        let skewed = HashMap::from([("x".to_string(), 3.0), ("z".to_string(), -2.0)]);
        let warm = build(&votes, 50, &skewed);
        for (a, b) in cold.entries.iter().zip(&warm.entries) {
            assert!((a.rating - b.rating).abs() < 1e-6);
        }
    }
}
