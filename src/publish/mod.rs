//! Everything hwf writes for people and programs: tidy tables and projection results (charts and
//! the report build on these).

pub mod atomic;
pub mod charts;
pub mod describe;
pub mod disclosure;
pub mod explorer;
pub mod forecast;
pub mod inspect;
pub mod method;
pub mod principal;
pub mod report;
pub mod results;
pub mod survey;
pub mod tables;

pub use atomic::PublishError;
