//! Columns of the io table.

use zkvm_bus::columns::{Columns, array_names};

/// Main columns.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct IoTableColumns<T> {
    /// How many times the row is queried in the segment (the lookup's free count).
    pub multiplicity: T,
}

// SAFETY: repr(C), one field of type T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for IoTableColumns<T> {
    fn names() -> Vec<String> {
        vec!["multiplicity".into()]
    }
}

/// Preprocessed columns: the input words, then the output bytes, then padding.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct IoTablePreprocessed<T> {
    /// 0 for an input word, 1 for an output byte, `PADDING_STREAM` on padding rows.
    pub stream: T,
    /// Word index in the input or byte index in the output.
    pub index: T,
    /// The input word's bytes, or the output byte followed by three zeros.
    pub value: [T; 4],
}

// SAFETY: repr(C), fields of type T and an array of T.
#[allow(unsafe_code)]
unsafe impl<T> Columns<T> for IoTablePreprocessed<T> {
    fn names() -> Vec<String> {
        let mut names = vec!["stream".to_string(), "index".to_string()];
        names.extend(array_names("value", 4));
        names
    }
}
