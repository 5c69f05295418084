//! What the binary prints for people: the workflows' text renderings, and tables of the data set and of the
//! speed benchmarks. Numbers carry thousands separators and units; clock times say their zone.

pub mod bench;

pub use ucodts_workflows::text::{number, table, thousands};

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    outln!("{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

/// Prints `value` as JSON when `json`, else the text `text` renders.
pub fn out<T: serde::Serialize>(
    json: bool,
    value: &T,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    match json {
        true => self::json(value),
        false => {
            out!("{}", text())?;
            Ok(())
        }
    }
}
