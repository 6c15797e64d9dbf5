//! Labelled value datasets (`valuespace/dataset.h`): the FULCRA JSONL reader, the generic
//! JSONL/CSV reader and the report of everything a lenient read skipped.
use std::ffi::CString;
use std::fmt;
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::error::{check, Result};
use crate::space::SpaceRef;
use crate::util::{borrowed_str, cpath, cstring};
use valuespace_sys as sys;

/// Label set of a FULCRA dataset: the 10 basic values ("schwartz10", level 0).
pub const TYPES: usize = sys::VS_DATASET_TYPES as usize;
/// Label set of a FULCRA dataset: the 54 value items ("fulcra", level "item").
pub const ITEMS: usize = sys::VS_DATASET_ITEMS as usize;

/// Why the reader skipped something (`VS_DATASET_SKIP_*`, the C code in `.0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SkipReason(pub u32);

impl SkipReason {
    /// A line that is not one valid JSON value.
    pub const INVALID_JSON: SkipReason = SkipReason(sys::VS_DATASET_SKIP_INVALID_JSON);
    /// Ill-formed UTF-8.
    pub const INVALID_UTF8: SkipReason = SkipReason(sys::VS_DATASET_SKIP_INVALID_UTF8);
    /// A line longer than the limit.
    pub const LINE_TOO_LONG: SkipReason = SkipReason(sys::VS_DATASET_SKIP_LINE_TOO_LONG);
    /// Not an object, or a required field missing or mistyped.
    pub const BAD_RECORD: SkipReason = SkipReason(sys::VS_DATASET_SKIP_BAD_RECORD);
    /// No speaker tag first, empty prompt or response.
    pub const BAD_DIALOGUE: SkipReason = SkipReason(sys::VS_DATASET_SKIP_BAD_DIALOGUE);
    /// A label with bad syntax or score.
    pub const MALFORMED_LABEL: SkipReason = SkipReason(sys::VS_DATASET_SKIP_MALFORMED_LABEL);
    /// A label naming no dimension of the label set.
    pub const UNKNOWN_LABEL: SkipReason = SkipReason(sys::VS_DATASET_SKIP_UNKNOWN_LABEL);
    /// One dimension with opposite scores in a record.
    pub const CONFLICT: SkipReason = SkipReason(sys::VS_DATASET_SKIP_CONFLICT);
    /// Informational: a label repeated with the same score.
    pub const DUPLICATE: SkipReason = SkipReason(sys::VS_DATASET_SKIP_DUPLICATE);
    /// Informational: a blank line.
    pub const BLANK_LINE: SkipReason = SkipReason(sys::VS_DATASET_SKIP_BLANK_LINE);
    /// Informational (generic reader): a column or member that is not used.
    pub const IGNORED_FIELD: SkipReason = SkipReason(sys::VS_DATASET_SKIP_IGNORED_FIELD);
    /// Bad CSV quoting or a NUL byte.
    pub const INVALID_CSV: SkipReason = SkipReason(sys::VS_DATASET_SKIP_INVALID_CSV);

    /// Every reason, in code order.
    pub fn all() -> impl Iterator<Item = SkipReason> {
        (1..sys::VS_DATASET_SKIP_REASON_END).map(SkipReason)
    }

    /// The snake_case name ("invalid_json", ...), or "unknown".
    pub fn name(self) -> &'static str {
        unsafe { borrowed_str(sys::vs_dataset_skip_reason_name(self.0)) }.unwrap_or("unknown")
    }
}

/// Per-record string fields (`VS_DATASET_FIELD_*`), for [`Dataset::strings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// The id.
    Id,
    /// The prompt.
    Prompt,
    /// The response.
    Response,
    /// The full text.
    Text,
    /// The source (model or group).
    Source,
    /// The query source.
    QuerySource,
}

impl Field {
    fn code(self) -> u32 {
        match self {
            Field::Id => sys::VS_DATASET_FIELD_ID,
            Field::Prompt => sys::VS_DATASET_FIELD_PROMPT,
            Field::Response => sys::VS_DATASET_FIELD_RESPONSE,
            Field::Text => sys::VS_DATASET_FIELD_TEXT,
            Field::Source => sys::VS_DATASET_FIELD_SOURCE,
            Field::QuerySource => sys::VS_DATASET_FIELD_QUERY_SOURCE,
        }
    }
}

/// What [`Dataset::label_counts`] counts per dimension (`VS_DATASET_COUNT_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Count {
    /// Entries > 0.
    Positive,
    /// Entries < 0.
    Negative,
    /// Entries = 0.
    Zero,
    /// Entries NaN (generic only).
    Missing,
    /// FULCRA: labels written "+1".
    WrittenPlus,
    /// FULCRA: labels written "1".
    WrittenOne,
    /// FULCRA: labels written "-1".
    WrittenMinus,
}

impl Count {
    fn code(self) -> u32 {
        match self {
            Count::Positive => sys::VS_DATASET_COUNT_POSITIVE,
            Count::Negative => sys::VS_DATASET_COUNT_NEGATIVE,
            Count::Zero => sys::VS_DATASET_COUNT_ZERO,
            Count::Missing => sys::VS_DATASET_COUNT_MISSING,
            Count::WrittenPlus => sys::VS_DATASET_COUNT_WRITTEN_PLUS,
            Count::WrittenOne => sys::VS_DATASET_COUNT_WRITTEN_ONE,
            Count::WrittenMinus => sys::VS_DATASET_COUNT_WRITTEN_MINUS,
        }
    }
}

/// Format of the generic reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Decided by the file name (".csv" = CSV, else JSONL); from memory: JSONL.
    Auto,
    /// JSON lines.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
}

/// Options of the generic reader (`vs_dataset_options`).
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    /// The space the labels are over (required; the dataset keeps a reference).
    pub space: &'a SpaceRef,
    /// The level of `space` the labels are over.
    pub level: usize,
    /// Stop at the first problem instead of skipping it.
    pub strict: bool,
    /// The input format.
    pub format: Format,
    /// Id field (None: "id").
    pub id_field: Option<&'a str>,
    /// Text field (None: "text").
    pub text_field: Option<&'a str>,
    /// Prompt field (None: no prompt).
    pub prompt_field: Option<&'a str>,
    /// Group field (None: "group").
    pub group_field: Option<&'a str>,
    /// JSONL: an object member holding the labels (None: top-level members).
    pub labels_field: Option<&'a str>,
    /// Longest line in bytes (0: the default, 16 MiB).
    pub max_line_bytes: usize,
}

impl<'a> Options<'a> {
    /// Defaults for labels over `level` of `space`.
    pub fn new(space: &'a SpaceRef, level: usize) -> Options<'a> {
        Options {
            space,
            level,
            strict: false,
            format: Format::Auto,
            id_field: None,
            text_field: None,
            prompt_field: None,
            group_field: None,
            labels_field: None,
            max_line_bytes: 0,
        }
    }

    fn with_c<T>(&self, f: impl FnOnce(&sys::vs_dataset_options) -> T) -> Result<T> {
        let c = |s: Option<&str>, what| s.map(|s| cstring(s, what)).transpose();
        let fields: [Option<CString>; 5] = [
            c(self.id_field, "id_field")?,
            c(self.text_field, "text_field")?,
            c(self.prompt_field, "prompt_field")?,
            c(self.group_field, "group_field")?,
            c(self.labels_field, "labels_field")?,
        ];
        let p = |i: usize| {
            fields[i]
                .as_ref()
                .map_or(ptr::null(), |c: &CString| c.as_ptr())
        };
        let mut o = sys::vs_dataset_options_init();
        o.flags = if self.strict {
            sys::VS_DATASET_STRICT
        } else {
            0
        } | match self.format {
            Format::Auto => 0,
            Format::Jsonl => sys::VS_DATASET_JSONL,
            Format::Csv => sys::VS_DATASET_CSV,
        };
        o.id_field = p(0);
        o.text_field = p(1);
        o.prompt_field = p(2);
        o.group_field = p(3);
        o.labels_field = p(4);
        o.space = self.space.as_ptr();
        o.level = self.level;
        o.max_line_bytes = self.max_line_bytes;
        Ok(f(&o))
    }
}

/// One entry of the skip report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    /// Why.
    pub reason: SkipReason,
    /// 1-based line.
    pub line: usize,
    /// 1-based byte column.
    pub column: usize,
    /// The offending token ("" when none).
    pub token: String,
    /// A one-line English description.
    pub message: String,
}

/// A loaded dataset (`vs_dataset`): immutable, `Send + Sync`.
pub struct Dataset {
    ptr: NonNull<sys::vs_dataset>,
}

// SAFETY: a dataset is immutable after loading; the header allows concurrent readers.
unsafe impl Send for Dataset {}
unsafe impl Sync for Dataset {}

impl Drop for Dataset {
    fn drop(&mut self) {
        unsafe { sys::vs_dataset_free(self.ptr.as_ptr()) }
    }
}

impl fmt::Debug for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dataset")
            .field("name", &self.name())
            .field("len", &self.len())
            .field("skipped", &self.skip_total())
            .finish()
    }
}

fn create(f: impl FnOnce(*mut *mut sys::vs_dataset) -> i32) -> Result<Dataset> {
    let mut out = ptr::null_mut();
    check(f(&mut out))?;
    Ok(Dataset {
        ptr: NonNull::new(out).expect("VS_OK with NULL dataset"),
    })
}

fn flags(strict: bool) -> u32 {
    if strict {
        sys::VS_DATASET_STRICT
    } else {
        0
    }
}

impl Dataset {
    /// Reads a FULCRA JSONL file; `strict` stops at the first problem.
    pub fn load_fulcra(path: impl AsRef<Path>, strict: bool) -> Result<Dataset> {
        let p = cpath(path.as_ref())?;
        create(|out| unsafe { sys::vs_dataset_load_fulcra(out, p.as_ptr(), flags(strict)) })
    }

    /// Reads FULCRA JSONL from memory; `source_name` names it in messages.
    pub fn read_fulcra(
        data: impl AsRef<[u8]>,
        source_name: Option<&str>,
        strict: bool,
    ) -> Result<Dataset> {
        let data = data.as_ref();
        let name = source_name.map(|s| cstring(s, "source name")).transpose()?;
        let np = name.as_ref().map_or(ptr::null(), |c| c.as_ptr());
        create(|out| unsafe {
            sys::vs_dataset_read_fulcra(out, data.as_ptr().cast(), data.len(), np, flags(strict))
        })
    }

    /// Reads a generic JSONL or CSV file.
    pub fn load(path: impl AsRef<Path>, options: &Options<'_>) -> Result<Dataset> {
        let p = cpath(path.as_ref())?;
        options.with_c(|o| create(|out| unsafe { sys::vs_dataset_load(out, p.as_ptr(), o) }))?
    }

    /// Reads generic JSONL (or CSV with [`Format::Csv`]) from memory.
    pub fn read(
        data: impl AsRef<[u8]>,
        source_name: Option<&str>,
        options: &Options<'_>,
    ) -> Result<Dataset> {
        let data = data.as_ref();
        let name = source_name.map(|s| cstring(s, "source name")).transpose()?;
        let np = name.as_ref().map_or(ptr::null(), |c| c.as_ptr());
        options.with_c(|o| {
            create(|out| unsafe {
                sys::vs_dataset_read(out, data.as_ptr().cast(), data.len(), np, o)
            })
        })?
    }

    /// The raw handle (owned by this value).
    pub fn as_ptr(&self) -> *const sys::vs_dataset {
        self.ptr.as_ptr()
    }

    fn s(&self, p: *const std::os::raw::c_char) -> Option<&str> {
        // SAFETY: owned by the dataset, which the borrow keeps alive.
        unsafe { borrowed_str(p) }
    }

    /// The path or source name it was read from.
    pub fn name(&self) -> &str {
        self.s(unsafe { sys::vs_dataset_name(self.as_ptr()) })
            .unwrap_or("")
    }
    /// Number of records.
    pub fn len(&self) -> usize {
        unsafe { sys::vs_dataset_count(self.as_ptr()) }
    }
    /// True when no record was read.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Input lines read, blank and skipped ones included.
    pub fn line_count(&self) -> usize {
        unsafe { sys::vs_dataset_line_count(self.as_ptr()) }
    }
    /// Id of a record.
    pub fn id(&self, record: usize) -> Option<&str> {
        self.s(unsafe { sys::vs_dataset_id(self.as_ptr(), record) })
    }
    /// Prompt of a record.
    pub fn prompt(&self, record: usize) -> Option<&str> {
        self.s(unsafe { sys::vs_dataset_prompt(self.as_ptr(), record) })
    }
    /// Response of a record.
    pub fn response(&self, record: usize) -> Option<&str> {
        self.s(unsafe { sys::vs_dataset_response(self.as_ptr(), record) })
    }
    /// Full text of a record.
    pub fn text(&self, record: usize) -> Option<&str> {
        self.s(unsafe { sys::vs_dataset_text(self.as_ptr(), record) })
    }
    /// Source of a record.
    pub fn source(&self, record: usize) -> Option<&str> {
        self.s(unsafe { sys::vs_dataset_source(self.as_ptr(), record) })
    }
    /// Query source of a record.
    pub fn query_source(&self, record: usize) -> Option<&str> {
        self.s(unsafe { sys::vs_dataset_query_source(self.as_ptr(), record) })
    }
    /// 1-based line a record starts on (0 when out of range).
    pub fn line(&self, record: usize) -> usize {
        unsafe { sys::vs_dataset_line(self.as_ptr(), record) }
    }

    /// One field of every record.
    pub fn strings(&self, field: Field) -> Result<Vec<&str>> {
        let mut buf = vec![ptr::null(); self.len()];
        let mut needed = 0;
        check(unsafe {
            sys::vs_dataset_strings(
                &mut needed,
                self.as_ptr(),
                field.code(),
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        Ok(buf.into_iter().map(|p| self.s(p).unwrap_or("")).collect())
    }

    /// Number of distinct sources.
    pub fn source_count(&self) -> usize {
        unsafe { sys::vs_dataset_source_count(self.as_ptr()) }
    }
    /// Name of source j.
    pub fn source_name(&self, j: usize) -> Option<&str> {
        self.s(unsafe { sys::vs_dataset_source_name(self.as_ptr(), j) })
    }
    /// Records of source j.
    pub fn source_record_count(&self, j: usize) -> usize {
        unsafe { sys::vs_dataset_source_record_count(self.as_ptr(), j) }
    }
    /// The former name of [`Self::source_record_count`] (README, "Deprecated names").
    #[deprecated(note = "use source_record_count")]
    pub fn source_size(&self, j: usize) -> usize {
        self.source_record_count(j)
    }
    /// Source index of a record.
    pub fn source_index(&self, record: usize) -> Option<usize> {
        let j = unsafe { sys::vs_dataset_source_index(self.as_ptr(), record) };
        (j != sys::VS_NPOS).then_some(j)
    }
    /// Source index of every record.
    pub fn source_indices(&self) -> Result<Vec<usize>> {
        let mut buf = vec![0usize; self.len()];
        let mut needed = 0;
        check(unsafe {
            sys::vs_dataset_source_indices(&mut needed, self.as_ptr(), buf.as_mut_ptr(), buf.len())
        })?;
        Ok(buf)
    }

    /// Number of label sets.
    pub fn label_set_count(&self) -> usize {
        unsafe { sys::vs_dataset_label_set_count(self.as_ptr()) }
    }
    /// The space of a label set (borrowed from the dataset).
    pub fn label_space(&self, set: usize) -> Option<&SpaceRef> {
        let p = unsafe { sys::vs_dataset_label_space(self.as_ptr(), set) };
        // SAFETY: the dataset keeps the space alive while borrowed.
        (!p.is_null()).then(|| unsafe { SpaceRef::from_ptr(p) })
    }
    /// The level of a label set's space.
    pub fn label_level(&self, set: usize) -> Option<usize> {
        let l = unsafe { sys::vs_dataset_label_level(self.as_ptr(), set) };
        (l != sys::VS_NPOS).then_some(l)
    }
    /// Number of dimensions of a label set.
    pub fn label_dimension_count(&self, set: usize) -> usize {
        unsafe { sys::vs_dataset_label_dimension_count(self.as_ptr(), set) }
    }
    /// The former name of [`Self::label_dimension_count`] (README, "Deprecated names").
    #[deprecated(note = "use label_dimension_count")]
    pub fn label_size(&self, set: usize) -> usize {
        self.label_dimension_count(set)
    }
    /// Labels of one record in a set.
    pub fn labels(&self, record: usize, set: usize) -> Result<Vec<f64>> {
        let mut buf = vec![0.0; self.label_dimension_count(set)];
        let mut needed = 0;
        check(unsafe {
            sys::vs_dataset_labels(
                &mut needed,
                self.as_ptr(),
                record,
                set,
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        Ok(buf)
    }
    /// Labels of all records as a row-major matrix (records × dimensions).
    pub fn label_matrix(&self, set: usize) -> Result<Vec<f64>> {
        let mut needed = 0;
        let rc = unsafe {
            sys::vs_dataset_label_matrix(&mut needed, self.as_ptr(), set, ptr::null_mut(), 0)
        };
        if rc != sys::VS_EBUFSIZE {
            check(rc)?;
        }
        let mut buf = vec![0.0; needed];
        check(unsafe {
            sys::vs_dataset_label_matrix(
                &mut needed,
                self.as_ptr(),
                set,
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        Ok(buf)
    }
    /// Counts per dimension of a label set.
    pub fn label_counts(&self, set: usize, which: Count) -> Result<Vec<usize>> {
        let mut buf = vec![0usize; self.label_dimension_count(set)];
        let mut needed = 0;
        check(unsafe {
            sys::vs_dataset_label_counts(
                &mut needed,
                self.as_ptr(),
                set,
                which.code(),
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        Ok(buf)
    }

    /// Number of report entries.
    pub fn skip_total(&self) -> usize {
        unsafe { sys::vs_dataset_skip_total(self.as_ptr()) }
    }
    /// Number of report entries with a reason.
    pub fn skip_count(&self, reason: SkipReason) -> usize {
        unsafe { sys::vs_dataset_skip_count(self.as_ptr(), reason.0) }
    }
    /// Report entry k.
    pub fn skip(&self, k: usize) -> Option<Skip> {
        let d = self.as_ptr();
        let reason = unsafe { sys::vs_dataset_skip_reason(d, k) };
        if reason == 0 {
            return None;
        }
        Some(Skip {
            reason: SkipReason(reason),
            line: unsafe { sys::vs_dataset_skip_line(d, k) },
            column: unsafe { sys::vs_dataset_skip_column(d, k) },
            token: self
                .s(unsafe { sys::vs_dataset_skip_token(d, k) })
                .unwrap_or("")
                .to_string(),
            message: self
                .s(unsafe { sys::vs_dataset_skip_message(d, k) })
                .unwrap_or("")
                .to_string(),
        })
    }
    /// The whole report, in input order.
    pub fn skips(&self) -> Vec<Skip> {
        (0..self.skip_total())
            .filter_map(|k| self.skip(k))
            .collect()
    }
    /// Lines of the report entries with a reason.
    pub fn skip_lines(&self, reason: SkipReason) -> Result<Vec<usize>> {
        let mut buf = vec![0usize; self.skip_count(reason)];
        let mut needed = 0;
        check(unsafe {
            sys::vs_dataset_skip_lines(
                &mut needed,
                self.as_ptr(),
                reason.0,
                buf.as_mut_ptr(),
                buf.len(),
            )
        })?;
        Ok(buf)
    }
}
