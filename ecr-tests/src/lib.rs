//! Tests of the generated ECR crate live in `tests/`.
