//! `themes/default/static/incident-state.js` under Node: the incident state's
//! URL format (round trip, malformed values dropped), the role split, the
//! next deadline and the clock parts a reader sees (across midnight, the
//! weekday), against the bundled policy's compiled data.

use std::path::Path;
use std::process::Command;

use incident_handbook::commands::load_and_check;
use incident_handbook::ruleset::compile;
use incident_handbook::site::pages::data_script;

#[test]
fn incident_state_functions_under_node() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (loaded, checked) = load_and_check(root).expect("the bundled policy loads");
    let r = compile(&loaded, &checked).expect("the bundled policy compiles");
    assert!(
        !r.handbook.readers.is_empty(),
        "the bundled policy declares readers"
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let data = tmp.path().join("data.js");
    std::fs::write(&data, data_script(&r)).expect("write data.js");
    let output = Command::new("node")
        .arg(root.join("tests/js/incident_state.js"))
        .arg(root.join("themes/default/static/logic.js"))
        .arg(root.join("themes/default/static/incident-state.js"))
        .arg(&data)
        .output()
        .expect("Node.js runs (this test needs `node` on PATH)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    // Every check ran (a script that stopped early would print fewer).
    assert!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count() >= 20,
        "{stdout}"
    );
}
