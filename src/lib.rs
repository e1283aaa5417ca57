//! hwf — health-care workforce statistics and forecasting.
//!
//! The crate's README follows.
//!
//! The modules follow the pipeline: [`ingest`] reads the official formats into one tidy [`table::Table`];
//! [`codes`] holds the classifications; [`validate`] checks tables against them; [`model`] projects supply, demand and their
//! balance; [`publish`] writes
//! tidy tables out; [`defaults`] is the embedded default data set; [`allocate`] distributes money by
//! key and audits published distributions.
#![warn(missing_docs)]
#![doc = include_str!("../README.md")]

pub mod allocate;
pub mod codes;
pub mod defaults;
pub mod ingest;
pub mod model;
pub mod publish;
pub mod table;
pub mod validate;
