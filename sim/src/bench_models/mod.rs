//! Models that exist to measure the kernel against the tools a researcher would pick instead. They are
//! deliberately generic (aircraft and runways as abstract clients and servers), not the airline twin.

pub mod runway;
