//! Projective tests (`valuespace/projective.h`): item banks of sentence-completion stems, and
//! the runner that measures a [`Model`](crate::model::Model) with a bank.
use std::fmt;
use std::os::raw::c_char;
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::error::{check, Result};
use crate::space::SpaceRef;
use crate::util::{borrowed_str, cpath, cstring, owned_string};
use valuespace_sys as sys;

pub use crate::runner::{
    journal_field, merge_journals, Failure, JournalHeader, Judge, Runner, RunnerOption,
    RunnerResult, Score, LABEL_HIGH, LABEL_LOW, LABEL_UNRELATED,
};

/// One item of a bank, borrowed from it.
#[derive(Clone, Copy)]
pub struct Item<'a> {
    bank: &'a Bank,
    index: usize,
}

impl<'a> Item<'a> {
    fn s(&self, p: *const c_char) -> Option<&'a str> {
        // SAFETY: owned by the bank, which the borrow keeps alive.
        unsafe { borrowed_str(p) }
    }
    /// Index in the bank.
    pub fn index(&self) -> usize {
        self.index
    }
    /// The stable id.
    pub fn id(&self) -> &'a str {
        self.s(unsafe { sys::vs_bank_item_id(self.bank.as_ptr(), self.index) })
            .unwrap_or("")
    }
    /// The stem.
    pub fn stem(&self) -> &'a str {
        self.s(unsafe { sys::vs_bank_item_stem(self.bank.as_ptr(), self.index) })
            .unwrap_or("")
    }
    /// The stem without its completion marker (the forced-choice context).
    pub fn context(&self) -> &'a str {
        let n = unsafe { sys::vs_bank_item_context_length(self.bank.as_ptr(), self.index) };
        self.stem().get(..n).unwrap_or("")
    }
    /// True if reverse-keyed.
    pub fn reverse(&self) -> bool {
        unsafe { sys::vs_bank_item_reverse(self.bank.as_ptr(), self.index) == 1 }
    }
    /// The item flags (`VS_BANK_ITEM_REVERSE`).
    pub fn flags(&self) -> u32 {
        unsafe { sys::vs_bank_item_flags(self.bank.as_ptr(), self.index) }
    }
    /// Global dimension indices (into the bank's space) the item probes.
    pub fn dimensions(&self) -> Vec<usize> {
        let b = self.bank.as_ptr();
        let n = unsafe { sys::vs_bank_item_dimension_count(b, self.index) };
        (0..n)
            .map(|k| unsafe { sys::vs_bank_item_dimension(b, self.index, k) })
            .collect()
    }
    /// The "high" continuation.
    pub fn high(&self) -> Option<&'a str> {
        self.s(unsafe { sys::vs_bank_item_high(self.bank.as_ptr(), self.index) })
    }
    /// The "low" continuation.
    pub fn low(&self) -> Option<&'a str> {
        self.s(unsafe { sys::vs_bank_item_low(self.bank.as_ptr(), self.index) })
    }
}

impl fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Item")
            .field("id", &self.id())
            .field("stem", &self.stem())
            .field("dimensions", &self.dimensions())
            .field("reverse", &self.reverse())
            .finish()
    }
}

/// An immutable item bank (`vs_bank`), `Send + Sync` (share it between threads in an `Arc`).
pub struct Bank {
    ptr: NonNull<sys::vs_bank>,
}

// SAFETY: a frozen bank is immutable with an atomic reference count.
unsafe impl Send for Bank {}
unsafe impl Sync for Bank {}

impl Drop for Bank {
    fn drop(&mut self) {
        unsafe { sys::vs_bank_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Bank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bank")
            .field("name", &self.name())
            .field("items", &self.len())
            .finish()
    }
}

fn wrap(f: impl FnOnce(*mut *mut sys::vs_bank) -> i32) -> Result<Bank> {
    let mut out = ptr::null_mut();
    check(f(&mut out))?;
    Ok(Bank {
        ptr: NonNull::new(out).expect("VS_OK with NULL bank"),
    })
}

fn space_ptr(space: Option<&SpaceRef>) -> *const sys::vs_space {
    space.map_or(ptr::null(), |s| s.as_ptr())
}

impl Bank {
    /// A built-in bank ("valuelex", "schwartz10").
    pub fn builtin(name: &str) -> Result<Bank> {
        let n = cstring(name, "bank name")?;
        wrap(|out| unsafe { sys::vs_bank_builtin(out, n.as_ptr()) })
    }
    /// Names of the built-in banks.
    pub fn builtin_names() -> Vec<&'static str> {
        let n = unsafe { sys::vs_bank_builtin_count() };
        (0..n)
            .filter_map(|i| unsafe { borrowed_str(sys::vs_bank_builtin_name(i)) })
            .collect()
    }
    /// Loads a bank from JSON; `space` replaces the document's space lookup.
    pub fn load_json(
        json: impl AsRef<[u8]>,
        source_name: Option<&str>,
        space: Option<&SpaceRef>,
    ) -> Result<Bank> {
        let j = json.as_ref();
        let name = source_name.map(|s| cstring(s, "source name")).transpose()?;
        let np = name.as_ref().map_or(ptr::null(), |c| c.as_ptr());
        wrap(|out| unsafe {
            sys::vs_bank_load_json(out, j.as_ptr().cast(), j.len(), np, space_ptr(space))
        })
    }
    /// Loads a bank from a JSON file.
    pub fn load_file(path: impl AsRef<Path>, space: Option<&SpaceRef>) -> Result<Bank> {
        let p = cpath(path.as_ref())?;
        wrap(|out| unsafe { sys::vs_bank_load_file(out, p.as_ptr(), space_ptr(space)) })
    }
    /// The JSON text of the bank.
    pub fn save_json(&self) -> Result<String> {
        let mut out: *mut c_char = ptr::null_mut();
        check(unsafe { sys::vs_bank_save_json(&mut out, self.as_ptr()) })?;
        Ok(unsafe { owned_string(out) })
    }
    /// Writes the JSON to a file (atomically).
    pub fn save_file(&self, path: impl AsRef<Path>) -> Result<()> {
        let p = cpath(path.as_ref())?;
        check(unsafe { sys::vs_bank_save_file(self.as_ptr(), p.as_ptr()) })
    }
    /// The raw handle (owned by this value).
    pub fn as_ptr(&self) -> *const sys::vs_bank {
        self.ptr.as_ptr()
    }
    /// Bank name.
    pub fn name(&self) -> &str {
        unsafe { borrowed_str(sys::vs_bank_name(self.as_ptr())) }.unwrap_or("")
    }
    /// Bank description ("" when none).
    pub fn description(&self) -> &str {
        unsafe { borrowed_str(sys::vs_bank_description(self.as_ptr())) }.unwrap_or("")
    }
    /// The space the bank is bound to.
    pub fn space(&self) -> &SpaceRef {
        // SAFETY: the bank keeps its space alive.
        unsafe { SpaceRef::from_ptr(sys::vs_bank_space(self.as_ptr())) }
    }
    /// The "space" reference written when saving.
    pub fn space_ref(&self) -> &str {
        unsafe { borrowed_str(sys::vs_bank_space_ref(self.as_ptr())) }.unwrap_or("")
    }
    /// Number of items.
    pub fn len(&self) -> usize {
        unsafe { sys::vs_bank_item_count(self.as_ptr()) }
    }
    /// True for no item (never for a valid bank).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Item i.
    pub fn item(&self, i: usize) -> Option<Item<'_>> {
        (i < self.len()).then_some(Item {
            bank: self,
            index: i,
        })
    }
    /// Every item in order.
    pub fn items(&self) -> impl ExactSizeIterator<Item = Item<'_>> + '_ {
        (0..self.len()).map(move |i| Item {
            bank: self,
            index: i,
        })
    }
    /// Index of the item with this id.
    pub fn find_item(&self, id: &str) -> Result<usize> {
        let c = cstring(id, "item id")?;
        let mut i = 0;
        check(unsafe { sys::vs_bank_find_item(&mut i, self.as_ptr(), c.as_ptr()) })?;
        Ok(i)
    }
    /// Number of items that probe a dimension (global index of the bank's space).
    pub fn dimension_item_count(&self, dimension: usize) -> usize {
        unsafe { sys::vs_bank_dimension_item_count(self.as_ptr(), dimension) }
    }
    /// Number of items with "high"/"low" continuations.
    pub fn continuation_count(&self) -> usize {
        unsafe { sys::vs_bank_continuation_count(self.as_ptr()) }
    }
}

/// Builds a bank item by item (`vs_bank_builder`).
pub struct BankBuilder {
    ptr: NonNull<sys::vs_bank_builder>,
}

// SAFETY: a builder is used by one thread at a time (&mut for changes).
unsafe impl Send for BankBuilder {}

impl Drop for BankBuilder {
    fn drop(&mut self) {
        unsafe { sys::vs_bank_builder_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for BankBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BankBuilder").finish_non_exhaustive()
    }
}

/// Optional forced-choice continuations ("high", "low") of an item.
pub type Continuations<'a> = Option<(&'a str, &'a str)>;

impl BankBuilder {
    /// An empty builder for a bank `name` over `space` (a reference is taken).
    pub fn new(name: &str, space: &SpaceRef) -> Result<BankBuilder> {
        let n = cstring(name, "bank name")?;
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_bank_builder_create(&mut out, n.as_ptr(), space.as_ptr()) })?;
        Ok(BankBuilder {
            ptr: NonNull::new(out).expect("VS_OK with NULL builder"),
        })
    }
    /// Sets the description.
    pub fn set_description(&mut self, text: &str) -> Result<&mut Self> {
        let t = cstring(text, "description")?;
        check(unsafe { sys::vs_bank_builder_set_description(self.ptr.as_ptr(), t.as_ptr()) })
            .map(|_| self)
    }
    /// Sets the "space" reference written when saving.
    pub fn set_space_ref(&mut self, space_ref: &str) -> Result<&mut Self> {
        let t = cstring(space_ref, "space reference")?;
        check(unsafe { sys::vs_bank_builder_set_space_ref(self.ptr.as_ptr(), t.as_ptr()) })
            .map(|_| self)
    }
    fn cont(
        c: Continuations<'_>,
    ) -> Result<(Option<std::ffi::CString>, Option<std::ffi::CString>)> {
        Ok(match c {
            Some((h, l)) => (
                Some(cstring(h, "high continuation")?),
                Some(cstring(l, "low continuation")?),
            ),
            None => (None, None),
        })
    }
    /// Appends an item whose dimensions are given by name.
    pub fn add_item(
        &mut self,
        id: &str,
        stem: &str,
        dimensions: &[&str],
        reverse: bool,
        continuations: Continuations<'_>,
    ) -> Result<&mut Self> {
        let i = cstring(id, "item id")?;
        let s = cstring(stem, "stem")?;
        let dims: Vec<_> = dimensions
            .iter()
            .map(|d| cstring(d, "dimension"))
            .collect::<Result<_>>()?;
        let dp: Vec<*const c_char> = dims.iter().map(|c| c.as_ptr()).collect();
        let (h, l) = BankBuilder::cont(continuations)?;
        let flags = if reverse {
            sys::VS_BANK_ITEM_REVERSE
        } else {
            0
        };
        check(unsafe {
            sys::vs_bank_builder_add_item(
                self.ptr.as_ptr(),
                i.as_ptr(),
                s.as_ptr(),
                dp.as_ptr(),
                dp.len(),
                flags,
                h.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
                l.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
            )
        })
        .map(|_| self)
    }
    /// Appends an item whose dimensions are global indices of the space.
    pub fn add_item_indexed(
        &mut self,
        id: &str,
        stem: &str,
        dimensions: &[usize],
        reverse: bool,
        continuations: Continuations<'_>,
    ) -> Result<&mut Self> {
        let i = cstring(id, "item id")?;
        let s = cstring(stem, "stem")?;
        let (h, l) = BankBuilder::cont(continuations)?;
        let flags = if reverse {
            sys::VS_BANK_ITEM_REVERSE
        } else {
            0
        };
        check(unsafe {
            sys::vs_bank_builder_add_item_indexed(
                self.ptr.as_ptr(),
                i.as_ptr(),
                s.as_ptr(),
                dimensions.as_ptr(),
                dimensions.len(),
                flags,
                h.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
                l.as_ref().map_or(ptr::null(), |c| c.as_ptr()),
            )
        })
        .map(|_| self)
    }
    /// Freezes the items added so far into a bank (the builder is unchanged).
    pub fn freeze(&self) -> Result<Bank> {
        wrap(|out| unsafe { sys::vs_bank_builder_freeze(out, self.ptr.as_ptr()) })
    }
}
