//! Where messages come from: a file or stdin read as raw HTTP/1.x ([`reader`]), or a
//! transcript printed by curl, HTTPie or xh ([`transcript`]). Each source turns its input
//! into a stream of [`crate::model::Item`]s by way of the wire parser.

pub mod capture;
pub mod har;
pub mod reader;
pub mod transcript;
