//! JSON-stat 2.0 datasets, as PxWebApi 2 returns them (and the 1.x bundles of older APIs).
//!
//! - `id`/`size` at the top (2.0) or inside `dimension` (1.x bundles `{"name": {dataset}}` with one
//!   dataset);
//! - a category `index` given as an array of codes or as an object `code → position`: a category's
//!   place comes from the index value, never from the order of the object's keys;
//! - `value` and `status` as arrays or as sparse objects `"position": value` (cells left out of a
//!   sparse `value` are missing); `status` also as a single string for every cell;
//! - `role` (time, geo, metric) and category `unit`s.
//!
//! A cell whose value is `null` is missing; its status symbol, when given, is kept. Status `-` is a
//! true zero, `e` an estimate, `c`/`x`/`s` a suppressed cell; other symbols are kept as they are.

use super::error::{IngestError, Location, excerpt};
use super::limits::{Limits, SPARSE_FREE_CELLS, checked_product};
use super::text;
use crate::table::{Category, Dimension, Lang, Odometer, Role, Status, Table, TableMeta};
use serde_json::{Map, Value};
use std::path::Path;

fn at(p: &str) -> Location {
    Location::Path(p.to_string())
}

/// `s`, unless it holds a control character (see [`text::control_char`]): an id, code, label or
/// status symbol that hwf's own CSV could not carry is refused at its JSON path `p`.
fn plain<'a>(path: &Path, p: &str, what: &str, s: &'a str) -> Result<&'a str, IngestError> {
    match text::control_char(s) {
        None => Ok(s),
        Some(found) => Err(IngestError::syntax(
            path,
            at(p),
            text::control_message(what, s, found),
            text::NO_CONTROL,
        )),
    }
}

/// Reads a JSON-stat document's bytes into a tidy table.
///
/// # Errors
///
/// Text that is not JSON (with line and column), a collection or a bundle of several datasets, a
/// missing `id`, `size`, `dimension` or `value`, sizes that disagree with the categories, an index
/// with a position out of range or twice, a value count that disagrees with the product of the
/// sizes, and a value that is neither a number nor `null`, each with its JSON path.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Table, IngestError> {
    read_with(path, bytes, &Limits::default())
}

/// As [`read`], under the given limits: the cube (the product of `size`) is checked against
/// [`Limits::max_cells`], and a sparse `value` object may fill out at most
/// [`Limits::max_sparse_expansion`] cells per value it gives, before any cell is allocated.
///
/// # Errors
///
/// As [`read`], and [`IngestError::TooLarge`] for a cube beyond the limits.
pub fn read_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<Table, IngestError> {
    let (body, _) = super::text::strip_bom(bytes);
    let doc: Value = serde_json::from_slice(body).map_err(|e| {
        IngestError::syntax(
            path,
            Location::LineCol(e.line(), e.column()),
            e.to_string(),
            "a JSON document",
        )
    })?;
    let obj = doc.as_object().ok_or_else(|| {
        IngestError::syntax(
            path,
            at("$"),
            "a JSON value that is not an object",
            "a JSON-stat dataset object",
        )
    })?;
    let (ds, prefix) = match obj.get("class").and_then(Value::as_str) {
        Some("dataset") => (obj, String::from("$")),
        Some(other) => {
            return Err(IngestError::syntax(
                path,
                at("$.class"),
                format!("a JSON-stat {other:?}"),
                "a \"dataset\" (read each dataset of a collection on its own)",
            ));
        }
        None if obj.contains_key("dimension") && obj.contains_key("value") => (obj, "$".into()),
        None => {
            // A 1.x bundle: { "name": { dataset } }.
            let sets: Vec<(&String, &Value)> = obj
                .iter()
                .filter(|(_, v)| v.get("dimension").is_some())
                .collect();
            match sets.as_slice() {
                [(name, v)] => (v.as_object().expect("checked object"), format!("$.{name}")),
                [] => {
                    return Err(IngestError::missing(
                        path,
                        at("$"),
                        "a dataset (\"class\": \"dataset\", or an object with dimension and value)",
                        "a JSON-stat 2.0 dataset",
                    ));
                }
                many => {
                    return Err(IngestError::syntax(
                        path,
                        at("$"),
                        format!("a bundle of {} datasets", many.len()),
                        "one dataset per file",
                    ));
                }
            }
        }
    };
    dataset(path, ds, &prefix, limits)
}

/// The `id` array: strings, each once.
fn read_ids(
    path: &Path,
    holder: &Map<String, Value>,
    hp: &str,
) -> Result<Vec<String>, IngestError> {
    let a = holder
        .get("id")
        .and_then(Value::as_array)
        .ok_or_else(|| IngestError::missing(path, at(&format!("{hp}.id")), "the id array", ""))?;
    let mut ids: Vec<String> = Vec::with_capacity(a.len());
    for (k, v) in a.iter().enumerate() {
        let id = v.as_str().ok_or_else(|| {
            IngestError::syntax(
                path,
                at(&format!("{hp}.id[{k}]")),
                excerpt(&v.to_string()),
                "a dimension id (string)",
            )
        })?;
        let id = plain(path, &format!("{hp}.id[{k}]"), "the dimension id", id)?;
        if let Some(first) = ids.iter().position(|x| x == id) {
            return Err(IngestError::syntax(
                path,
                at(&format!("{hp}.id[{k}]")),
                format!(
                    "the dimension id {:?} again (first at id[{first}])",
                    excerpt(id)
                ),
                "each dimension once",
            ));
        }
        ids.push(id.to_string());
    }
    Ok(ids)
}

/// The `size` array: whole numbers of categories, each at least 1.
fn read_sizes(
    path: &Path,
    holder: &Map<String, Value>,
    hp: &str,
) -> Result<Vec<usize>, IngestError> {
    let a = holder
        .get("size")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            IngestError::missing(path, at(&format!("{hp}.size")), "the size array", "")
        })?;
    a.iter()
        .enumerate()
        .map(|(k, v)| {
            v.as_u64()
                .filter(|&n| n >= 1)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or_else(|| {
                    IngestError::syntax(
                        path,
                        at(&format!("{hp}.size[{k}]")),
                        format!("the size {}", excerpt(&v.to_string())),
                        "a whole number of categories, 1 or more",
                    )
                })
        })
        .collect()
}

fn dataset(
    path: &Path,
    ds: &Map<String, Value>,
    p: &str,
    limits: &Limits,
) -> Result<Table, IngestError> {
    let dimension = ds
        .get("dimension")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            IngestError::missing(
                path,
                at(&format!("{p}.dimension")),
                "the dimension object",
                "",
            )
        })?;
    // 2.0 keeps id/size/role at the top; 1.x inside "dimension".
    let holder = if ds.contains_key("id") { ds } else { dimension };
    let hp = if ds.contains_key("id") {
        p.to_string()
    } else {
        format!("{p}.dimension")
    };
    let ids = read_ids(path, holder, &hp)?;
    let sizes = read_sizes(path, holder, &hp)?;
    if ids.len() != sizes.len() {
        return Err(IngestError::shape(
            path,
            at(&format!("{hp}.size")),
            "size",
            sizes.len(),
            ids.len(),
        ));
    }
    let lang = ds
        .get("extension")
        .and_then(|e| e.pointer("/px/language").or_else(|| e.get("lang")))
        .and_then(Value::as_str)
        .and_then(Lang::from_code)
        .or_else(|| {
            let l = ds.get("label").and_then(Value::as_str).unwrap_or("");
            l.contains(['å', 'ä', 'ö', 'Å', 'Ä', 'Ö'])
                .then_some(Lang::Sv)
        });
    let roles = holder.get("role").and_then(Value::as_object);
    let role_of = |id: &str| -> Role {
        let has = |r: &str| {
            roles
                .and_then(|m| m.get(r))
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|v| v.as_str() == Some(id)))
        };
        if has("time") {
            Role::Time
        } else if has("geo") {
            Role::Geo
        } else if has("metric") {
            Role::Metric
        } else {
            Role::Other
        }
    };
    let label_to = |c: &mut Category, l: Option<String>| match lang {
        Some(Lang::En) => c.label_en = l,
        _ => c.label_sv = l,
    };
    let mut dims = Vec::with_capacity(ids.len());
    for (k, id) in ids.iter().enumerate() {
        let dp = format!("{p}.dimension.{id}");
        let d = dimension
            .get(id)
            .and_then(Value::as_object)
            .ok_or_else(|| {
                IngestError::missing(
                    path,
                    at(&dp),
                    format!("the dimension {id:?} named in id"),
                    "",
                )
            })?;
        let cat = d
            .get("category")
            .and_then(Value::as_object)
            .ok_or_else(|| {
                IngestError::missing(
                    path,
                    at(&format!("{dp}.category")),
                    "the category object",
                    "",
                )
            })?;
        let labels = cat.get("label").and_then(Value::as_object);
        let codes = category_codes(path, cat, labels, &dp)?;
        if codes.len() != sizes[k] {
            return Err(IngestError::shape(
                path,
                at(&format!("{hp}.size[{k}]")),
                format!("dimension {id:?} (categories)"),
                codes.len(),
                sizes[k],
            ));
        }
        let units = cat.get("unit").and_then(Value::as_object);
        let categories = codes
            .into_iter()
            .map(|code| {
                let mut c = Category::code(code.clone());
                let label = labels
                    .and_then(|l| l.get(&code))
                    .and_then(Value::as_str)
                    .map(|l| {
                        plain(
                            path,
                            &format!("{dp}.category.label.{code}"),
                            "the category label",
                            l,
                        )
                    })
                    .transpose()?;
                label_to(&mut c, label.map(str::to_string));
                c.unit = units.and_then(|u| u.get(&code)).and_then(|u| {
                    u.get("label")
                        .or_else(|| u.get("base"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                });
                Ok(c)
            })
            .collect::<Result<_, IngestError>>()?;
        let dlabel = d
            .get("label")
            .and_then(Value::as_str)
            .map(|l| plain(path, &format!("{dp}.label"), "the dimension label", l))
            .transpose()?
            .map(str::to_string);
        let mut dim = Dimension {
            id: id.clone(),
            role: role_of(id),
            categories,
            ..Default::default()
        };
        match lang {
            Some(Lang::En) => dim.label_en = dlabel,
            _ => dim.label_sv = dlabel,
        }
        dims.push(dim);
    }
    let total = check_cube(path, ds, &sizes, &hp, p, limits)?;

    let mut meta = TableMeta {
        origin: path.display().to_string(),
        format: "json-stat".into(),
        ..Default::default()
    };
    let title = ds.get("label").and_then(Value::as_str).map(str::to_string);
    match lang {
        Some(Lang::En) => meta.title_en = title,
        _ => meta.title_sv = title,
    }
    meta.source = ds.get("source").and_then(Value::as_str).map(str::to_string);
    if let Some(u) = ds.get("updated").and_then(Value::as_str) {
        meta.updated = updated_time(u, &mut meta.warnings);
    }
    meta.table_id = ds
        .get("extension")
        .and_then(|e| e.pointer("/px/tableid").or_else(|| e.get("id")))
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(n) = ds.get("note") {
        match n {
            Value::Array(a) => meta
                .notes
                .extend(a.iter().filter_map(|v| v.as_str().map(str::to_string))),
            Value::String(s) => meta.notes.push(s.clone()),
            _ => {}
        }
    }
    if lang.is_none() {
        meta.warnings
            .push("the labels' language is not stated; taken as Swedish".into());
    }

    let values = read_values(path, ds, p, total)?;
    let sp = format!("{p}.status");
    let statuses = read_statuses(path, ds, &sp, total)?;
    let mut table = Table::new(meta, dims);
    table.reserve(total);
    let mut odo = Odometer::new(sizes);
    let mut i = 0;
    while let Some(key) = odo.next_key() {
        let key = key.to_vec();
        let sym = statuses[i].as_deref().filter(|s| !s.is_empty());
        let (value, status) = match (values[i], sym) {
            (Some(v), None) => (v, Status::Observed),
            (Some(v), Some(s)) => (v, status_for(s, true)),
            (None, Some(s)) => (if s == "-" { 0.0 } else { f64::NAN }, status_for(s, false)),
            (None, None) => (f64::NAN, Status::Missing),
        };
        let sym = match sym {
            Some(s) => table
                .intern_symbol(s)
                .ok_or_else(|| super::grid::too_many_symbols(path, at(&format!("{sp}[{i}]")), s))?,
            None => 0,
        };
        table.push(&key, value, status, sym);
        i += 1;
    }
    Ok(table)
}

/// A dimension's category codes in their order, from `category.index` (an array of codes or an
/// object of positions) or, for a single category, its label's key; `dp` locates the dimension.
fn category_codes(
    path: &Path,
    cat: &Map<String, Value>,
    labels: Option<&Map<String, Value>>,
    dp: &str,
) -> Result<Vec<String>, IngestError> {
    Ok(match cat.get("index") {
        Some(Value::Array(a)) => {
            let mut seen: std::collections::HashMap<&str, usize> = Default::default();
            a.iter()
                .enumerate()
                .map(|(i, v)| {
                    let ip = format!("{dp}.category.index[{i}]");
                    let code = v.as_str().ok_or_else(|| {
                        IngestError::syntax(
                            path,
                            at(&ip),
                            excerpt(&v.to_string()),
                            "a category code (string)",
                        )
                    })?;
                    let code = plain(path, &ip, "the category code", code)?;
                    if let Some(first) = seen.insert(code, i) {
                        return Err(IngestError::syntax(
                            path,
                            at(&ip),
                            format!(
                                "the category {:?} again (first at index[{first}])",
                                excerpt(code)
                            ),
                            "each category once",
                        ));
                    }
                    Ok(code.to_string())
                })
                .collect::<Result<_, _>>()?
        }
        Some(Value::Object(m)) => {
            let mut slots: Vec<Option<String>> = vec![None; m.len()];
            for (code, pos) in m {
                plain(
                    path,
                    &format!("{dp}.category.index"),
                    "the category code",
                    code,
                )?;
                let ip = format!("{dp}.category.index.{code}");
                let pos = pos
                    .as_u64()
                    .map(|x| x as usize)
                    .filter(|&x| x < m.len())
                    .ok_or_else(|| {
                        IngestError::syntax(
                            path,
                            at(&ip),
                            format!("the position {pos}"),
                            format!("a whole number below {}", m.len()),
                        )
                    })?;
                if let Some(prev) = &slots[pos] {
                    return Err(IngestError::syntax(
                        path,
                        at(&ip),
                        format!("position {pos}, already taken by {prev:?}"),
                        "each position once",
                    ));
                }
                slots[pos] = Some(code.clone());
            }
            slots.into_iter().map(|s| s.unwrap_or_default()).collect()
        }
        None => match labels {
            // A dimension with a single category may give only its label.
            Some(l) if l.len() == 1 => l
                .keys()
                .map(|code| {
                    plain(
                        path,
                        &format!("{dp}.category.label"),
                        "the category code",
                        code,
                    )
                    .map(str::to_string)
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(IngestError::missing(
                    path,
                    at(&format!("{dp}.category.index")),
                    "the category index",
                    "an index (required when there is more than one category)",
                ));
            }
        },
        Some(other) => {
            return Err(IngestError::syntax(
                path,
                at(&format!("{dp}.category.index")),
                other.to_string(),
                "an array of codes or an object of positions",
            ));
        }
    })
}

/// The `value` array (one per cell) or object (sparse, by cell index) of dataset `p`: a number or
/// `None` per cell.
fn read_values(
    path: &Path,
    ds: &Map<String, Value>,
    p: &str,
    total: usize,
) -> Result<Vec<Option<f64>>, IngestError> {
    let vp = format!("{p}.value");
    let mut values: Vec<Option<f64>> = vec![None; total];
    match ds.get("value") {
        Some(Value::Array(a)) => {
            if a.len() != total {
                return Err(IngestError::shape(
                    path,
                    at(&vp),
                    "value (cells)",
                    a.len(),
                    total,
                ));
            }
            for (i, v) in a.iter().enumerate() {
                values[i] = number(path, &format!("{vp}[{i}]"), v)?;
            }
        }
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let i = sparse_index(path, &format!("{vp}.{k}"), k, total)?;
                values[i] = number(path, &format!("{vp}.{k}"), v)?;
            }
        }
        _ => {
            return Err(IngestError::missing(
                path,
                at(&vp),
                "the value array or object",
                "",
            ));
        }
    }
    Ok(values)
}

/// The `status` of dataset `p` (`sp` its location): one symbol for every cell, one per cell, or
/// a sparse object; `None` where a cell has none.
fn read_statuses(
    path: &Path,
    ds: &Map<String, Value>,
    sp: &str,
    total: usize,
) -> Result<Vec<Option<String>>, IngestError> {
    let mut statuses: Vec<Option<String>> = vec![None; total];
    // A status symbol at `loc`: a string is checked as plain text; anything else is no symbol.
    let symbol = |v: &Value, loc: &str| -> Result<Option<String>, IngestError> {
        Ok(v.as_str()
            .map(|s| plain(path, loc, "the status symbol", s))
            .transpose()?
            .map(str::to_string))
    };
    match ds.get("status") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            plain(path, sp, "the status symbol", s)?;
            statuses.iter_mut().for_each(|x| *x = Some(s.clone()))
        }
        Some(Value::Array(a)) => {
            if a.len() == 1 {
                let s = symbol(&a[0], &format!("{sp}[0]"))?;
                statuses.iter_mut().for_each(|x| x.clone_from(&s));
            } else if a.len() == total {
                for (i, v) in a.iter().enumerate() {
                    statuses[i] = symbol(v, &format!("{sp}[{i}]"))?;
                }
            } else {
                return Err(IngestError::shape(
                    path,
                    at(sp),
                    "status (cells)",
                    a.len(),
                    total,
                ));
            }
        }
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let i = sparse_index(path, &format!("{sp}.{k}"), k, total)?;
                statuses[i] = symbol(v, &format!("{sp}.{k}"))?;
            }
        }
        Some(other) => {
            return Err(IngestError::syntax(
                path,
                at(sp),
                other.to_string(),
                "a string, an array or an object",
            ));
        }
    }
    Ok(statuses)
}

/// The number of cells, checked against the limits before anything is allocated for them.
fn check_cube(
    path: &Path,
    ds: &Map<String, Value>,
    sizes: &[usize],
    hp: &str,
    p: &str,
    limits: &Limits,
) -> Result<usize, IngestError> {
    let shape = sizes
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" × ");
    let total = checked_product(sizes).unwrap_or(u64::MAX);
    if total > limits.max_cells {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            location: at(&format!("{hp}.size")),
            what: format!("the cube {shape}"),
            needed: total,
            limit: limits.max_cells,
            exceeded: super::limits::Limit::MaxCells,
        });
    }
    if let Some(Value::Object(m)) = ds.get("value")
        && !limits.sparse_ok(total, m.len() as u64)
    {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            location: at(&format!("{p}.value")),
            what: format!(
                "filling out the cube {shape} from the {} cells the sparse value gives",
                m.len()
            ),
            needed: total,
            limit: (m.len() as u64)
                .max(1)
                .saturating_mul(limits.max_sparse_expansion)
                .max(SPARSE_FREE_CELLS),
            exceeded: super::limits::Limit::MaxSparseExpansion,
        });
    }
    Ok(total as usize)
}

/// What a JSON-stat status symbol means for a cell with (or without) a value.
fn status_for(s: &str, has_value: bool) -> Status {
    match s.trim() {
        "-" => Status::Zero,
        "e" | "E" | "p" if has_value => Status::Estimated,
        "c" | "C" | "x" | "X" | "s" | "S" | "confidential" => Status::Suppressed,
        _ if has_value => Status::Observed,
        _ => Status::Missing,
    }
}

fn sparse_index(path: &Path, p: &str, k: &str, total: usize) -> Result<usize, IngestError> {
    k.parse::<usize>()
        .ok()
        .filter(|&i| i < total)
        .ok_or_else(|| {
            IngestError::syntax(
                path,
                at(p),
                format!("the cell position {k:?}"),
                format!("a whole number below {total}"),
            )
        })
}

fn number(path: &Path, p: &str, v: &Value) -> Result<Option<f64>, IngestError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_f64()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| {
                IngestError::number(
                    path,
                    at(p),
                    n.to_string(),
                    "a finite number (NaN, infinities and numbers beyond ±1.8e308 are not counts)",
                )
            }),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(IngestError::number(
                path,
                at(p),
                s.clone(),
                "a number or null",
            )),
        },
        other => Err(IngestError::number(
            path,
            at(p),
            other.to_string(),
            "a number or null",
        )),
    }
}

/// Whether `s` is an ISO 8601 date or time as JSON-stat's `updated` holds it: `YYYY-MM-DD`,
/// optionally `Thh:mm`, `:ss`, a fraction, and `Z` or an offset.
fn is_iso_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return false;
    }
    let mut rest = &s[10..];
    if rest.is_empty() {
        return true;
    }
    let Some(t) = rest.strip_prefix(['T', ' ']) else {
        return false;
    };
    let tb = t.as_bytes();
    let two = |i: usize| {
        tb.get(i..i + 2)
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    if !(two(0) && tb.get(2) == Some(&b':') && two(3)) {
        return false;
    }
    rest = &t[5..];
    if let Some(sec) = rest.strip_prefix(':') {
        let sb = sec.as_bytes();
        if !sb
            .get(0..2)
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
        {
            return false;
        }
        rest = &sec[2..];
        if let Some(frac) = rest.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return false;
            }
            rest = &frac[n..];
        }
    }
    match rest {
        "" | "Z" => true,
        off => {
            let ob = off.as_bytes();
            matches!(ob.first(), Some(b'+' | b'-'))
                && ob.len() == 6
                && ob[1..3].iter().all(u8::is_ascii_digit)
                && ob[3] == b':'
                && ob[4..6].iter().all(u8::is_ascii_digit)
        }
    }
}

/// The dataset's `updated`, checked: an ISO 8601 time as it is; one that becomes ISO 8601 without
/// its spaces (`2024-01-12T05: 52: 00Z`, as a recorded SCB answer has it) repaired, with a warning;
/// anything else left out, with a warning.
fn updated_time(s: &str, warnings: &mut Vec<String>) -> Option<String> {
    let s = s.trim();
    if is_iso_time(s) {
        return Some(s.to_string());
    }
    let squeezed: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if is_iso_time(&squeezed) {
        warnings.push(format!(
            "\"updated\": {s:?} is not an ISO 8601 time; read as {squeezed} (spaces removed)"
        ));
        return Some(squeezed);
    }
    warnings.push(format!(
        "\"updated\": {s:?} is not an ISO 8601 time (expected e.g. 2024-01-12T05:52:00Z); left out"
    ));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_times_are_checked_and_spaces_repaired() {
        let mut w = Vec::new();
        for ok in [
            "2026-06-08T06:00:00Z",
            "2025-02-21",
            "2024-01-12T05:52",
            "2024-01-12T05:52:00.123+01:00",
        ] {
            assert_eq!(updated_time(ok, &mut w).as_deref(), Some(ok));
        }
        assert!(w.is_empty());
        // Statistics Sweden's v1 answer recorded by pxwebpy (tests/mock/response_se.json).
        assert_eq!(
            updated_time("2024-01-12T05: 52: 00Z", &mut w).as_deref(),
            Some("2024-01-12T05:52:00Z")
        );
        assert!(w[0].contains("spaces removed"));
        assert_eq!(updated_time("last Tuesday", &mut w), None);
        assert!(w[1].contains("left out"));
        for bad in [
            "2024-13",
            "2024-01-12T5:52",
            "2024-01-12T05:52:00+0100",
            "2024-01-12X",
        ] {
            assert!(!is_iso_time(bad), "{bad}");
        }
    }

    fn js(s: &str) -> Result<Table, IngestError> {
        read(Path::new("t.json"), s.as_bytes())
    }

    const OBJ_INDEX: &str = r#"{"version":"2.0","class":"dataset","label":"Legitimerade efter kön och år",
        "id":["kön","år"],"size":[2,2],"role":{"time":["år"]},
        "dimension":{"kön":{"label":"kön","category":{"index":{"2":1,"1":0},"label":{"1":"män","2":"kvinnor"}}},
                     "år":{"label":"år","category":{"index":["2022","2023"]}}},
        "value":{"0":10,"1":11,"3":13},"status":{"2":"..","3":"e"}}"#;

    #[test]
    fn object_index_positions_win_over_key_order() {
        let t = js(OBJ_INDEX).unwrap();
        assert_eq!(t.dims[0].categories[0].code, "1");
        assert_eq!(t.dims[0].categories[1].label_sv.as_deref(), Some("kvinnor"));
        assert_eq!(t.dims[1].role, Role::Time);
        // Cell 2 is (kön=2, år=2022): left out of the sparse value, status "..".
        assert_eq!((t.code(0, 2), t.code(1, 2)), ("2", "2022"));
        assert_eq!(t.status[2], Status::Missing);
        assert_eq!(t.symbol(2), Some(".."));
        assert_eq!(t.value(3), Some(13.0));
        assert_eq!(t.status[3], Status::Estimated);
        assert_eq!(t.value(1), Some(11.0));
    }

    #[test]
    fn duplicate_ids_and_categories_are_errors_at_their_place() {
        let bad = OBJ_INDEX.replace("\"id\":[\"kön\",\"år\"]", "\"id\":[\"kön\",\"kön\"]");
        let e = js(&bad).unwrap_err();
        assert!(
            matches!(&e, IngestError::Syntax { location: Location::Path(p), .. } if p == "$.id[1]"),
            "{e}"
        );
        let bad = OBJ_INDEX.replace("[\"2022\",\"2023\"]", "[\"2022\",\"2022\"]");
        let e = js(&bad).unwrap_err();
        assert!(
            matches!(&e, IngestError::Syntax { location: Location::Path(p), .. }
                if p == "$.dimension.år.category.index[1]"),
            "{e}"
        );
    }

    #[test]
    fn a_sparse_cube_is_refused_from_its_declared_size() {
        let limits = Limits {
            max_cells: 1000,
            ..Limits::default()
        };
        let e = read_with(Path::new("t.json"), OBJ_INDEX.as_bytes(), &limits);
        assert!(e.is_ok());
        let limits = Limits {
            max_cells: 3,
            ..Limits::default()
        };
        let e = read_with(Path::new("t.json"), OBJ_INDEX.as_bytes(), &limits).unwrap_err();
        assert!(
            matches!(
                e,
                IngestError::TooLarge {
                    needed: 4,
                    limit: 3,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn counts_that_disagree_are_errors_with_a_path() {
        let bad = OBJ_INDEX.replace(r#""value":{"0":10,"1":11,"3":13}"#, "\"value\":[1,2,3]");
        assert_eq!(
            js(&bad).unwrap_err().to_string(),
            "t.json:$.value: value (cells) has 3, expected 4"
        );
        let bad = OBJ_INDEX.replace("\"size\":[2,2]", "\"size\":[3,2]");
        assert!(js(&bad).unwrap_err().to_string().contains("$.size[0]"));
        let bad = OBJ_INDEX.replace("\"index\":{\"2\":1,\"1\":0}", "\"index\":{\"2\":0,\"1\":0}");
        assert!(js(&bad).unwrap_err().to_string().contains("already taken"));
        let bad = OBJ_INDEX.replace("\"size\":[2,2]", "\"size\":[-2,-2]");
        assert_eq!(
            js(&bad).unwrap_err().to_string(),
            "t.json:$.size[0]: the size -2; expected a whole number of categories, 1 or more"
        );
        let e = js("{\"a\":").unwrap_err().to_string();
        assert!(e.starts_with("t.json:1:5"), "{e}");
    }
}
