//! Viewing a trace row as a chip's column struct (shared by every crate that defines chips).
//!
//! Every chip names its columns with a `#[repr(C)]` struct generic over the cell type (field
//! elements when generating the trace, AIR variables when writing constraints). This module is
//! the one place that reinterprets a row slice as such a struct.
#![allow(unsafe_code)]

/// A chip's column layout.
///
/// # Safety
///
/// An implementor must be `#[repr(C)]` and hold only fields of type `T` or arrays of `T`
/// (possibly nested), so that it has exactly the layout of `[T; WIDTH]`.
pub unsafe trait Columns<T>: Sized {
    /// Number of columns.
    const WIDTH: usize = size_of::<Self>() / size_of::<T>();

    /// The column names, in order; arrays are named `name[i]`.
    fn names() -> Vec<String>;
}

/// Views `row` (exactly [`Columns::WIDTH`] cells) as the column struct `C`.
pub fn borrow<T, C: Columns<T>>(row: &[T]) -> &C {
    assert_eq!(row.len(), C::WIDTH, "row width does not match the column layout");
    // SAFETY: `C` has the layout of `[T; WIDTH]` (the trait's contract) and the slice holds
    // exactly WIDTH cells of `T`, so the only aligned view is one whole `C`.
    let (prefix, columns, suffix) = unsafe { row.align_to::<C>() };
    assert!(prefix.is_empty() && suffix.is_empty() && columns.len() == 1, "misaligned row");
    &columns[0]
}

/// Views `row` mutably as the column struct `C` (for trace generation).
pub fn borrow_mut<T, C: Columns<T>>(row: &mut [T]) -> &mut C {
    assert_eq!(row.len(), C::WIDTH, "row width does not match the column layout");
    // SAFETY: as in `borrow`.
    let (prefix, columns, suffix) = unsafe { row.align_to_mut::<C>() };
    assert!(prefix.is_empty() && suffix.is_empty() && columns.len() == 1, "misaligned row");
    &mut columns[0]
}

/// Names `name[0]`, `name[1]`, ... for an array column.
pub fn array_names(name: &str, len: usize) -> impl Iterator<Item = String> + '_ {
    (0..len).map(move |i| format!("{name}[{i}]"))
}
