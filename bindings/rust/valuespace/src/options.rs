//! One pattern for the options of every handle that has them ([`crate::fa::Options`],
//! [`crate::cluster::Options`], [`crate::projective::Runner`], [`crate::model::Model`],
//! [`crate::evaluator::Evaluator`], [`crate::lexical::Options`], [`crate::lexical::Lexicon`],
//! [`crate::accum::Accum`]): a typed enum of its option ids implementing [`OptionId`] (its C
//! value, kind, the library's name for it, lookup by name, bounds), and on the handle
//! `set(option, value)` / `get(option)` with an [`OptionValue`].
//!
//! ```
//! use valuespace::fa::{FaOption, Options};
//! use valuespace::options::{OptionId, OptionValue};
//! let mut fa = Options::new().unwrap();
//! fa.set(FaOption::Rotation, "varimax").unwrap().set(FaOption::NFactors, 3).unwrap();
//! assert_eq!(fa.get(FaOption::Rotation).unwrap(), OptionValue::Str("varimax".into()));
//! assert_eq!(FaOption::from_name("nfactors").unwrap(), FaOption::NFactors);
//! assert_eq!(FaOption::NFactors.name(), "nfactors");
//! ```
use std::fmt;
use std::os::raw::c_int;

use crate::error::Result;

/// What an option holds (and so which C setter and getter serve it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptionKind {
    /// An integer.
    Int,
    /// A double.
    Double,
    /// An integer that also takes and reads back a name (a method, a rotation, a metric).
    Enum,
    /// A string (copied by the handle).
    Str,
}

/// The value of an option, as given to `set` and returned by `get`.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    /// An integer (for [`OptionKind::Int`] and [`OptionKind::Enum`] options; an integer given
    /// to a double option is converted).
    Int(i64),
    /// A double.
    Double(f64),
    /// A string: a string option's value, or an enum option's name.
    Str(String),
}

impl OptionValue {
    /// The integer, if this is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            OptionValue::Int(v) => Some(*v),
            _ => None,
        }
    }
    /// The number (an integer converted), if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            OptionValue::Int(v) => Some(*v as f64),
            OptionValue::Double(v) => Some(*v),
            OptionValue::Str(_) => None,
        }
    }
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            OptionValue::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl fmt::Display for OptionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OptionValue::Int(v) => write!(f, "{}", v),
            OptionValue::Double(v) => write!(f, "{}", v),
            OptionValue::Str(s) => f.write_str(s),
        }
    }
}

macro_rules! option_value_from {
    ($($t:ty => |$v:ident| $e:expr),* $(,)?) => {$(
        impl From<$t> for OptionValue {
            fn from($v: $t) -> Self { $e }
        }
    )*};
}
option_value_from! {
    i64 => |v| OptionValue::Int(v),
    i32 => |v| OptionValue::Int(v.into()),
    u32 => |v| OptionValue::Int(v.into()),
    bool => |v| OptionValue::Int(v.into()),
    f64 => |v| OptionValue::Double(v),
    &str => |v| OptionValue::Str(v.to_string()),
    String => |v| OptionValue::Str(v),
}

/// The option ids of one handle (a typed enum per handle, all made by one macro).
pub trait OptionId: Copy + fmt::Debug + 'static {
    /// Every option of the handle, in the order of the C enum.
    const ALL: &'static [Self];
    /// The C value (`VS_<X>_OPT_<NAME>`).
    fn raw(self) -> c_int;
    /// What the option holds.
    fn kind(self) -> OptionKind;
    /// The library's name of the option (`vs_<x>_option_name`), such as "nfactors".
    fn name(self) -> &'static str;
    /// The option called `name` (`vs_<x>_option_id`; NotFound with a suggestion otherwise).
    fn from_name(name: &str) -> Result<Self>;
    /// The option whose C value is `raw`, if any.
    fn from_raw(raw: c_int) -> Option<Self> {
        Self::ALL.iter().copied().find(|o| o.raw() == raw)
    }
    /// Inclusive bounds of an integer or double option (`vs_<x>_option_bounds`).
    fn bounds(self) -> Result<(f64, f64)>;
}

/// Declares a handle's option enum: `Name(id = C lookup, name = C name, bounds = C bounds):`
/// then `Variant = C value => kind` rows.
macro_rules! option_enum {
    ($(#[$meta:meta])* $name:ident (id = $id_fn:path, name = $name_fn:path, bounds = $bounds_fn:path):
     $($(#[$vmeta:meta])* $variant:ident = $value:path => $kind:ident),+ $(,)?) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }
        impl $name {
            /// The C value.
            pub fn raw(self) -> std::os::raw::c_int {
                match self {
                    $($name::$variant => $value as std::os::raw::c_int),+
                }
            }
            /// Inclusive bounds of an integer or double option.
            pub fn bounds(self) -> $crate::error::Result<(f64, f64)> {
                <Self as $crate::options::OptionId>::bounds(self)
            }
        }
        impl $crate::options::OptionId for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn raw(self) -> std::os::raw::c_int {
                $name::raw(self)
            }
            fn kind(self) -> $crate::options::OptionKind {
                match self {
                    $($name::$variant => $crate::options::OptionKind::$kind),+
                }
            }
            fn name(self) -> &'static str {
                // SAFETY: the library returns a static string (or NULL, never for a variant).
                unsafe { $crate::util::borrowed_str($name_fn(self.raw())) }.unwrap_or("")
            }
            fn from_name(name: &str) -> $crate::error::Result<Self> {
                let c = $crate::util::cstring(name, "option name")?;
                let mut id: std::os::raw::c_int = 0;
                $crate::error::check(unsafe { $id_fn(&mut id, c.as_ptr()) })?;
                <Self as $crate::options::OptionId>::from_raw(id).ok_or_else(|| {
                    $crate::error::Error::new(
                        valuespace_sys::VS_ENOTFOUND,
                        format!("option '{}' (id {}) is newer than these bindings", name, id),
                    )
                })
            }
            fn bounds(self) -> $crate::error::Result<(f64, f64)> {
                let (mut lo, mut hi) = (0.0, 0.0);
                $crate::error::check(unsafe { $bounds_fn(&mut lo, &mut hi, self.raw()) })?;
                Ok((lo, hi))
            }
        }
    };
}

/// Gives a handle `set(option, value)` and `get(option)` through its C setters and getters:
/// `int(set, get)`, and `double(set, get)` / `str(set, get)` where it has them. `$ptr` is the
/// handle's `NonNull` field.
macro_rules! option_methods {
    ($handle:ty, $ptr:ident, $opt:ty, int($seti:path, $geti:path)
     $(, double($setd:path, $getd:path))? $(, str($sets:path, $gets:path))?) => {
        impl $handle {
            /// Sets an option: an integer, a double (an integer is converted for a double
            /// option) or a string (a string option, or an enum option by name). The library
            /// checks the type and the bounds; on failure the option keeps its value.
            pub fn set(
                &mut self,
                option: $opt,
                value: impl Into<$crate::options::OptionValue>,
            ) -> $crate::error::Result<&mut Self> {
                use $crate::options::{OptionId, OptionValue};
                let p = self.$ptr.as_ptr();
                let raw = OptionId::raw(option);
                match value.into() {
                    $(OptionValue::Int(v) if option.kind() == $crate::options::OptionKind::Double => {
                        $crate::error::check(unsafe { $setd(p, raw, v as f64) })?
                    })?
                    OptionValue::Int(v) => $crate::error::check(unsafe { $seti(p, raw, v) })?,
                    $(OptionValue::Double(v) => {
                        $crate::error::check(unsafe { $setd(p, raw, v) })?
                    })?
                    $(OptionValue::Str(s) => {
                        let c = $crate::util::cstring(&s, "option value")?;
                        $crate::error::check(unsafe { $sets(p, raw, c.as_ptr()) })?
                    })?
                    #[allow(unreachable_patterns)]
                    other => return Err($crate::options::wrong_value(option.name(), option.kind(), &other)),
                }
                Ok(self)
            }

            /// An option's value: `Int`, `Double`, or `Str` for string options and the names
            /// of enum options.
            pub fn get(&self, option: $opt) -> $crate::error::Result<$crate::options::OptionValue> {
                use $crate::options::{OptionId, OptionValue};
                let p = self.$ptr.as_ptr();
                let raw = OptionId::raw(option);
                match option.kind() {
                    $($crate::options::OptionKind::Double => {
                        let mut v = 0.0;
                        $crate::error::check(unsafe { $getd(&mut v, p, raw) })?;
                        Ok(OptionValue::Double(v))
                    })?
                    $($crate::options::OptionKind::Str | $crate::options::OptionKind::Enum => {
                        let mut s: *const std::os::raw::c_char = std::ptr::null();
                        $crate::error::check(unsafe { $gets(&mut s, p, raw) })?;
                        // SAFETY: owned by the handle (or static) and read before any change.
                        let s = unsafe { $crate::util::borrowed_str(s) }.unwrap_or("");
                        Ok(OptionValue::Str(s.to_string()))
                    })?
                    _ => {
                        let mut v = 0i64;
                        $crate::error::check(unsafe { $geti(&mut v, p, raw) })?;
                        Ok(OptionValue::Int(v))
                    }
                }
            }
        }
    };
}

/// The error for a value of a type the handle has no setter for (a double or a string given
/// to a handle whose options are all integers): VS_EINVAL, as the C setters report it.
pub(crate) fn wrong_value(name: &str, kind: OptionKind, value: &OptionValue) -> crate::Error {
    let held = match kind {
        OptionKind::Int | OptionKind::Enum => "an integer",
        OptionKind::Double => "a double",
        OptionKind::Str => "a string",
    };
    crate::Error::new(
        valuespace_sys::VS_EINVAL,
        format!("option {} holds {}, not {:?}", name, held, value),
    )
}
