//! Columns of the ecall chip.

use zkvm_bus::columns::{Columns, array_names};
use zkvm_memory::AccessColumns;

/// One row per `ecall`, then padding rows (all selectors 0).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct EcallColumns<T> {
    /// Cycle index of the call.
    pub clk: T,
    /// Address of the `ecall`.
    pub pc: T,
    /// `a0` before the call, bytes.
    pub a0: [T; 4],
    /// `a0` after the call (the result), bytes.
    pub result: [T; 4],
    /// One selector per call, in `ECALLS` order: HALT, WRITE, READ_WORD, INPUT_LENGTH, COMMIT.
    pub selector: [T; 5],
    /// The stream position the call finds (READ_WORD: input words read; COMMIT: output bytes).
    pub position: T,
    /// Memory-argument columns of the access to the stream-position cell.
    pub stream_access: AccessColumns<T>,
}

// SAFETY: repr(C), fields of type T, arrays of T and AccessColumns<T> (itself repr(C) of T).
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for EcallColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["clk".to_string(), "pc".to_string()];
        names.extend(array_names("a0", 4));
        names.extend(array_names("result", 4));
        names.extend(
            ["is_halt", "is_write", "is_read_word", "is_input_length", "is_commit"].map(String::from),
        );
        names.push("position".into());
        names.extend(AccessColumns::<T>::names("stream_access"));
        names
    }
}
