//! Value spaces (`vs_space`): immutable, reference counted, shareable between threads.
use std::fmt;
use std::iter::FusedIterator;
use std::marker::PhantomData;
use std::ops::{Deref, Range};
use std::os::raw::c_char;
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::error::{check, Result};
use crate::util::{borrowed_str, cpath, cstring, owned_string};
use valuespace_sys as sys;

/// An owned reference to a frozen value space. Dropping it calls `vs_space_free`; vectors made
/// over the space keep it alive on the C side, so handles may be dropped in any order.
///
/// All queries are on [`SpaceRef`], which `Space` dereferences to (a vector's space is a
/// borrowed `&SpaceRef`).
///
/// `Space` is `Send` and `Sync`: a frozen space is immutable and its reference count is
/// atomic, so it may be shared by any number of threads (e.g. in an `Arc`).
pub struct Space {
    ptr: NonNull<sys::vs_space>,
}

// SAFETY: the C library documents frozen spaces as immutable and shareable by any number of
// threads, and vs_space_free as safe from any thread (atomic reference count).
unsafe impl Send for Space {}
unsafe impl Sync for Space {}

/// A borrowed value space: `&SpaceRef` is a `const vs_space *` that the borrow keeps valid.
/// Obtained from a [`Space`] (by `Deref`) or from [`crate::Vector::space`].
pub struct SpaceRef {
    _opaque: [u8; 0],
    // Not constructible, not Send/Unpin by default; Sync is granted below.
    _marker: PhantomData<(*mut u8, std::marker::PhantomPinned)>,
}

// SAFETY: see `Space`: every operation on a frozen space only reads it.
unsafe impl Sync for SpaceRef {}

impl Space {
    /// Takes ownership of a space handle.
    ///
    /// # Safety
    /// `ptr` is a valid `vs_space` handle whose reference the caller gives away.
    pub(crate) unsafe fn from_raw(ptr: *mut sys::vs_space) -> Space {
        Space {
            ptr: NonNull::new(ptr).expect("libvaluespace returned VS_OK with a NULL space"),
        }
    }

    fn create(f: impl FnOnce(*mut *mut sys::vs_space) -> i32) -> Result<Space> {
        let mut out = ptr::null_mut();
        check(f(&mut out))?;
        // SAFETY: on VS_OK the out-parameter holds a new reference we now own.
        Ok(unsafe { Space::from_raw(out) })
    }

    /// A built-in space: "schwartz10", "schwartz19", "fulcra", "valuelex", "mft5", "mfq2"
    /// (names are matched after folding: case, NFKC, runs of spaces, hyphens and underscores).
    pub fn builtin(name: &str) -> Result<Space> {
        let name = cstring(name, "built-in space name")?;
        // SAFETY: valid out-pointer and NUL-terminated name.
        Space::create(|out| unsafe { sys::vs_space_builtin(out, name.as_ptr()) })
    }

    /// The names of the built-in spaces.
    pub fn builtin_names() -> Vec<&'static str> {
        // SAFETY: the names are static strings.
        let n = unsafe { sys::vs_space_builtin_count() };
        (0..n)
            .filter_map(|i| unsafe { borrowed_str(sys::vs_space_builtin_name(i)) })
            .collect()
    }

    /// Loads a space from a JSON document (schema "valuespace/space", version 1).
    /// `source_name` is used in error messages ("source:line:column: ..."); None gives `"<json>"`.
    pub fn load_json(json: impl AsRef<[u8]>, source_name: Option<&str>) -> Result<Space> {
        let json = json.as_ref();
        let source = source_name.map(|s| cstring(s, "source name")).transpose()?;
        let source_ptr = source.as_ref().map_or(ptr::null(), |s| s.as_ptr());
        // SAFETY: the buffer is passed with its length; source is NULL or NUL-terminated.
        Space::create(|out| unsafe {
            sys::vs_space_load_json(out, json.as_ptr().cast::<c_char>(), json.len(), source_ptr)
        })
    }

    /// Loads a space from a JSON file.
    pub fn load_file(path: impl AsRef<Path>) -> Result<Space> {
        let path = cpath(path.as_ref())?;
        // SAFETY: valid out-pointer and NUL-terminated path.
        Space::create(|out| unsafe { sys::vs_space_load_file(out, path.as_ptr()) })
    }

    /// The raw handle, still owned by `self`.
    pub fn as_ptr(&self) -> *const sys::vs_space {
        self.ptr.as_ptr()
    }
}

impl Drop for Space {
    fn drop(&mut self) {
        // SAFETY: we own one reference.
        unsafe { sys::vs_space_free(self.ptr.as_ptr()) }
    }
}

impl Deref for Space {
    type Target = SpaceRef;
    fn deref(&self) -> &SpaceRef {
        // SAFETY: the handle lives as long as the borrow of self.
        unsafe { SpaceRef::from_ptr(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Space {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// One level of a space (finest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level<'a> {
    /// Index of the level (0 = finest).
    pub index: usize,
    /// Level name, e.g. "value".
    pub name: &'a str,
    /// Global index of the level's first dimension.
    pub offset: usize,
    /// Number of dimensions in the level.
    pub size: usize,
}

impl SpaceRef {
    /// # Safety
    /// `ptr` is a valid space handle that outlives `'a`.
    pub(crate) unsafe fn from_ptr<'a>(ptr: *const sys::vs_space) -> &'a SpaceRef {
        &*(ptr as *const SpaceRef)
    }

    /// The raw handle (borrowed).
    pub fn as_ptr(&self) -> *const sys::vs_space {
        self as *const SpaceRef as *const sys::vs_space
    }

    fn text(&self, p: *const c_char) -> Option<&str> {
        // SAFETY: strings owned by an immutable space live as long as the space.
        unsafe { borrowed_str(p) }
    }

    /// The space's name.
    pub fn name(&self) -> &str {
        self.text(unsafe { sys::vs_space_name(self.as_ptr()) })
            .unwrap_or("")
    }

    /// The space's description ("" when none).
    pub fn description(&self) -> &str {
        self.text(unsafe { sys::vs_space_description(self.as_ptr()) })
            .unwrap_or("")
    }

    /// Number of levels (at least 1).
    pub fn level_count(&self) -> usize {
        unsafe { sys::vs_space_level_count(self.as_ptr()) }
    }

    /// A level by index, or None if out of range.
    pub fn level(&self, index: usize) -> Option<Level<'_>> {
        let p = self.as_ptr();
        let name = self.text(unsafe { sys::vs_space_level_name(p, index) })?;
        Some(Level {
            index,
            name,
            offset: unsafe { sys::vs_space_level_offset(p, index) },
            size: unsafe { sys::vs_space_level_dimension_count(p, index) },
        })
    }

    /// All levels, finest first.
    pub fn levels(&self) -> impl ExactSizeIterator<Item = Level<'_>> + '_ {
        (0..self.level_count()).map(move |i| self.level(i).expect("level index in range"))
    }

    /// The index of a level by name (exact or folded match).
    pub fn level_find(&self, name: &str) -> Option<usize> {
        let name = cstring(name, "level name").ok()?;
        let i = unsafe { sys::vs_space_level_find(self.as_ptr(), name.as_ptr()) };
        (i != sys::VS_NPOS).then_some(i)
    }

    /// Total number of dimensions over all levels.
    pub fn dimension_count(&self) -> usize {
        unsafe { sys::vs_space_dimension_count(self.as_ptr()) }
    }

    /// A dimension by global index, or None if out of range.
    pub fn dimension(&self, index: usize) -> Option<Dimension<'_>> {
        (index < self.dimension_count()).then_some(Dimension { space: self, index })
    }

    /// All dimensions in global order (level 0 first).
    pub fn dimensions(&self) -> Dimensions<'_> {
        Dimensions {
            space: self,
            range: 0..self.dimension_count(),
        }
    }

    /// The dimensions of one level (empty if the level does not exist).
    pub fn level_dimensions(&self, level: usize) -> Dimensions<'_> {
        let range = match self.level(level) {
            Some(l) => l.offset..l.offset + l.size,
            None => 0..0,
        };
        Dimensions { space: self, range }
    }

    /// Finds a dimension by key, label or alias (folded: case, Unicode NFKC, and runs of
    /// spaces, hyphens and underscores are equal) over all levels, finest first; returns its
    /// global index.
    pub fn find(&self, name: &str) -> Result<usize> {
        self.find_impl(sys::VS_NPOS, name)
    }

    /// Like [`find`](Self::find) restricted to one level (`VS_ERANGE` for a bad level).
    pub fn find_in_level(&self, level: usize, name: &str) -> Result<usize> {
        self.find_impl(level, name)
    }

    fn find_impl(&self, level: usize, name: &str) -> Result<usize> {
        let name = cstring(name, "dimension name")?;
        let mut index = 0usize;
        check(unsafe { sys::vs_space_find(&mut index, self.as_ptr(), level, name.as_ptr()) })?;
        Ok(index)
    }

    /// The space as pretty-printed JSON; loading it gives an equal space.
    pub fn save_json(&self) -> Result<String> {
        let mut out: *mut c_char = ptr::null_mut();
        check(unsafe { sys::vs_space_save_json(&mut out, self.as_ptr()) })?;
        // SAFETY: on VS_OK we own the text (freed with vs_free).
        Ok(unsafe { owned_string(out) })
    }

    /// Writes [`save_json`](Self::save_json)'s text to a file.
    pub fn save_file(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = cpath(path.as_ref())?;
        check(unsafe { sys::vs_space_save_file(self.as_ptr(), path.as_ptr()) })
    }
}

impl fmt::Debug for SpaceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Space")
            .field("name", &self.name())
            .field("levels", &self.levels().map(|l| l.name).collect::<Vec<_>>())
            .field("dimensions", &self.dimension_count())
            .finish()
    }
}

/// A dimension of a space, by global index. Its strings borrow from the space.
#[derive(Clone, Copy)]
pub struct Dimension<'a> {
    space: &'a SpaceRef,
    index: usize,
}

impl<'a> Dimension<'a> {
    fn text(&self, p: *const c_char) -> &'a str {
        // SAFETY: strings owned by an immutable space live as long as the space borrow 'a.
        unsafe { borrowed_str(p) }.unwrap_or("")
    }

    /// The global index.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The key (ASCII, unique within its level).
    pub fn key(&self) -> &'a str {
        self.text(unsafe { sys::vs_space_key(self.space.as_ptr(), self.index) })
    }

    /// The display label.
    pub fn label(&self) -> &'a str {
        self.text(unsafe { sys::vs_space_label(self.space.as_ptr(), self.index) })
    }

    /// The description ("" when none).
    pub fn description(&self) -> &'a str {
        self.text(unsafe { sys::vs_space_dimension_description(self.space.as_ptr(), self.index) })
    }

    /// The level the dimension belongs to.
    pub fn level(&self) -> usize {
        unsafe { sys::vs_space_dimension_level(self.space.as_ptr(), self.index) }
    }

    /// Position on the motivational circle in degrees, in [0, 360); None when not defined.
    pub fn angle(&self) -> Option<f64> {
        let a = unsafe { sys::vs_space_angle(self.space.as_ptr(), self.index) };
        (!a.is_nan()).then_some(a)
    }

    /// The aliases (other names `find` accepts).
    pub fn aliases(&self) -> Vec<&'a str> {
        let p = self.space.as_ptr();
        let n = unsafe { sys::vs_space_alias_count(p, self.index) };
        (0..n)
            .map(|i| self.text(unsafe { sys::vs_space_alias(p, self.index, i) }))
            .collect()
    }

    /// The parent at `level` (explicit or inherited), None when there is none (a border value,
    /// or a level not above this dimension's).
    pub fn parent(&self, level: usize) -> Option<Dimension<'a>> {
        let i = unsafe { sys::vs_space_parent(self.space.as_ptr(), self.index, level) };
        (i != sys::VS_NPOS).then_some(Dimension {
            space: self.space,
            index: i,
        })
    }
}

impl fmt::Debug for Dimension<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dimension")
            .field("index", &self.index)
            .field("level", &self.level())
            .field("key", &self.key())
            .field("label", &self.label())
            .finish()
    }
}

/// Iterator over dimensions of a space ([`SpaceRef::dimensions`], [`SpaceRef::level_dimensions`]).
#[derive(Clone, Debug)]
pub struct Dimensions<'a> {
    space: &'a SpaceRef,
    range: Range<usize>,
}

impl<'a> Iterator for Dimensions<'a> {
    type Item = Dimension<'a>;
    fn next(&mut self) -> Option<Dimension<'a>> {
        let space = self.space;
        self.range.next().map(|index| Dimension { space, index })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for Dimensions<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let space = self.space;
        self.range
            .next_back()
            .map(|index| Dimension { space, index })
    }
}

impl ExactSizeIterator for Dimensions<'_> {}
impl FusedIterator for Dimensions<'_> {}

/// Builds a space definition; [`freeze`](SpaceBuilder::freeze) makes an immutable [`Space`].
///
/// Levels are added finest first; a dimension's parent must exist before `set_parent`.
/// `SpaceBuilder` is `Send` (it may move between threads) but not `Sync`.
pub struct SpaceBuilder {
    ptr: NonNull<sys::vs_space_builder>,
}

// SAFETY: a builder is only used through &mut self or by one thread at a time (&self calls
// are reads: freeze); the C rule allows a handle to be used from any one thread at a time.
unsafe impl Send for SpaceBuilder {}

impl SpaceBuilder {
    /// An empty builder for a space called `name` (non-empty UTF-8).
    pub fn new(name: &str) -> Result<SpaceBuilder> {
        let name = cstring(name, "space name")?;
        let mut out = ptr::null_mut();
        check(unsafe { sys::vs_space_builder_create(&mut out, name.as_ptr()) })?;
        Ok(SpaceBuilder {
            ptr: NonNull::new(out).expect("VS_OK with a NULL builder"),
        })
    }

    /// Sets the space's description.
    pub fn set_description(&mut self, text: &str) -> Result<&mut Self> {
        let text = cstring(text, "description")?;
        check(unsafe { sys::vs_space_builder_set_description(self.ptr.as_ptr(), text.as_ptr()) })?;
        Ok(self)
    }

    /// Appends a level (finest first).
    pub fn add_level(&mut self, level: &str) -> Result<&mut Self> {
        let level = cstring(level, "level name")?;
        check(unsafe { sys::vs_space_builder_add_level(self.ptr.as_ptr(), level.as_ptr()) })?;
        Ok(self)
    }

    /// Appends a dimension to `level`; `label` None uses the key.
    pub fn add_dimension(
        &mut self,
        level: &str,
        key: &str,
        label: Option<&str>,
    ) -> Result<&mut Self> {
        let level = cstring(level, "level name")?;
        let key = cstring(key, "dimension key")?;
        let label = label.map(|l| cstring(l, "label")).transpose()?;
        let label_ptr = label.as_ref().map_or(ptr::null(), |l| l.as_ptr());
        check(unsafe {
            sys::vs_space_builder_add_dimension(
                self.ptr.as_ptr(),
                level.as_ptr(),
                key.as_ptr(),
                label_ptr,
            )
        })?;
        Ok(self)
    }

    /// Sets a dimension's description.
    pub fn set_dimension_description(
        &mut self,
        level: &str,
        key: &str,
        text: &str,
    ) -> Result<&mut Self> {
        let level = cstring(level, "level name")?;
        let key = cstring(key, "dimension key")?;
        let text = cstring(text, "description")?;
        check(unsafe {
            sys::vs_space_builder_set_dimension_description(
                self.ptr.as_ptr(),
                level.as_ptr(),
                key.as_ptr(),
                text.as_ptr(),
            )
        })?;
        Ok(self)
    }

    /// Adds an alias to a dimension.
    pub fn add_alias(&mut self, level: &str, key: &str, alias: &str) -> Result<&mut Self> {
        let level = cstring(level, "level name")?;
        let key = cstring(key, "dimension key")?;
        let alias = cstring(alias, "alias")?;
        check(unsafe {
            sys::vs_space_builder_add_alias(
                self.ptr.as_ptr(),
                level.as_ptr(),
                key.as_ptr(),
                alias.as_ptr(),
            )
        })?;
        Ok(self)
    }

    /// Sets a dimension's circle angle in degrees (stored reduced to [0, 360)).
    pub fn set_angle(&mut self, level: &str, key: &str, degrees: f64) -> Result<&mut Self> {
        let level = cstring(level, "level name")?;
        let key = cstring(key, "dimension key")?;
        check(unsafe {
            sys::vs_space_builder_set_angle(
                self.ptr.as_ptr(),
                level.as_ptr(),
                key.as_ptr(),
                degrees,
            )
        })?;
        Ok(self)
    }

    /// Makes `parent_key` at `parent_level` the parent of `key` at `level`.
    pub fn set_parent(
        &mut self,
        level: &str,
        key: &str,
        parent_level: &str,
        parent_key: &str,
    ) -> Result<&mut Self> {
        let level = cstring(level, "level name")?;
        let key = cstring(key, "dimension key")?;
        let parent_level = cstring(parent_level, "parent level name")?;
        let parent_key = cstring(parent_key, "parent key")?;
        check(unsafe {
            sys::vs_space_builder_set_parent(
                self.ptr.as_ptr(),
                level.as_ptr(),
                key.as_ptr(),
                parent_level.as_ptr(),
                parent_key.as_ptr(),
            )
        })?;
        Ok(self)
    }

    /// Freezes the current definition into a new immutable space; the builder is unchanged.
    pub fn freeze(&self) -> Result<Space> {
        // SAFETY: valid out-pointer and builder.
        Space::create(|out| unsafe { sys::vs_space_builder_freeze(out, self.ptr.as_ptr()) })
    }
}

impl Drop for SpaceBuilder {
    fn drop(&mut self) {
        unsafe { sys::vs_space_builder_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for SpaceBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpaceBuilder").finish_non_exhaustive()
    }
}
