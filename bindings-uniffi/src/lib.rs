//! Work in progress: see the binding issue.
