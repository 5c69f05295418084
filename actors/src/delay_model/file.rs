//! The parameter file: a delay model as a small JSON document that says what it is, which data set and days
//! it was fitted on, and what "adverse weather" meant, followed by the fitted cells.
//!
//! Writing is deterministic (cells in key order, numbers rounded to a tenth of a minute or four decimals), so
//! fitting the same days of the same data twice gives the same bytes. Reading checks everything a hand edit
//! could break and refuses a file for another data set.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{
    BlockCell, DataSetIdentity, DelayConditions, DelayModel, DepartureCell, DisruptionModel,
    FittedOn, TurnCell, WeatherRule, QUANTILE_PROBABILITIES,
};
use crate::ActorsError;

/// The `format` value of every parameter file.
pub const FORMAT: &str = "ucodts-delay-model";
/// The format version this crate writes and reads.
pub const VERSION: u32 = 1;

/// The parameter file fitted on the whole embedded default data set (`ucodts fit` without `--data`, over
/// both weeks); a test checks that fitting again gives these bytes.
pub const EMBEDDED_DEFAULT: &str = include_str!("../../params/embedded-default.json");

/// What the fields mean, written into every file for its readers.
const DEFINITIONS: [&str; 8] = [
    "departure_delay.delay_min: gate out minus scheduled gate out, minutes, by origin, band of local hours of scheduled departure and weather at the origin; '*' is any",
    "block_time.variation_min: actual minus scheduled gate-to-gate time, minutes, by route; '*' is any",
    "turn_time.extra_min: ground time beyond the aircraft type's minimum turn, minutes",
    "quantile_probabilities: the probabilities at which every distribution is given; draws interpolate linearly between them",
    "origins: airports whose departures were recorded; departures elsewhere get no own delay, only propagated delay",
    "disruption: logistic regression of cancellation and ridge regression of asinh(departure delay / 10 min) on the origin's weather in windows around the departure (the recorded weather used as a perfect forecast), airport, airline, local hour, day of week and scheduled traffic; cancellation also on the expected departure delay at the origin, hours",
    "delay_conditions: ridge regression of the normal score of a departure's recorded delay within its departure_delay cell on the origin's weather in windows around it (the recorded weather used as a perfect forecast), local hour and hour times rain, day of week, scheduled traffic of the hour and day, season, airport and airline; the twin reads a leg's cell at Phi(shift + residual_sd * Phi^-1(u)) for its uniform draw u",
    "block_conditions: the same regression of the normal score of a leg's recorded block-time variation within its block_time cell, on the same columns at its origin; the twin reads the block cell of a leg from a fitted origin the same way",
];

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ParameterFile {
    format: String,
    version: u32,
    data_set: DataSetIdentity,
    fitted_on: FittedOn,
    definitions: Vec<String>,
    weather: WeatherRule,
    quantile_probabilities: Vec<f64>,
    origins: Option<Vec<String>>,
    departure_delay: Vec<DepartureCell>,
    block_time: Vec<BlockCell>,
    turn_time: TurnCell,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    disruption: Option<DisruptionModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay_conditions: Option<DelayConditions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    block_conditions: Option<DelayConditions>,
}

/// Read first with everything else ignored, so that a file of another kind or version says so rather than
/// failing on a field.
#[derive(Deserialize)]
struct Probe {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

impl DelayModel {
    /// The model fitted on the whole embedded default data set.
    pub fn embedded_default() -> DelayModel {
        DelayModel::from_json(EMBEDDED_DEFAULT, Path::new("<embedded>")).expect(
            "the embedded default parameter file parses (tested in delay_model::file::tests)",
        )
    }

    /// The parameter file's text: pretty JSON ending in a newline.
    pub fn to_json(&self) -> String {
        let file = ParameterFile {
            format: FORMAT.into(),
            version: VERSION,
            data_set: self.data_set.clone(),
            fitted_on: self.fitted_on.clone(),
            definitions: DEFINITIONS.iter().map(|d| d.to_string()).collect(),
            weather: WeatherRule::current(),
            quantile_probabilities: QUANTILE_PROBABILITIES.to_vec(),
            origins: self
                .origins
                .as_ref()
                .map(|o| o.iter().map(|c| c.to_string()).collect()),
            departure_delay: self.departure_delay.clone(),
            block_time: self.block_time.clone(),
            turn_time: self.turn_time.clone(),
            disruption: self.disruption.clone(),
            delay_conditions: self.conditions.clone(),
            block_conditions: self.block_conditions.clone(),
        };
        let text = serde_json::to_string_pretty(&file).expect(
            "a delay model always serializes (no maps with non-string keys, finite numbers)",
        );
        let mut text = inline_number_arrays(&text);
        text.push('\n');
        text
    }

    /// Parses a parameter file's text; `path` names it in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<DelayModel, ActorsError> {
        let bad = |problem: String| ActorsError::BadParameterFile {
            path: path.to_path_buf(),
            problem,
        };
        let probe: Probe = serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
        match probe.format {
            Some(serde_json::Value::String(f)) if f == FORMAT => {}
            other => {
                return Err(bad(format!(
                    "field `format` is {}, expected \"{FORMAT}\"",
                    other.map_or("missing".into(), |v| v.to_string())
                )))
            }
        }
        match probe.version {
            Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(VERSION)) => {}
            other => {
                return Err(bad(format!(
                    "field `version` is {}, this version of UCODTS reads version {VERSION}",
                    other.map_or("missing".into(), |v| v.to_string())
                )))
            }
        }
        let file: ParameterFile = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        if file.quantile_probabilities != QUANTILE_PROBABILITIES {
            return Err(bad(format!(
                "field `quantile_probabilities` is {:?}, expected {:?}",
                file.quantile_probabilities, QUANTILE_PROBABILITIES
            )));
        }
        if file.weather != WeatherRule::current() {
            return Err(bad(format!(
                "field `weather` is {:?}, this version classifies weather by {:?}; fit the model again",
                file.weather,
                WeatherRule::current()
            )));
        }
        let origins = match file.origins {
            None => None,
            Some(list) => {
                let mut codes = Vec::with_capacity(list.len());
                for text in list {
                    codes.push(ucodts_model::AirportCode::new(&text).ok_or_else(|| {
                        bad(format!(
                            "field `origins` holds {text:?}, not an airport code"
                        ))
                    })?);
                }
                codes.sort();
                codes.dedup();
                Some(codes)
            }
        };
        let model = DelayModel {
            data_set: file.data_set,
            fitted_on: file.fitted_on,
            origins,
            departure_delay: file.departure_delay,
            block_time: file.block_time,
            turn_time: file.turn_time,
            disruption: file.disruption,
            conditions: file.delay_conditions,
            block_conditions: file.block_conditions,
        };
        model.check().map_err(bad)?;
        Ok(model)
    }

    /// Reads the parameter file at `path` for use with the data set `expected`: a file fitted on another data
    /// set is an error.
    pub fn read(path: &Path, expected: &DataSetIdentity) -> Result<DelayModel, ActorsError> {
        let text = std::fs::read_to_string(path).map_err(|source| ActorsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let model = DelayModel::from_json(&text, path)?;
        model.expect_data_set(expected, path)?;
        Ok(model)
    }

    /// Fails unless the model was fitted on `expected` (same fingerprint); `path` names the model in the
    /// error.
    pub fn expect_data_set(
        &self,
        expected: &DataSetIdentity,
        path: &Path,
    ) -> Result<(), ActorsError> {
        if self.data_set.fingerprint == expected.fingerprint {
            return Ok(());
        }
        Err(ActorsError::OtherDataSet {
            path: PathBuf::from(path),
            fitted_name: self.data_set.name.clone(),
            fitted_fingerprint: self.data_set.fingerprint.clone(),
            this_name: expected.name.clone(),
            this_fingerprint: expected.fingerprint.clone(),
        })
    }

    /// Writes the parameter file to `path` (through a temporary file renamed into place, so a reader never
    /// sees half of one).
    pub fn write(&self, path: &Path) -> Result<(), ActorsError> {
        let io = |source| ActorsError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, self.to_json()).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

/// Puts every array of plain numbers of pretty-printed JSON on one line, so that a distribution reads as
/// one row: `[0.0, 1.5, 3.0]`.
fn inline_number_arrays(pretty: &str) -> String {
    let mut out = String::with_capacity(pretty.len());
    let mut rest = pretty;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else {
            continue;
        };
        let body = &rest[..close];
        let numbers = !body.trim().is_empty()
            && body.chars().all(|c| {
                c.is_ascii_digit()
                    || matches!(c, '.' | '-' | '+' | 'e' | 'E' | ',')
                    || c.is_whitespace()
            });
        if numbers {
            let items: Vec<&str> = body.split(',').map(str::trim).collect();
            out.push_str(&items.join(", "));
            out.push(']');
            rest = &rest[close + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// `Option<AirportCode>` as an airport code or `"*"`.
pub(crate) mod any_airport {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};
    use ucodts_model::AirportCode;

    pub fn serialize<S: Serializer>(code: &Option<AirportCode>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(code.as_ref().map_or("*", |c| c.as_str()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<AirportCode>, D::Error> {
        let text = String::deserialize(d)?;
        if text == "*" {
            return Ok(None);
        }
        AirportCode::new(&text).map(Some).ok_or_else(|| {
            D::Error::custom(format!("{text:?} is neither an airport code nor \"*\""))
        })
    }
}

/// `Option<HourBand>` as a band (`"06-09"`) or `"*"`.
pub(crate) mod any_band {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::super::HourBand;

    pub fn serialize<S: Serializer>(band: &Option<HourBand>, s: S) -> Result<S::Ok, S::Error> {
        match band {
            None => s.serialize_str("*"),
            Some(b) => b.serialize(s),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<HourBand>, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        if value.as_str() == Some("*") {
            return Ok(None);
        }
        HourBand::deserialize(value)
            .map(Some)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_parameter_file_parses() {
        let m = DelayModel::embedded_default();
        assert!(m.fitted_on.departures > 10_000, "{:?}", m.fitted_on);
    }

    #[test]
    fn a_model_round_trips_through_its_file() {
        let m = DelayModel::none();
        let back = DelayModel::from_json(&m.to_json(), Path::new("x.json")).unwrap();
        assert_eq!(back, m);
        assert_eq!(back.to_json(), m.to_json());
    }

    #[test]
    fn a_file_of_another_kind_or_version_says_so() {
        let err = DelayModel::from_json("{\"format\": \"ucodts-native\"}", Path::new("p.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("p.json") && err.contains("format"), "{err}");
        let text = DelayModel::none()
            .to_json()
            .replace("\"version\": 1", "\"version\": 99");
        let err = DelayModel::from_json(&text, Path::new("p.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("version 1"), "{err}");
    }

    #[test]
    fn a_negative_turn_time_in_a_file_is_refused() {
        let text = DelayModel::none().to_json();
        let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
        json["turn_time"]["extra_min"][0] = serde_json::json!(-5.0);
        let err = DelayModel::from_json(&json.to_string(), Path::new("p.json"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("turn_time") && err.contains("-5"), "{err}");
    }

    #[test]
    fn a_file_written_before_block_conditions_and_day_effects_still_reads() {
        let mut json: serde_json::Value = serde_json::from_str(EMBEDDED_DEFAULT).unwrap();
        let fitted = DelayModel::embedded_default();
        assert!(fitted.block_conditions.is_some() && fitted.conditions.is_some());
        json.as_object_mut().unwrap().remove("block_conditions");
        json["delay_conditions"]
            .as_object_mut()
            .unwrap()
            .remove("day_sd");
        let old = DelayModel::from_json(&json.to_string(), Path::new("old.json")).unwrap();
        assert_eq!(old.block_conditions, None);
        assert_eq!(old.conditions.as_ref().unwrap().day_sd, 0.0);
        assert_eq!(old.departure_delay, fitted.departure_delay);
    }

    #[test]
    fn a_day_effect_wider_than_the_residuals_is_refused() {
        let mut json: serde_json::Value = serde_json::from_str(EMBEDDED_DEFAULT).unwrap();
        json["block_conditions"]["day_sd"] = serde_json::json!(5.0);
        let err = DelayModel::from_json(&json.to_string(), Path::new("p.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("p.json") && err.contains("block_conditions") && err.contains("day_sd"),
            "{err}"
        );
    }
}
