//! Everything hwf writes for people and programs: tidy tables and projection results (charts and
//! the report build on these).

pub mod atomic;
pub mod results;
pub mod tables;

pub use atomic::PublishError;
