//! Columns of the register boundary.

use zkvm_bus::columns::Columns;

/// The single real row (the trace has two rows; the second is padding).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RegisterBoundaryColumns<T> {
    /// 1 on the real row, 0 on the padding row.
    pub is_real: T,
    /// `initial[r]`: register r's value at the start of the segment, bytes.
    pub initial: [[T; 4]; 32],
    /// `last[r]`: register r's value at the end of the segment, bytes.
    pub last: [[T; 4]; 32],
    /// `last_timestamp[r]`: timestamp of the last access to register r (0 if never accessed).
    pub last_timestamp: [T; 32],
    /// The stream positions at the start of the segment: input (words), output (bytes).
    pub stream_initial: [T; 2],
    /// The stream positions at the end of the segment.
    pub stream_last: [T; 2],
    /// Timestamps of the last accesses to the two position cells.
    pub stream_last_timestamp: [T; 2],
}

// SAFETY: repr(C), fields of type T and (nested) arrays of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for RegisterBoundaryColumns<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["is_real".to_string()];
        for part in ["initial", "last"] {
            for r in 0..32 {
                names.extend((0..4).map(|b| format!("{part}[x{r}][{b}]")));
            }
        }
        names.extend((0..32).map(|r| format!("last_timestamp[x{r}]")));
        for part in ["stream_initial", "stream_last", "stream_last_timestamp"] {
            names.extend(["input", "output"].map(|stream| format!("{part}[{stream}]")));
        }
        names
    }
}
