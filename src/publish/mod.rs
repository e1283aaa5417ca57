//! Everything hwf writes for people and programs: tidy tables (and, later, charts and the report).

pub mod atomic;
pub mod tables;

pub use atomic::PublishError;
