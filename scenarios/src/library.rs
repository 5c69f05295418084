//! The named scenarios a planner recognises, shipped inside the binary. Each is a file in
//! `scenarios/library/` whose `name` is its file stem; all are valid on the embedded default data set.

/// One scenario of the library: its name and its TOML text.
#[derive(Copy, Clone, Debug)]
pub struct LibraryScenario {
    pub name: &'static str,
    /// The file name used in error messages (`library/NAME.toml`).
    pub file: &'static str,
    pub text: &'static str,
}

macro_rules! scenarios {
    ($($name:literal),* $(,)?) => {
        &[$(LibraryScenario {
            name: $name,
            file: concat!("library/", $name, ".toml"),
            text: include_str!(concat!("../library/", $name, ".toml")),
        }),*]
    };
}

/// Sorted by name.
const LIBRARY: &[LibraryScenario] = scenarios![
    "aog-first-wave",
    "atc-florida-route-delay",
    "bos-night-curfew",
    "captain-no-show",
    "ewr-afternoon-thunderstorms",
    "headwinds-block-time",
    "jfk-crew-sickness-5pct",
    "jfk-two-hour-closure",
    "lga-ground-delay-programme",
    "new-york-snow-day",
    "new-york-summer-meltdown",
];

/// Every scenario of the library, sorted by name.
pub fn library() -> &'static [LibraryScenario] {
    LIBRARY
}

/// The library scenario called `name`.
pub fn find(name: &str) -> Option<&'static LibraryScenario> {
    LIBRARY.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScenarioFile;

    #[test]
    fn every_library_scenario_parses_and_is_named_after_its_file() {
        assert!(library().len() >= 10);
        for s in library() {
            let file = ScenarioFile::parse(s.file, s.text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(file.name(), s.name);
            assert!(
                !file.description().is_empty(),
                "{} has no description",
                s.name
            );
        }
        assert!(library().windows(2).all(|w| w[0].name < w[1].name));
    }
}
