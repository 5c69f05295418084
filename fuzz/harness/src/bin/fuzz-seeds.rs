//! Writes every target's seed inputs into `DIR/<target>/seed-<name>` (the folder `scripts/fuzz.sh` hands to
//! libFuzzer as its corpus): `fuzz-seeds DIR`.

fn main() {
    let Some(dir) = std::env::args_os().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: fuzz-seeds DIR");
        std::process::exit(2);
    };
    for (target, name, bytes) in ucodts_fuzz_harness::seeds::all() {
        let folder = dir.join(target);
        let path = folder.join(format!("seed-{name}"));
        if let Err(e) = std::fs::create_dir_all(&folder)
            .and_then(|()| ucodts_fuzz_harness::write_file(&path, &bytes))
        {
            eprintln!("fuzz-seeds: {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}
