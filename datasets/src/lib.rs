//! Data in and out of UCODTS: the native on-disk format, importers for recorded airline data, the crew
//! generator for what public data lacks, and the embedded default data set.

pub mod error;
pub mod native;

pub use error::DatasetError;
pub mod airportsdata;
pub mod bts;
pub mod crewgen;
mod csvread;
pub mod embedded;
pub mod gmcm2021f;
pub mod limits;
pub mod nycflights13;
pub mod plane_years;
pub mod recorded;
pub mod roadef2009;
pub mod summary;
pub mod tianchi2017;
