//! The host's columns of a precompile chip row (defined in `zkvm_plugin_api`, so plugins that
//! do not depend on the proof system can address them).

pub use zkvm_plugin_api::frame::FrameLayout;
