//! The error type: a libvaluespace status code with the detail message of `vs_last_error()`.
use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_int;

use valuespace_sys as sys;

/// `Result` with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// The family of an error: one variant per C status code (`vs_status`).
///
/// New codes are appended in C; a code this version does not know is [`ErrorKind::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `VS_EINVAL`: an argument is invalid.
    InvalidArgument,
    /// `VS_ENOMEM`: an allocation failed.
    OutOfMemory,
    /// `VS_ERANGE`: an index or size is out of range.
    OutOfRange,
    /// `VS_ENOTFOUND`: a name, key or file was not found.
    NotFound,
    /// `VS_EPARSE`: malformed input text.
    Parse,
    /// `VS_EIO`: reading or writing a file failed.
    Io,
    /// `VS_EUTF8`: a string is not valid UTF-8.
    Utf8,
    /// `VS_EDUPLICATE`: a key, name or alias is defined twice.
    Duplicate,
    /// `VS_ESTATE`: the object is not in a state that allows the call.
    State,
    /// `VS_EMISMATCH`: objects do not fit together.
    Mismatch,
    /// `VS_ECALLBACK`: a caller-supplied callback reported failure (a fatal batch error, a
    /// hook that stopped the run). A run stopped because its *items* failed is [`Failed`].
    ///
    /// [`Failed`]: ErrorKind::Failed
    Callback,
    /// `VS_ECANCELED`: the operation was cancelled.
    Canceled,
    /// `VS_ENUMERIC`: a numerical method failed.
    Numeric,
    /// `VS_ELIMIT`: an input exceeds a documented limit.
    Limit,
    /// `VS_ECYCLE`: a hierarchy is not acyclic.
    Cycle,
    /// `VS_EVERSION`: a file or schema version this library cannot read.
    Version,
    /// `VS_ECORRUPT`: checksum mismatch or truncated data.
    Corrupt,
    /// `VS_EBUFSIZE`: a buffer is too small.
    BufferSize,
    /// `VS_EUNDEFINED`: the result is undefined for this input.
    Undefined,
    /// `VS_EFAILED`: a run stopped because its items failed — more than the model's failure
    /// threshold ([`Model::set_failure_threshold`]), or its first N items all failed alike
    /// ([`Model::set_stop_after_same_failures`], default 20). What finished is kept (in the
    /// results, the journal): fix the cause and resume. The message names the cause.
    ///
    /// [`Model::set_failure_threshold`]: crate::model::Model::set_failure_threshold
    /// [`Model::set_stop_after_same_failures`]: crate::model::Model::set_stop_after_same_failures
    Failed,
    /// A code this version of the crate does not know.
    Other,
}

impl ErrorKind {
    fn from_code(code: c_int) -> ErrorKind {
        match code {
            sys::VS_EINVAL => ErrorKind::InvalidArgument,
            sys::VS_ENOMEM => ErrorKind::OutOfMemory,
            sys::VS_ERANGE => ErrorKind::OutOfRange,
            sys::VS_ENOTFOUND => ErrorKind::NotFound,
            sys::VS_EPARSE => ErrorKind::Parse,
            sys::VS_EIO => ErrorKind::Io,
            sys::VS_EUTF8 => ErrorKind::Utf8,
            sys::VS_EDUPLICATE => ErrorKind::Duplicate,
            sys::VS_ESTATE => ErrorKind::State,
            sys::VS_EMISMATCH => ErrorKind::Mismatch,
            sys::VS_ECALLBACK => ErrorKind::Callback,
            sys::VS_ECANCELED => ErrorKind::Canceled,
            sys::VS_ENUMERIC => ErrorKind::Numeric,
            sys::VS_ELIMIT => ErrorKind::Limit,
            sys::VS_ECYCLE => ErrorKind::Cycle,
            sys::VS_EVERSION => ErrorKind::Version,
            sys::VS_ECORRUPT => ErrorKind::Corrupt,
            sys::VS_EBUFSIZE => ErrorKind::BufferSize,
            sys::VS_EUNDEFINED => ErrorKind::Undefined,
            sys::VS_EFAILED => ErrorKind::Failed,
            _ => ErrorKind::Other,
        }
    }
}

/// A failed libvaluespace call: the status code and the detail message that names the place
/// of the failure (file:line:column, dimension key, ...), copied from `vs_last_error()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: c_int,
    message: String,
}

impl Error {
    /// An error with an explicit message (used for failures detected on the Rust side, such as
    /// a string with an interior NUL byte, which C cannot receive).
    pub(crate) fn new(code: c_int, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }

    /// The error of a failed call: `code` with the calling thread's `vs_last_error()`.
    pub(crate) fn last(code: c_int) -> Error {
        // SAFETY: vs_last_error never returns NULL; the text is copied at once.
        let message = unsafe { CStr::from_ptr(sys::vs_last_error()) }
            .to_string_lossy()
            .into_owned();
        Error { code, message }
    }

    /// The C status code (negative, a `VS_E*` constant of `valuespace_sys`).
    pub fn code(&self) -> i32 {
        self.code
    }

    /// The status family.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::from_code(self.code)
    }

    /// The symbolic name of the code, e.g. `"VS_EPARSE"` (`vs_status_name`).
    pub fn name(&self) -> &'static str {
        // SAFETY: vs_status_name returns a static, never-NULL string for every code.
        static_str(unsafe { sys::vs_status_name(self.code) })
    }

    /// The generic English description of the code (`vs_strerror`).
    pub fn strerror(&self) -> &'static str {
        // SAFETY: as above.
        static_str(unsafe { sys::vs_strerror(self.code) })
    }

    /// The detail message (may be empty when the library gave none).
    pub fn message(&self) -> &str {
        &self.message
    }
}

fn static_str(p: *const std::os::raw::c_char) -> &'static str {
    // SAFETY: only called with the library's static strings.
    unsafe { crate::util::borrowed_str(p) }.unwrap_or("")
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{} ({})", self.strerror(), self.name())
        } else {
            write!(f, "{} ({})", self.message, self.name())
        }
    }
}

impl std::error::Error for Error {}

/// Turns a C status into a `Result`, reading `vs_last_error()` on failure.
pub(crate) fn check(status: c_int) -> Result<()> {
    if status == sys::VS_OK {
        Ok(())
    } else {
        Err(Error::last(status))
    }
}
