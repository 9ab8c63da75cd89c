//! Tests of the generated STS crate live in `tests/`.
