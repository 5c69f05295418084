//! JSON as serde_json writes it, read back without loss, for the head of a `recover` shard: object
//! members keep their order and numbers keep their text, so a document written by `serde_json`, read
//! here, changed in a few members and written again by `serde_json` has the bytes the changed value
//! would have had written directly. (serde_json's own reader sorts a `Value`'s members unless a feature
//! says otherwise, and reads some 17-digit numbers one unit in the last place off.)

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::bail;
use crate::error::{Context, Result};

/// How deep a document may nest: a recovery report nests about six levels.
const MAX_DEPTH: usize = 64;

/// A JSON value with its members in order and its numbers as the text they were written as.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// The number's text as serde_json wrote it (`12`, `-3`, `0.1`, `1e20`).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// `value` as serde_json writes it.
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Result<Json> {
        let text = serde_json::to_string(value).context("writing a value as JSON")?;
        Json::parse(&text)
    }

    /// Reads JSON text (as serde_json writes it; whitespace between tokens is allowed).
    pub(crate) fn parse(text: &str) -> Result<Json> {
        let mut reader = Reader {
            text,
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = reader.value(0)?;
        reader.space();
        if reader.at != reader.bytes.len() {
            bail!("JSON: text after the value at byte {}", reader.at);
        }
        Ok(value)
    }

    /// The compact text.
    pub(crate) fn to_text(&self) -> Result<String> {
        serde_json::to_string(self).context("writing JSON")
    }

    /// The member `key` of an object.
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Replaces the member `key` of an object, which must be there (so a renamed field is an error,
    /// not a member added at the end).
    pub(crate) fn set(&mut self, key: &str, value: Json) -> Result<()> {
        let Json::Object(members) = self else {
            bail!("JSON: setting `{key}` of a value that is not an object");
        };
        match members.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => {
                *v = value;
                Ok(())
            }
            None => bail!("JSON: the object has no member `{key}` to set"),
        }
    }

    /// The number's value.
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The string's value.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The array's items.
    pub(crate) fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Every member of every object whose key `drop` says yes to, set to `with`, at any depth.
    pub(crate) fn replace_members(&mut self, drop: &dyn Fn(&str) -> bool, with: &Json) {
        match self {
            Json::Array(items) => items
                .iter_mut()
                .for_each(|item| item.replace_members(drop, with)),
            Json::Object(members) => {
                for (key, value) in members {
                    if drop(key) {
                        *value = with.clone();
                    } else {
                        value.replace_members(drop, with);
                    }
                }
            }
            _ => {}
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            // serde_json writes an integer as its digits and a float as the shortest text that reads
            // back to it (with `.0` when it is whole); Rust reads both exactly, so writing the value
            // read gives the text again.
            Json::Number(text) => {
                if let Ok(u) = text.parse::<u64>() {
                    serializer.serialize_u64(u)
                } else if let Ok(i) = text.parse::<i64>() {
                    serializer.serialize_i64(i)
                } else {
                    let x: f64 = text.parse().map_err(|_| {
                        serde::ser::Error::custom(format!("JSON: {text:?} is not a number"))
                    })?;
                    serializer.serialize_f64(x)
                }
            }
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn space(&mut self) {
        while self
            .bytes
            .get(self.at)
            .is_some_and(|b| b.is_ascii_whitespace())
        {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        self.space();
        if self.bytes.get(self.at) != Some(&byte) {
            bail!("JSON: expected `{}` at byte {}", byte as char, self.at);
        }
        self.at += 1;
        Ok(())
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json> {
        if !self.text[self.at..].starts_with(word) {
            bail!("JSON: unexpected text at byte {}", self.at);
        }
        self.at += word.len();
        Ok(value)
    }

    fn string(&mut self) -> Result<String> {
        self.space();
        let start = self.at;
        if self.bytes.get(start) != Some(&b'"') {
            bail!("JSON: expected a string at byte {start}");
        }
        let mut at = start + 1;
        loop {
            match self.bytes.get(at) {
                None => bail!("JSON: a string from byte {start} does not end"),
                Some(b'\\') => at += 2,
                Some(b'"') => break,
                Some(_) => at += 1,
            }
        }
        self.at = at + 1;
        serde_json::from_str(&self.text[start..self.at])
            .with_context(|| format!("JSON: the string at byte {start}"))
    }

    fn value(&mut self, depth: usize) -> Result<Json> {
        if depth > MAX_DEPTH {
            bail!("JSON: nested deeper than {MAX_DEPTH} levels");
        }
        self.space();
        match self.bytes.get(self.at) {
            None => bail!("JSON: the text ends where a value should be"),
            Some(b'n') => self.word("null", Json::Null),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b']') {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b']') => {
                            self.at += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => bail!("JSON: expected `,` or `]` at byte {}", self.at),
                    }
                }
            }
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                self.space();
                if self.bytes.get(self.at) == Some(&b'}') {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                loop {
                    let key = self.string()?;
                    self.expect(b':')?;
                    members.push((key, self.value(depth + 1)?));
                    self.space();
                    match self.bytes.get(self.at) {
                        Some(b',') => self.at += 1,
                        Some(b'}') => {
                            self.at += 1;
                            return Ok(Json::Object(members));
                        }
                        _ => bail!("JSON: expected `,` or `}}` at byte {}", self.at),
                    }
                }
            }
            Some(b) if *b == b'-' || b.is_ascii_digit() => {
                let start = self.at;
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    self.at += 1;
                }
                let text = &self.text[start..self.at];
                if text.parse::<f64>().is_err() {
                    bail!("JSON: {text:?} at byte {start} is not a number");
                }
                Ok(Json::Number(text.to_owned()))
            }
            Some(_) => bail!("JSON: unexpected text at byte {}", self.at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        zebra: f64,
        apple: Vec<f64>,
        count: u64,
        below: i64,
        text: &'static str,
        nothing: Option<u8>,
        nested: Vec<(bool, String)>,
    }

    #[test]
    fn a_document_read_and_written_again_has_the_same_bytes_compact_and_pretty() {
        let sample = Sample {
            zebra: 0.1 + 0.2,
            apple: vec![
                12.345678901234567,
                1.0e-310,
                1e20,
                -0.0,
                5.0,
                1693.8,
                f64::MAX,
            ],
            count: u64::MAX,
            below: -7,
            text: "a \"quoted\" line\nwith \\ and é and \u{1}",
            nothing: None,
            nested: vec![(true, "x".into()), (false, String::new())],
        };
        let json = Json::of(&sample).unwrap();
        assert_eq!(
            json.to_text().unwrap(),
            serde_json::to_string(&sample).unwrap()
        );
        assert_eq!(
            serde_json::to_string_pretty(&json).unwrap(),
            serde_json::to_string_pretty(&sample).unwrap()
        );
        // Members keep their order (serde_json's Value would sort them).
        let Json::Object(members) = &json else {
            panic!("an object")
        };
        assert_eq!(members[0].0, "zebra");
    }

    #[test]
    fn set_replaces_a_member_in_place_and_refuses_one_that_is_not_there() {
        let mut json = Json::parse(r#"{"a": 1, "seconds": 2.5, "b": {"seconds_x": 3}}"#).unwrap();
        json.set("a", Json::Bool(true)).unwrap();
        assert!(json.set("c", Json::Null).is_err());
        json.replace_members(&|k| k.starts_with("seconds"), &Json::Number("0".into()));
        assert_eq!(
            json.to_text().unwrap(),
            r#"{"a":true,"seconds":0,"b":{"seconds_x":0}}"#
        );
    }

    #[test]
    fn broken_text_is_an_error_not_a_panic() {
        for text in [
            "",
            "{",
            "[1,",
            "\"abc",
            "{\"a\" 1}",
            "01x",
            "nul",
            "[1] 2",
            "-",
        ] {
            assert!(Json::parse(text).is_err(), "{text:?}");
        }
    }
}
