//! `cargo bench --bench build`: the full build of the bundled handbook
//! (check, compile, render every page, write atomically to a temporary
//! folder), median and 95th percentile. Target: well under 100 ms on the
//! 2-core CI machine; the README records the figure.

use std::path::Path;
use std::time::{Duration, Instant};

use incident_handbook::site::{self, BuildOptions};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = std::env::temp_dir().join(format!("handbook-bench-{}", std::process::id()));
    let opts = BuildOptions {
        root: root.to_path_buf(),
        out: tmp.join("public"),
        force: false,
        year: Some(2026),
    };
    let mut render_only = Vec::new();
    let mut full = Vec::new();
    for i in 0..35 {
        let start = Instant::now();
        let prepared = site::prepare(root).expect("bundled handbook checks");
        let files = site::render(&prepared, 2026).expect("renders");
        let rendered = start.elapsed();
        std::hint::black_box(files.len());
        let start = Instant::now();
        site::build(&opts).expect("builds");
        let built = start.elapsed();
        if i >= 5 {
            render_only.push(rendered);
            full.push(built);
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    report("check + render (in memory)", &mut render_only);
    report("full build (written to disk)", &mut full);
}

fn report(name: &str, times: &mut [Duration]) {
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[times.len() * 95 / 100];
    println!(
        "{name:<30} median {:>8.2} ms   p95 {:>8.2} ms   ({} runs)",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        times.len()
    );
}
