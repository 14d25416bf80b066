//! Port leases: never a port in use, freed on drop, a clear error when none is left.

use std::net::{Ipv4Addr, TcpListener};
use std::ops::RangeInclusive;
use std::sync::{Mutex, MutexGuard};

use arena::ports::{PortPool, parse_port_range};

/// Held by every test that probes ports above 21000: a probe binds a port for an instant,
/// and two tests probing the same port at once would each see the other as "in use".
static PROBING: Mutex<()> = Mutex::new(());

/// Three consecutive ports that are free right now, below the kernel's ephemeral range so
/// that other tests binding port 0 do not take them from under us, and the guard that keeps
/// the other tests of this file off them.
fn free_range_of_three() -> (MutexGuard<'static, ()>, RangeInclusive<u16>) {
    let guard = PROBING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let bindable = |port: u16| TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_ok();
    let range = (21000..30000)
        .step_by(3)
        .find(|&start| (start..start + 3).all(bindable))
        .map(|start| start..=start + 2)
        .expect("three free consecutive ports between 21000 and 30000");
    (guard, range)
}

#[test]
fn two_leases_get_different_ports() {
    let pool = PortPool::default();

    let first = pool.allocate().expect("first port");
    let second = pool.allocate().expect("second port");

    assert_ne!(first.port(), second.port());
    assert!(pool.range().contains(&first.port()) && pool.range().contains(&second.port()));
    assert_eq!(pool.leased(), 2);
}

#[test]
fn a_port_bound_by_another_program_is_skipped() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let pool = PortPool::new(port..=port);

    let error = pool.allocate().expect_err("the only port is in use");
    assert_eq!((error.leased, error.busy), (0, 1));
    assert!(
        error.to_string().contains("1 in use by other programs"),
        "{error}"
    );

    drop(listener);
    assert_eq!(
        pool.allocate().expect("the port is free again").port(),
        port
    );
}

#[test]
fn dropping_a_lease_frees_its_port() {
    let (_probing, range) = free_range_of_three();
    let port = *range.start();
    let pool = PortPool::new(port..=port);

    let lease = pool.allocate().expect("a free port");
    assert_eq!(lease.port(), port);
    assert!(pool.allocate().is_err(), "the only port is leased");

    drop(lease);
    assert_eq!(pool.leased(), 0);
    assert_eq!(pool.allocate().expect("the port was released").port(), port);
}

#[test]
fn clones_share_leases() {
    let (_probing, range) = free_range_of_three();
    let pool = PortPool::new(range.clone());
    let clone = pool.clone();

    let leases: Vec<_> = (0..3)
        .map(|_| clone.allocate().expect("a free port"))
        .collect();

    assert_eq!(pool.leased(), 3);
    let mut ports: Vec<u16> = leases.iter().map(|lease| lease.port()).collect();
    ports.sort_unstable();
    assert_eq!(ports, range.collect::<Vec<_>>());
}

#[test]
fn a_full_range_is_a_clear_error() {
    let (_probing, range) = free_range_of_three();
    let (start, end) = (*range.start(), *range.end());
    let pool = PortPool::new(range);
    let _leases: Vec<_> = (0..3)
        .map(|_| pool.allocate().expect("a free port"))
        .collect();

    let error = pool.allocate().expect_err("all three ports are leased");

    assert_eq!((error.leased, error.busy), (3, 0));
    assert_eq!(
        error.to_string(),
        format!(
            "no free port in {start}-{end}: 3 leased to runs, 0 in use by other programs; \
             end some runs or widen the range with --ports (environment: ARENA_PORTS), \
             e.g. 3001-5000"
        )
    );
}

#[test]
fn released_ports_go_to_the_back_of_the_line() {
    let (_probing, range) = free_range_of_three();
    let pool = PortPool::new(range.clone());

    let first = pool.allocate().unwrap().port();
    let second = pool.allocate().unwrap().port();

    assert_eq!(first, *range.start());
    assert_eq!(
        second,
        first + 1,
        "the dropped first lease is not reused at once"
    );
}

#[test]
fn port_range_settings_parse() {
    assert_eq!(parse_port_range("3001-4000"), Ok(3001..=4000));
    assert_eq!(parse_port_range(" 5000 - 5001 "), Ok(5000..=5001));
    assert_eq!(parse_port_range("8080"), Ok(8080..=8080));

    let error = parse_port_range("4000-3001").unwrap_err();
    assert!(error.contains("is empty"), "{error}");
    let error = parse_port_range("0-10").unwrap_err();
    assert!(error.contains("invalid port \"0\""), "{error}");
    let error = parse_port_range("3001-70000").unwrap_err();
    assert!(error.contains("expected 1-65535"), "{error}");
}
