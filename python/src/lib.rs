//! Python bindings for coinsieve: the native module `coinsieve._coinsieve`.
//!
//! The public Python API is the `coinsieve` package (`python/coinsieve/__init__.py`), which
//! re-exports everything defined here; the type stubs are in `python/coinsieve/_coinsieve.pyi`.
//!
//! * [`PyFilter`] (`coinsieve.Filter`): build once, then `check(text) -> dict` or
//!   `check_arrow(array) -> pyarrow.StructArray` (through the Arrow C data interface, GIL released).
//! * [`PyPolicy`] (`coinsieve.Policy`) and [`account_label`]: the account policy of
//!   `coinsieve scan --accounts`, so a Spark job labels accounts with exactly the same logic.
//! * [`parse_time`]: the time parser account windows use.

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, ListBuilder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, StructArray};
use arrow_buffer::NullBuffer;
use arrow_pyarrow::{FromPyArrow, ToPyArrow};
use arrow_schema::{DataType, Field, Fields};
use coinsieve::account::{AccountBook, DEFAULT_POLICY_TOML, Policy, PostFacts};
use coinsieve::{Filter, Label, Verdict};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;

create_exception!(
    coinsieve,
    LexiconError,
    PyValueError,
    "A lexicon directory that cannot be loaded: unreadable, malformed (with file:line:column) or over a size limit."
);

create_exception!(
    coinsieve,
    PolicyError,
    PyValueError,
    "An account policy that cannot be used: malformed TOML, an unknown key or contradictory thresholds."
);

/// A compiled coinsieve filter: build it once, check many posts.
///
/// `Filter()` uses the lexicons compiled into the library; `Filter(lexicon_dir)` loads a lexicon
/// directory with the same layout as the repository's `lexicons/` (raises `LexiconError`).
///
/// A Filter is immutable and thread-safe: share one across threads. `check` and `check_arrow`
/// release the GIL while they work, so Python threads check posts in parallel.
#[pyclass(name = "Filter", module = "coinsieve", frozen)]
struct PyFilter {
    inner: Arc<Filter>,
    source: Option<PathBuf>,
}

#[pymethods]
impl PyFilter {
    #[new]
    #[pyo3(signature = (lexicon_dir = None))]
    fn new(py: Python<'_>, lexicon_dir: Option<PathBuf>) -> PyResult<Self> {
        let dir = lexicon_dir.clone();
        let built = py.detach(move || match dir {
            None => Filter::shipped(),
            Some(d) => Filter::from_dir(d),
        });
        let filter = built.map_err(|e| LexiconError::new_err(e.to_string()))?;
        Ok(PyFilter {
            inner: Arc::new(filter),
            source: lexicon_dir,
        })
    }

    /// Check one post; returns the verdict as a dict with the same keys as the Rust `Verdict`
    /// JSON (`coinsieve check --json`): `label` ("allow" | "review" | "block"), `score`,
    /// `categories`, `rules`, `hits`, and `context` / `hits_capped` when present.
    ///
    /// Raises `TypeError` when `text` is not a `str`.
    fn check<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let text = extract_text(text)?;
        let filter = &self.inner;
        let verdict = py.detach(|| filter.check(&text));
        to_py(py, &verdict)
    }

    /// Check one post; returns the verdict as a JSON string (one line of `coinsieve check --json`).
    ///
    /// Raises `TypeError` when `text` is not a `str`.
    fn check_json(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<String> {
        let text = extract_text(text)?;
        let filter = &self.inner;
        py.detach(|| serde_json::to_string(&filter.check(&text)))
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Check every post of a pyarrow `string`, `large_string` or `string_view` array (a
    /// `ChunkedArray` is combined first; any object with `__arrow_c_array__` works).
    ///
    /// Returns a `pyarrow.StructArray` of the same length with fields `label` (string), `score`
    /// (float64), `categories` (list<string>), `rules` (string: JSON list) and `hits` (string:
    /// JSON list, the `hits` of the verdict). A null input is a null struct (all fields null); an
    /// empty string is checked like any post (label "allow").
    ///
    /// The data crosses through the Arrow C data interface without copies; the GIL is released
    /// while posts are checked, on all cores (rayon) unless `parallel=False`.
    #[pyo3(signature = (array, *, parallel = true))]
    fn check_arrow<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        parallel: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let array = import_array(array)?;
        let filter = &self.inner;
        let out = py.detach(|| check_array(filter, array.as_ref(), parallel))?;
        out.into_data().to_pyarrow(py)
    }

    /// The lexicon directory this filter was built from, or None for the shipped lexicons.
    #[getter]
    fn lexicon_dir(&self) -> Option<String> {
        self.source.as_ref().map(|d| d.display().to_string())
    }

    fn __repr__(&self) -> String {
        match &self.source {
            None => "coinsieve.Filter()".to_string(),
            Some(d) => format!("coinsieve.Filter({:?})", d.display().to_string()),
        }
    }
}

/// `str` → owned String; anything else (bytes, None, numbers) → TypeError.
fn extract_text(text: &Bound<'_, PyAny>) -> PyResult<String> {
    text.extract::<String>().map_err(|_| {
        let ty = text
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".to_string());
        PyTypeError::new_err(format!("text must be str, not {ty}"))
    })
}

/// A pyarrow Array (or anything with `__arrow_c_array__`, or a ChunkedArray) → arrow-rs array.
fn import_array(obj: &Bound<'_, PyAny>) -> PyResult<ArrayRef> {
    let obj = if !obj.hasattr("__arrow_c_array__")? && obj.hasattr("combine_chunks")? {
        obj.call_method0("combine_chunks")?
    } else {
        obj.clone()
    };
    if !obj.hasattr("__arrow_c_array__")? {
        let ty = obj.get_type().name()?.to_string();
        return Err(PyTypeError::new_err(format!(
            "check_arrow expects a pyarrow string array (or an object with __arrow_c_array__), not {ty}"
        )));
    }
    let data = arrow_data::ArrayData::from_pyarrow_bound(&obj)?;
    Ok(arrow_array::make_array(data))
}

/// One checked post, ready to append to the output builders.
struct Row {
    label: &'static str,
    score: f64,
    categories: Vec<String>,
    rules: String,
    hits: String,
}

fn row(verdict: Verdict) -> Row {
    Row {
        label: verdict.label.as_str(),
        score: verdict.score,
        rules: serde_json::to_string(&verdict.rules).unwrap_or_else(|_| "[]".into()),
        hits: serde_json::to_string(&verdict.hits).unwrap_or_else(|_| "[]".into()),
        categories: verdict.categories,
    }
}

/// Check every element of a string array; `None` rows stay null.
fn check_array<'a>(filter: &Filter, array: &'a dyn Array, parallel: bool) -> PyResult<StructArray> {
    let n = array.len();
    let get: Box<dyn Fn(usize) -> Option<&'a str> + Sync + 'a> = match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            Box::new(move |i| a.is_valid(i).then(|| a.value(i)))
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            Box::new(move |i| a.is_valid(i).then(|| a.value(i)))
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            Box::new(move |i| a.is_valid(i).then(|| a.value(i)))
        }
        DataType::Null => Box::new(|_| None),
        other => {
            return Err(PyTypeError::new_err(format!(
                "check_arrow expects a string, large_string or string_view array, not {other}"
            )));
        }
    };
    let one = |i: usize| get(i).map(|t| row(filter.check(t)));
    let rows: Vec<Option<Row>> = if parallel && n > 1 {
        (0..n).into_par_iter().with_min_len(16).map(one).collect()
    } else {
        (0..n).map(one).collect()
    };

    let mut label = StringBuilder::with_capacity(n, n * 6);
    let mut score = Float64Builder::with_capacity(n);
    let mut categories = ListBuilder::new(StringBuilder::new());
    let mut rules = StringBuilder::new();
    let mut hits = StringBuilder::new();
    for r in &rows {
        match r {
            Some(r) => {
                label.append_value(r.label);
                score.append_value(r.score);
                for c in &r.categories {
                    categories.values().append_value(c);
                }
                categories.append(true);
                rules.append_value(&r.rules);
                hits.append_value(&r.hits);
            }
            None => {
                label.append_null();
                score.append_null();
                categories.append(false);
                rules.append_null();
                hits.append_null();
            }
        }
    }
    let nulls = NullBuffer::from(rows.iter().map(Option::is_some).collect::<Vec<bool>>());
    let columns: Vec<ArrayRef> = vec![
        Arc::new(label.finish()),
        Arc::new(score.finish()),
        Arc::new(categories.finish()),
        Arc::new(rules.finish()),
        Arc::new(hits.finish()),
    ];
    StructArray::try_new(output_fields(), columns, Some(nulls))
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// The fields of `check_arrow`'s result.
fn output_fields() -> Fields {
    Fields::from(vec![
        Field::new("label", DataType::Utf8, true),
        Field::new("score", DataType::Float64, true),
        Field::new(
            "categories",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        ),
        Field::new("rules", DataType::Utf8, true),
        Field::new("hits", DataType::Utf8, true),
    ])
}

/// A serde value (Verdict, AccountReport) → the equivalent Python dict, in field order.
fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(PyErr::from)
}

/// The account policy of `coinsieve scan --accounts`.
///
/// `Policy()` is the built-in default (`DEFAULT_POLICY_TOML`: ban at ≥ 3 blocked posts, restrict
/// at 1–2, watch at ≥ 2 flagged posts, else ok); `Policy(toml_text)` parses a policy file's text
/// (keys left out keep their default; raises `PolicyError`). `Policy.from_file(path)` reads one.
#[pyclass(name = "Policy", module = "coinsieve", frozen)]
struct PyPolicy {
    inner: Policy,
}

#[pymethods]
impl PyPolicy {
    #[new]
    #[pyo3(signature = (toml = None))]
    fn new(toml: Option<&str>) -> PyResult<Self> {
        Ok(PyPolicy {
            inner: parse_policy(toml)?,
        })
    }

    /// Read a policy TOML file (the file `coinsieve scan --policy FILE` takes).
    #[staticmethod]
    fn from_file(path: PathBuf) -> PyResult<Self> {
        let inner = Policy::from_file(&path).map_err(|e| PolicyError::new_err(e.to_string()))?;
        Ok(PyPolicy { inner })
    }

    /// Ban at this many blocked posts or more.
    #[getter]
    fn ban_at_blocked(&self) -> u64 {
        self.inner.ban_at_blocked
    }

    /// Restrict at this many blocked posts or more (below `ban_at_blocked`).
    #[getter]
    fn restrict_at_blocked(&self) -> u64 {
        self.inner.restrict_at_blocked
    }

    /// Watch at this many flagged (review or block) posts, when not restricted or banned.
    #[getter]
    fn watch_at_review(&self) -> u64 {
        self.inner.watch_at_review
    }

    /// How many example post ids an account report lists.
    #[getter]
    fn examples(&self) -> usize {
        self.inner.examples
    }

    /// The time window in seconds, or None when every post counts.
    #[getter]
    fn window_secs(&self) -> Option<i64> {
        self.inner.window_secs
    }

    /// The account label ("ok", "watch", "restrict" or "ban") for `blocked` blocked posts and
    /// `flagged` review-or-block posts (with a window: the counts within one window).
    fn label(&self, blocked: u64, flagged: u64) -> &'static str {
        self.inner.label(blocked, flagged).as_str()
    }

    /// One line of `coinsieve scan --accounts`, as a dict, computed by the library's own
    /// `AccountBook`: `account`, `label`, `posts`, `review`, `block`, `categories`,
    /// `first_flagged`, `last_flagged`, `examples` (and `window_block` / `window_flagged` with a
    /// window).
    ///
    /// `posts` is the account's number of posts (all labels); `flagged` lists its review and
    /// block posts **in input order** as `(id, time, label, categories)` tuples, `time` as written
    /// in the input or None. Allow posts only count toward `posts`, so they are not passed.
    fn report<'py>(
        &self,
        py: Python<'py>,
        account: &str,
        posts: u64,
        flagged: Vec<(String, Option<String>, String, Vec<String>)>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut book = AccountBook::new(self.inner.clone());
        for (id, time, label, categories) in &flagged {
            let label: Label = label.parse().map_err(PyValueError::new_err)?;
            if label == Label::Allow {
                return Err(PyValueError::new_err(format!(
                    "post {id:?}: only review and block posts belong in `flagged`"
                )));
            }
            book.record(
                account,
                &PostFacts {
                    id,
                    time: time.as_deref(),
                    label,
                    categories,
                },
            );
        }
        if (flagged.len() as u64) > posts {
            return Err(PyValueError::new_err(format!(
                "posts ({posts}) is less than the number of flagged posts ({})",
                flagged.len()
            )));
        }
        let mut report = match book.reports().next() {
            Some(r) => r,
            None => {
                // No flagged post: record one allow post to get the empty report.
                let mut book = AccountBook::new(self.inner.clone());
                book.record(
                    account,
                    &PostFacts {
                        id: "",
                        time: None,
                        label: Label::Allow,
                        categories: &[],
                    },
                );
                book.reports().next().expect("one account recorded")
            }
        };
        report.posts = posts;
        to_py(py, &report)
    }

    fn __repr__(&self) -> String {
        let p = &self.inner;
        format!(
            "coinsieve.Policy(ban_at_blocked={}, restrict_at_blocked={}, watch_at_review={}, examples={}, window_secs={})",
            p.ban_at_blocked,
            p.restrict_at_blocked,
            p.watch_at_review,
            p.examples,
            p.window_secs
                .map_or_else(|| "None".to_string(), |w| w.to_string())
        )
    }
}

fn parse_policy(toml: Option<&str>) -> PyResult<Policy> {
    match toml {
        None => Ok(Policy::default()),
        Some(t) => Policy::from_toml_str(t).map_err(|e| PolicyError::new_err(e.to_string())),
    }
}

/// The account label ("ok", "watch", "restrict" or "ban") that `coinsieve scan --accounts` gives
/// an account with `blocked` blocked posts and `flagged` review-or-block posts, under the default
/// policy or the policy TOML text `policy_toml`.
///
/// For a policy with a time window the counts must already be those within one window; use
/// `Policy.report` to have the library compute them from post times.
#[pyfunction]
#[pyo3(signature = (blocked, flagged, policy_toml = None))]
fn account_label(blocked: u64, flagged: u64, policy_toml: Option<&str>) -> PyResult<&'static str> {
    Ok(parse_policy(policy_toml)?.label(blocked, flagged).as_str())
}

/// A post time as Unix seconds, the way account windows read it: Unix seconds (milliseconds when
/// > 10^11), `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS[.frac]]` or RFC 3339; without a zone, UTC.
/// Returns None when the time cannot be read.
#[pyfunction]
fn parse_time(text: &str) -> Option<i64> {
    coinsieve::account::parse_time(text)
}

/// The native part of the `coinsieve` package.
#[pymodule]
fn _coinsieve(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyFilter>()?;
    m.add_class::<PyPolicy>()?;
    m.add_function(wrap_pyfunction!(account_label, m)?)?;
    m.add_function(wrap_pyfunction!(parse_time, m)?)?;
    m.add("LexiconError", py.get_type::<LexiconError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("DEFAULT_POLICY_TOML", DEFAULT_POLICY_TOML)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
