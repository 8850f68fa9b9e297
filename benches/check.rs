//! `cargo bench --bench check`: how long `handbook check` and `compile` take
//! on the bundled policy, in-process (no process start-up), as median and
//! 95th percentile over repeated runs. The target is well under 50 ms for
//! check; the README records the figure.
//!
//! A plain timing loop rather than a benchmark framework: the numbers are
//! milliseconds, far above timer noise, and this keeps dev builds small.

use std::path::Path;
use std::time::{Duration, Instant};

use incident_handbook::commands::load_and_check;
use incident_handbook::ruleset::compile;

fn measure(name: &str, runs: usize, mut f: impl FnMut()) {
    for _ in 0..5 {
        f();
    }
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    println!(
        "{name:<28} median {:>8.3} ms   p95 {:>8.3} ms   ({runs} runs)",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    measure("check (load + all rules)", 200, || {
        let (_, checked) = load_and_check(root).expect("bundled policy loads");
        assert_eq!(checked.errors(), 0);
    });
    measure("check + compile", 200, || {
        let (loaded, checked) = load_and_check(root).expect("bundled policy loads");
        let ruleset = compile(&loaded, &checked).expect("compiles");
        std::hint::black_box(ruleset.to_json());
    });
    let exe = root.join("target/release/handbook");
    if exe.exists() {
        measure("`handbook check` process", 50, || {
            let status = std::process::Command::new(&exe)
                .args(["check", "--root"])
                .arg(root)
                .stderr(std::process::Stdio::null())
                .status()
                .expect("runs");
            assert!(status.success());
        });
    }
}
