//! `cargo bench --bench check`: how long `handbook check` and `compile` take
//! on the bundled policy, in-process (no process start-up), as median and
//! 95th percentile over repeated runs. The target is well under 50 ms for
//! check; the README records the figure.
//!
//! It also grows the bundled policy synthetically, to show that `check` stays
//! near-linear in policy size: 2,000 events timed from each other in several
//! shapes (a plain chain, the same chain written in reverse order, a wide
//! fan-out from one event, a diamond lattice with `after` links) and 10,000
//! agencies; and a broken policy with 10,000 errors, checked and rendered
//! as text and JSON. Each must take under 1 s; the run says "OVER" otherwise.
//!
//! A plain timing loop rather than a benchmark framework: the numbers are
//! milliseconds, far above timer noise, and this keeps dev builds small.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use incident_handbook::commands::load_and_check;
use incident_handbook::diagnostics::{render_human, render_json};
use incident_handbook::ruleset::compile;

fn measure(name: &str, runs: usize, f: impl FnMut()) {
    measure_median(name, runs, f);
}

/// Runs `f` a few times to warm up, then `runs` times; prints and returns
/// the median.
fn measure_median(name: &str, runs: usize, mut f: impl FnMut()) -> Duration {
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
    median
}

/// The bundled policy copied into a temp folder, with `extra` appended to
/// one of its files.
fn grown_policy(file: &str, extra: &str) -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let policy = tmp.path().join("policy");
    std::fs::create_dir(&policy).expect("mkdir policy");
    for entry in std::fs::read_dir(root.join("policy")).expect("ls policy") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), policy.join(entry.file_name())).expect("copy");
    }
    let mut text = std::fs::read_to_string(policy.join(file)).expect("read");
    text.push_str(extra);
    std::fs::write(policy.join(file), text).expect("write");
    tmp
}

/// One generated event; `anchor` and `after` name other generated events
/// (or the bundled starting event).
fn event(out: &mut String, id: &str, anchor: &str, after: &[String]) {
    let _ = write!(
        out,
        "\n[[event]]\nid = \"{id}\"\nname = {{ zh-TW = \"事件 {id}\" }}\n\
         actor = \"reporting-agency\"\nanchor = \"{anchor}\"\nwithin = \"1h\"\n"
    );
    if !after.is_empty() {
        let list: Vec<String> = after.iter().map(|a| format!("\"{a}\"")).collect();
        let _ = writeln!(out, "after = [{}]", list.join(", "));
    }
    out.push_str("source = \"3.1(一)\"\n");
}

const EVENTS: usize = 2_000;
const AGENCIES: usize = 10_000;
/// Width of the diamond lattice: each event waits for two of the layer
/// before it.
const LATTICE_WIDTH: usize = 4;

fn chain(reversed: bool) -> String {
    let mut out = String::new();
    let mut order: Vec<usize> = (0..EVENTS).collect();
    if reversed {
        order.reverse();
    }
    for i in order {
        let anchor = match i {
            0 => "discovered".to_owned(),
            _ => format!("gen-{}", i - 1),
        };
        event(&mut out, &format!("gen-{i}"), &anchor, &[]);
    }
    out
}

fn fan_out() -> String {
    let mut out = String::new();
    for i in 0..EVENTS {
        event(&mut out, &format!("gen-{i}"), "discovered", &[]);
    }
    out
}

fn lattice() -> String {
    let mut out = String::new();
    let id = |layer: usize, k: usize| format!("gen-{layer}-{k}");
    for layer in 0..EVENTS / LATTICE_WIDTH {
        for k in 0..LATTICE_WIDTH {
            if layer == 0 {
                event(&mut out, &id(0, k), "discovered", &[]);
            } else {
                let after = [id(layer - 1, k), id(layer - 1, (k + 1) % LATTICE_WIDTH)];
                event(&mut out, &id(layer, k), &id(layer - 1, k), &after);
            }
        }
    }
    out
}

/// The bundled list has 62 agencies; generated numbers go on from 1000.
fn agencies() -> String {
    agencies_numbered(|i| 1000 + i)
}

fn agencies_numbered(number: impl Fn(usize) -> usize) -> String {
    let mut out = String::new();
    for i in 0..AGENCIES {
        let _ = write!(
            out,
            "\n[[agency]]\nnumber = {}\nid = \"gen-agency-{i}\"\n\
             name = {{ zh-TW = \"機關 {i}\" }}\nsource = \"附件\"\n",
            number(i)
        );
    }
    out
}

/// Checks a grown policy; it must have no errors, so every rule ran to the
/// end, and must take under a second.
fn grown(name: &str, file: &str, extra: &str) -> bool {
    let tmp = grown_policy(file, extra);
    let median = measure_median(name, 5, || {
        let (_, checked) = load_and_check(tmp.path()).expect("grown policy loads");
        assert_eq!(
            checked.errors(),
            0,
            "{name}: {:?}",
            checked.diagnostics.first()
        );
    });
    let ok = median < Duration::from_secs(1);
    if !ok {
        println!("{name:<28} OVER the 1 s target");
    }
    ok
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
    let shapes = [
        ("check: 2,000 events, chain", "deadlines.toml", chain(false)),
        (
            "check: 2,000, chain reversed",
            "deadlines.toml",
            chain(true),
        ),
        ("check: 2,000 events, fan-out", "deadlines.toml", fan_out()),
        ("check: 2,000 events, lattice", "deadlines.toml", lattice()),
        ("check: 10,000 agencies", "agencies.toml", agencies()),
    ];
    let mut all_ok = true;
    for (name, file, extra) in &shapes {
        all_ok &= grown(name, file, extra);
    }
    // A large broken policy: every generated agency reuses number 1, so
    // check finds 10,000 errors and both renderers place each one.
    let broken = grown_policy("agencies.toml", &agencies_numbered(|_| 1));
    let median = measure_median("10,000 errors: check+render", 3, || {
        let (loaded, checked) = load_and_check(broken.path()).expect("loads");
        assert_eq!(checked.errors(), AGENCIES);
        std::hint::black_box(render_human(&checked.diagnostics, &loaded.sources));
        std::hint::black_box(render_json(&checked.diagnostics, &loaded.sources));
    });
    if median >= Duration::from_secs(1) {
        all_ok = false;
        println!("10,000 errors: check+render    OVER the 1 s target");
    }
    println!(
        "grown policies: {}",
        if all_ok {
            "every one under 1 s"
        } else {
            "some OVER 1 s"
        }
    );
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
