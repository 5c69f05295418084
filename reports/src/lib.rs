//! Reports of the twin's what-if runs: a disruption scenario against its undisrupted baseline as one
//! self-contained HTML page — KPIs with 95% intervals, the arrival-delay distribution, on-time performance
//! by hour, Gantt charts of tail rotations and crew duties around the disruption, the alerts raised — and
//! the same numbers as CSV and JSON.
//!
//! The caller (the `ucodts` binary) runs the twin and fills a [`ScenarioReport`]; this crate draws and
//! tabulates it and computes nothing about the airline. It uses `ucodts-model` and `ucodts-stats` (for
//! the interval type) only. Output bytes are a function of the input: no clock, no map iteration order,
//! no locale reaches a file. The page needs no network: inline CSS and SVG, no script, no web font; it
//! prints on A4 and its charts read in grey.
//!
//! ```
//! let report = ucodts_reports::sample(); // a made-up two-hour JFK closure
//! let page = ucodts_reports::html::page(&report);
//! assert!(page.contains(r#"<svg class="chart" data-chart="delay-distribution""#));
//! assert!(!page.contains("<script"));
//!
//! let dir = tempfile::tempdir()?;
//! let written = ucodts_reports::write(&report, &dir.path().join("jfk.html"))?;
//! assert!(written.csv.ends_with("jfk.csv") && written.json.exists());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod charts;
mod error;
pub mod export;
mod files;
pub mod format;
pub mod html;
pub mod recovery;
pub mod report;
mod sample;

pub use error::ReportError;
pub use export::{to_csv, to_json};
pub use files::{
    finish_publication, generations, paths, publish, put_in_place, write, WrittenReport,
    GENERATION_META,
};
pub use recovery::{write_recovery_report, RecoveryReport};
pub use report::*;
pub use sample::sample;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let a = sample();
        let b = sample();
        assert_eq!(html::page(&a), html::page(&b));
        assert_eq!(to_csv(&a).unwrap(), to_csv(&b).unwrap());
        assert_eq!(to_json(&a).unwrap(), to_json(&b).unwrap());
    }

    #[test]
    fn the_page_is_self_contained() {
        let page = html::page(&sample());
        for outside in [
            "<script", "<link", "@import", "http://", "https://", "url(http", "src=",
        ] {
            // The SVG namespace is an identifier, not a download.
            let hits = page.matches(outside).count()
                - page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
                    * usize::from(outside == "http://");
            assert_eq!(hits, 0, "{outside} in the page");
        }
        assert!(page.contains("@media print"));
        for chart in [
            "delay-distribution",
            "on-time-by-hour",
            "tail-rotations",
            "crew-duties",
        ] {
            assert!(page.contains(&format!("data-chart=\"{chart}\"")), "{chart}");
        }
    }

    #[test]
    fn csv_and_json_hold_the_kpi_rows() {
        let r = sample();
        let csv = to_csv(&r).unwrap();
        assert!(csv.starts_with("table,row,series,measure,value\n"));
        assert!(csv.contains("kpi,on_time_rate,baseline,mean,0.750000\n"));
        assert!(csv.contains("kpi,on_time_rate,difference,mean,-0.070000\n"));
        assert!(csv.contains("kpi,on_time_rate,difference,ci95_lower,-0.075000\n"));
        assert!(csv.contains("on_time_by_hour,14,scenario,on_time,10\n"));
        assert!(csv.contains("tail_rotations,N318JB,B6 2 BOS-JFK,arrival_delay_min,125\n"));
        let json: serde_json::Value = serde_json::from_str(&to_json(&r).unwrap()).unwrap();
        assert_eq!(json["format"], export::JSON_FORMAT);
        assert_eq!(json["kpis"][0]["name"], "on_time_rate");
        assert_eq!(json["kpis"][0]["scenario"]["mean"], 0.68);
        assert_eq!(json["scenario"]["display_zone"], "America/New_York");
        assert_eq!(json["disruptions"][0]["from"], "2013-07-02T18:00Z");
        assert_eq!(
            json["tail_rotations"]["rows"][1]["legs"][0]["outcome"],
            "cancelled"
        );
    }

    #[test]
    fn an_unwritable_path_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-folder").join("r.html");
        let e = write(&sample(), &path).unwrap_err();
        assert!(e.to_string().contains("no-such-folder"), "{e}");
        assert!(matches!(
            paths(std::path::Path::new("r.csv")),
            Err(ReportError::Path { .. })
        ));
    }

    #[test]
    fn writing_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        write(&sample(), &dir.path().join("r.html")).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["r.csv", "r.html", "r.json"]);
    }
}
