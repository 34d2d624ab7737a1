//! Unit tests of the raw parser.
