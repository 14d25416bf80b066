//! What the hostile test validator and scorer do when asked: the `behaviour` setting says
//! `trap` (panic, which aborts the component), `loop` (spin until the deadline stops it) or
//! `memory` (grow until the memory limit refuses). Anything else returns.

/// The `behaviour` setting, `fine` when not given.
pub fn behaviour(settings: &[(String, String)]) -> &str {
    settings
        .iter()
        .find(|(key, _)| key == "behaviour")
        .map_or("fine", |(_, value)| value.as_str())
}

pub fn misbehave(settings: &[(String, String)]) {
    match behaviour(settings) {
        "trap" => panic!("the hostile plugin traps on purpose"),
        "loop" => {
            let mut n: u64 = 0;
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        }
        "memory" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![1; 16 << 20]);
                std::hint::black_box(&hoard);
            }
        }
        _ => {}
    }
}
