//! Unit tests of the transcript readers.
