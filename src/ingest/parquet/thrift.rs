//! A bounded reader of the Thrift compact protocol, the encoding of Parquet's footer and page
//! headers.
//!
//! It reads from a byte slice and never allocates from a declared size: a string's length and a
//! list's element count are checked against the bytes that remain before anything is taken, nesting
//! is limited to [`MAX_DEPTH`] levels (as Thrift's own skip is), and every integer must fit the type
//! the schema gives it. Fields the caller does not ask for are skipped under the same checks, so a
//! structure this reader accepts is one whose every declared length the Parquet library can trust.

/// Deepest nesting of structs, lists and maps (Thrift's default skip depth).
pub(super) const MAX_DEPTH: u32 = 64;

/// The type of a field or element in the compact protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Type {
    /// A boolean (its value is in the field header, or one byte in a list).
    Bool(bool),
    /// A signed byte.
    I8,
    /// A 16-bit integer (zigzag varint).
    I16,
    /// A 32-bit integer (zigzag varint).
    I32,
    /// A 64-bit integer (zigzag varint).
    I64,
    /// An 8-byte float.
    Double,
    /// A length-prefixed byte string.
    Binary,
    /// A list.
    List,
    /// A set (encoded as a list).
    Set,
    /// A map.
    Map,
    /// A struct.
    Struct,
    /// A 16-byte UUID.
    Uuid,
}

impl Type {
    fn from_nibble(n: u8) -> Option<Type> {
        Some(match n {
            1 => Type::Bool(true),
            2 => Type::Bool(false),
            3 => Type::I8,
            4 => Type::I16,
            5 => Type::I32,
            6 => Type::I64,
            7 => Type::Double,
            8 => Type::Binary,
            9 => Type::List,
            10 => Type::Set,
            11 => Type::Map,
            12 => Type::Struct,
            13 => Type::Uuid,
            _ => return None,
        })
    }

    /// The name Thrift gives the type, for messages.
    pub(super) fn name(self) -> &'static str {
        match self {
            Type::Bool(_) => "bool",
            Type::I8 => "byte",
            Type::I16 => "i16",
            Type::I32 => "i32",
            Type::I64 => "i64",
            Type::Double => "double",
            Type::Binary => "binary",
            Type::List => "list",
            Type::Set => "set",
            Type::Map => "map",
            Type::Struct => "struct",
            Type::Uuid => "uuid",
        }
    }

    /// The fewest bytes one element of this type takes in a list.
    fn min_bytes(self) -> usize {
        match self {
            Type::Double => 8,
            Type::Uuid => 16,
            _ => 1,
        }
    }
}

/// What is wrong, and the byte (from the start of the slice) where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Error {
    /// Offset into the slice being read.
    pub at: usize,
    /// What was found, for a message.
    pub what: String,
}

/// The result of a read.
pub(super) type Result<T> = std::result::Result<T, Error>;

/// A cursor over compact-protocol bytes.
pub(super) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub(super) fn new(buf: &'a [u8]) -> Self {
        Reader {
            buf,
            pos: 0,
            depth: 0,
        }
    }

    /// Bytes read so far.
    pub(super) fn position(&self) -> usize {
        self.pos
    }

    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn fail<T>(&self, at: usize, what: impl Into<String>) -> Result<T> {
        Err(Error {
            at,
            what: what.into(),
        })
    }

    fn byte(&mut self) -> Result<u8> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => self.fail(self.pos, "the end of the bytes inside a Thrift structure"),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return self.fail(
                self.pos,
                format!(
                    "a length of {n} bytes where only {} remain",
                    self.remaining()
                ),
            );
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    fn varint(&mut self) -> Result<u64> {
        let start = self.pos;
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.fail(start, "a variable-length integer longer than 64 bits")
    }

    fn zigzag(&mut self) -> Result<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    fn int_in(&mut self, lo: i64, hi: i64, name: &str) -> Result<i64> {
        let start = self.pos;
        let v = self.zigzag()?;
        if v < lo || v > hi {
            return self.fail(start, format!("the {name} value {v}, out of its range"));
        }
        Ok(v)
    }

    /// The next field's type and id, or `None` at the struct's end. `last` is the previous field's
    /// id (0 at the start of a struct).
    pub(super) fn field(&mut self, last: i16) -> Result<Option<(Type, i16)>> {
        let start = self.pos;
        let b = self.byte()?;
        if b == 0 {
            return Ok(None);
        }
        let Some(t) = Type::from_nibble(b & 0x0f) else {
            return self.fail(start, format!("a field of unknown type {}", b & 0x0f));
        };
        let delta = i16::from(b >> 4);
        let id = if delta == 0 {
            self.int_in(i64::from(i16::MIN), i64::from(i16::MAX), "field id")? as i16
        } else {
            match last.checked_add(delta) {
                Some(id) => id,
                None => return self.fail(start, "a field id beyond 32767"),
            }
        };
        Ok(Some((t, id)))
    }

    /// A 32-bit integer.
    pub(super) fn i32(&mut self) -> Result<i32> {
        Ok(self.int_in(i64::from(i32::MIN), i64::from(i32::MAX), "i32")? as i32)
    }

    /// A 64-bit integer.
    pub(super) fn i64(&mut self) -> Result<i64> {
        self.zigzag()
    }

    /// A byte string, borrowed from the input after its length is checked against what remains.
    pub(super) fn binary(&mut self) -> Result<&'a [u8]> {
        let start = self.pos;
        let n = self.varint()?;
        if n > self.remaining() as u64 {
            return self.fail(
                start,
                format!(
                    "a string of {n} bytes where only {} remain",
                    self.remaining()
                ),
            );
        }
        self.take(n as usize)
    }

    /// A list's (or set's) element type and count; the count is checked against the bytes that remain
    /// (every element takes at least one).
    pub(super) fn list(&mut self) -> Result<(Type, usize)> {
        let start = self.pos;
        let b = self.byte()?;
        let short = usize::from(b >> 4);
        let n = if short == 15 {
            let n = self.varint()?;
            if n > i32::MAX as u64 {
                return self.fail(start, format!("a list of {n} elements"));
            }
            n as usize
        } else {
            short
        };
        // An empty list may leave the type nibble 0 (fastparquet does).
        let t = match (Type::from_nibble(b & 0x0f), n) {
            (Some(t), _) => t,
            (None, 0) => Type::I8,
            (None, _) => {
                return self.fail(start, format!("a list of unknown type {}", b & 0x0f));
            }
        };
        if n.saturating_mul(t.min_bytes()) > self.remaining() {
            return self.fail(
                start,
                format!(
                    "a list of {n} elements where only {} bytes remain",
                    self.remaining()
                ),
            );
        }
        Ok((t, n))
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(self.pos, format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Reads a struct, calling `on_field` with each field's type and id; a field it does not take
    /// (returns `Ok(false)`) is skipped.
    pub(super) fn read_struct(
        &mut self,
        mut on_field: impl FnMut(&mut Self, Type, i16) -> Result<bool>,
    ) -> Result<()> {
        self.enter()?;
        let mut last = 0i16;
        while let Some((t, id)) = self.field(last)? {
            if !on_field(self, t, id)? {
                self.skip(t)?;
            }
            last = id;
        }
        self.leave();
        Ok(())
    }

    /// Reads a list whose elements are structs, calling `each` at the start of each element.
    pub(super) fn read_list(
        &mut self,
        want: Type,
        mut each: impl FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<usize> {
        let start = self.pos;
        let (t, n) = self.list()?;
        if n > 0 && t != want && !matches!((t, want), (Type::Bool(_), Type::Bool(_))) {
            return self.fail(
                start,
                format!("a list of {}; expected a list of {}", t.name(), want.name()),
            );
        }
        self.enter()?;
        for i in 0..n {
            each(self, i)?;
        }
        self.leave();
        Ok(n)
    }

    /// Skips a value of type `t`.
    pub(super) fn skip(&mut self, t: Type) -> Result<()> {
        match t {
            Type::Bool(_) => {}
            Type::I8 => {
                self.byte()?;
            }
            Type::I16 | Type::I32 | Type::I64 => {
                self.varint()?;
            }
            Type::Double => {
                self.take(8)?;
            }
            Type::Uuid => {
                self.take(16)?;
            }
            Type::Binary => {
                self.binary()?;
            }
            Type::Struct => self.read_struct(|_, _, _| Ok(false))?,
            Type::List | Type::Set => {
                let (et, n) = self.list()?;
                self.enter()?;
                for _ in 0..n {
                    if matches!(et, Type::Bool(_)) {
                        self.byte()?;
                    } else {
                        self.skip(et)?;
                    }
                }
                self.leave();
            }
            Type::Map => {
                let start = self.pos;
                let n = self.varint()?;
                if n == 0 {
                    return Ok(());
                }
                if n > self.remaining() as u64 {
                    return self.fail(
                        start,
                        format!(
                            "a map of {n} entries where only {} bytes remain",
                            self.remaining()
                        ),
                    );
                }
                let kv = self.byte()?;
                let (Some(k), Some(v)) = (Type::from_nibble(kv >> 4), Type::from_nibble(kv & 0x0f))
                else {
                    return self.fail(start, "a map of unknown key or value type");
                };
                self.enter()?;
                for _ in 0..n {
                    for t in [k, v] {
                        if matches!(t, Type::Bool(_)) {
                            self.byte()?;
                        } else {
                            self.skip(t)?;
                        }
                    }
                }
                self.leave();
            }
        }
        Ok(())
    }

    /// Fails unless a field of id `id` has type `want` (booleans match either value).
    pub(super) fn expect(&self, got: Type, want: Type, id: i16, of: &str) -> Result<()> {
        let same = got == want || matches!((got, want), (Type::Bool(_), Type::Bool(_)));
        if same {
            Ok(())
        } else {
            self.fail(
                self.pos,
                format!(
                    "field {id} of {of} of type {}; expected {}",
                    got.name(),
                    want.name()
                ),
            )
        }
    }
}

/// The structures of a Parquet footer and page header whose fields polars-parquet's own decoder reads by their id
/// alone, without looking at the type the field header declares: a field of another type would
/// make it read the following bytes as something else (a list header out of a string, say) and size
/// a buffer from them. [`check_shape`] requires the declared type for every such field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// `FileMetaData`.
    File,
    /// `SchemaElement`.
    Schema,
    /// `RowGroup`.
    RowGroup,
    /// `ColumnChunk`.
    Chunk,
    /// `ColumnMetaData`.
    Meta,
    /// `Statistics`.
    Stats,
    /// `KeyValue`.
    KeyValue,
    /// `SortingColumn`.
    Sorting,
    /// `ColumnOrder` (a union of empty structs).
    ColumnOrder,
    /// `LogicalType` (a union).
    Logical,
    /// `DecimalType`.
    Decimal,
    /// `TimeUnit` (a union of empty structs).
    TimeUnit,
    /// `TimeType` and `TimestampType`.
    Time,
    /// `IntType`.
    Int,
    /// `PageHeader` (read by polars-parquet-format's generated decoder, which also dispatches on
    /// the id alone).
    Page,
    /// `DataPageHeader`.
    DataV1,
    /// `DictionaryPageHeader`.
    Dict,
    /// `DataPageHeaderV2`.
    DataV2,
    /// A struct whose fields polars skips by their declared types.
    Any,
}

/// What a field must be: a type (`None` for any of the integer types, which polars skips as a
/// varint), and for a struct or a list of structs or varints, what its elements are.
#[derive(Clone, Copy)]
enum Want {
    Int,
    T(Type),
    Struct(Shape),
    List(Type, Shape),
    ListOfInt,
}

fn want(shape: Shape, id: i16) -> Option<Want> {
    use Shape as S;
    use Type as T;
    use Want as W;
    Some(match (shape, id) {
        (S::File, 1) => W::T(T::I32),
        (S::File, 2) => W::List(T::Struct, S::Schema),
        (S::File, 3) => W::T(T::I64),
        (S::File, 4) => W::List(T::Struct, S::RowGroup),
        (S::File, 5) => W::List(T::Struct, S::KeyValue),
        (S::File, 6) => W::T(T::Binary),
        (S::File, 7) => W::List(T::Struct, S::ColumnOrder),
        (S::Schema, 1..=3 | 5..=9) => W::T(T::I32),
        (S::Schema, 4) => W::T(T::Binary),
        (S::Schema, 10) => W::Struct(S::Logical),
        (S::RowGroup, 1) => W::List(T::Struct, S::Chunk),
        (S::RowGroup, 2 | 3) => W::T(T::I64),
        (S::RowGroup, 4) => W::List(T::Struct, S::Sorting),
        (S::RowGroup, 5..=7) => W::Int,
        (S::Chunk, 1) => W::T(T::Binary),
        (S::Chunk, 2) => W::Int,
        (S::Chunk, 3) => W::Struct(S::Meta),
        (S::Chunk, 4 | 6) => W::T(T::I64),
        (S::Chunk, 5 | 7) => W::T(T::I32),
        (S::Meta, 1) => W::Int,
        (S::Meta, 2) => W::ListOfInt,
        (S::Meta, 3) => W::List(T::Binary, S::Any),
        (S::Meta, 4 | 15) => W::T(T::I32),
        (S::Meta, 5..=7 | 9..=11 | 14) => W::T(T::I64),
        (S::Meta, 12) => W::Struct(S::Stats),
        (S::Stats, 1 | 2 | 5 | 6) => W::T(T::Binary),
        (S::Stats, 3 | 4) => W::T(T::I64),
        (S::Stats, 7 | 8) => W::T(T::Bool(true)),
        (S::KeyValue, 1 | 2) => W::T(T::Binary),
        (S::Sorting, 1) => W::T(T::I32),
        (S::Sorting, 2 | 3) => W::T(T::Bool(true)),
        (S::ColumnOrder, 1 | 2) => W::Struct(S::Any),
        (S::Logical, 1..=4 | 6 | 11..=15) => W::Struct(S::Any),
        (S::Logical, 5) => W::Struct(S::Decimal),
        (S::Logical, 7 | 8) => W::Struct(S::Time),
        (S::Logical, 10) => W::Struct(S::Int),
        (S::Decimal, 1 | 2) => W::T(T::I32),
        (S::TimeUnit, 1..=3) => W::Struct(S::Any),
        (S::Time, 1) => W::T(T::Bool(true)),
        (S::Time, 2) => W::Struct(S::TimeUnit),
        (S::Int, 1) => W::T(T::I8),
        (S::Int, 2) => W::T(T::Bool(true)),
        (S::Page, 1..=4) => W::T(T::I32),
        (S::Page, 5) => W::Struct(S::DataV1),
        (S::Page, 6) => W::Struct(S::Any),
        (S::Page, 7) => W::Struct(S::Dict),
        (S::Page, 8) => W::Struct(S::DataV2),
        (S::DataV1, 1..=4) => W::T(T::I32),
        (S::DataV1, 5) => W::Struct(S::Stats),
        (S::Dict, 1 | 2) => W::T(T::I32),
        (S::Dict, 3) => W::T(T::Bool(true)),
        (S::DataV2, 1..=6) => W::T(T::I32),
        (S::DataV2, 7) => W::T(T::Bool(true)),
        (S::DataV2, 8) => W::Struct(S::Stats),
        _ => return None,
    })
}

/// Walks a struct of the given shape, failing at the first field whose declared type is not the
/// one polars-parquet's decoder will read it as (see [`Shape`]); fields it does not read are skipped
/// under the reader's usual bounds.
pub(super) fn check_shape(r: &mut Reader<'_>, shape: Shape) -> Result<()> {
    r.read_struct(|r, t, id| {
        let Some(w) = want(shape, id) else {
            return Ok(false);
        };
        let start = r.pos;
        let mismatch = |r: &Reader<'_>, expected: &str| {
            r.fail(
                start,
                format!(
                    "field {id} of {shape:?} of type {}; expected {expected}",
                    t.name()
                ),
            )
        };
        match w {
            Want::Int => {
                if !matches!(t, Type::I16 | Type::I32 | Type::I64) {
                    return mismatch(r, "an integer");
                }
                r.varint()?;
            }
            Want::T(want) => {
                let same = t == want || matches!((t, want), (Type::Bool(_), Type::Bool(_)));
                if !same {
                    return mismatch(r, want.name());
                }
                r.skip(t)?;
            }
            Want::Struct(inner) => {
                if t != Type::Struct {
                    return mismatch(r, "struct");
                }
                check_shape(r, inner)?;
            }
            Want::List(elem, inner) => {
                if t != Type::List {
                    return mismatch(r, "list");
                }
                let at = r.pos;
                let (et, n) = r.list()?;
                if n > 0 && et != elem {
                    return r.fail(
                        at,
                        format!(
                            "field {id} of {shape:?}: a list of {}; expected a list of {}",
                            et.name(),
                            elem.name()
                        ),
                    );
                }
                r.enter()?;
                for _ in 0..n {
                    if elem == Type::Struct {
                        check_shape(r, inner)?;
                    } else {
                        r.skip(elem)?;
                    }
                }
                r.leave();
            }
            Want::ListOfInt => {
                if t != Type::List {
                    return mismatch(r, "list");
                }
                let at = r.pos;
                let (et, n) = r.list()?;
                if n > 0 && !matches!(et, Type::I16 | Type::I32 | Type::I64) {
                    return r.fail(
                        at,
                        format!(
                            "field {id} of {shape:?}: a list of {}; expected a list of integers",
                            et.name()
                        ),
                    );
                }
                for _ in 0..n {
                    r.varint()?;
                }
            }
        }
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_strings_and_lists_follow_the_compact_protocol() {
        // Struct: field 1 i32 = -3 (zigzag 5), field 3 binary "ab", field 4 list<i64> [1, -1], stop.
        let bytes = [
            0x15, 0x05, 0x28, 0x02, b'a', b'b', 0x19, 0x26, 0x01, 0x02, 0x00,
        ];
        let mut r = Reader::new(&bytes);
        let mut seen = Vec::new();
        r.read_struct(|r, t, id| {
            match (id, t) {
                (1, Type::I32) => seen.push(format!("{}", r.i32()?)),
                (3, Type::Binary) => seen.push(String::from_utf8_lossy(r.binary()?).into_owned()),
                (4, Type::List) => {
                    let (t, n) = r.list()?;
                    assert_eq!((t, n), (Type::I64, 2));
                    seen.push(format!("{} {}", r.i64()?, r.i64()?));
                }
                _ => return Ok(false),
            }
            Ok(true)
        })
        .unwrap();
        assert_eq!(seen, ["-3", "ab", "-1 1"]);
        assert_eq!(r.position(), bytes.len());
    }

    #[test]
    fn declared_lengths_beyond_the_bytes_are_refused_before_reading() {
        // A string declaring 2^40 bytes, a list declaring 1000 elements, in a few bytes.
        let mut r = Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x20, b'x']);
        let e = r.binary().unwrap_err();
        assert_eq!(e.at, 0);
        assert!(e.what.contains("1099511627776 bytes"), "{}", e.what);
        let mut r = Reader::new(&[0xfc, 0xe8, 0x07, 0x00]);
        assert!(r.list().unwrap_err().what.contains("1000 elements"));
        // An i32 field holding 2^31.
        let mut r = Reader::new(&[0x80, 0x80, 0x80, 0x80, 0x10]);
        assert!(r.i32().unwrap_err().what.contains("2147483648"));
    }

    #[test]
    fn fields_polars_reads_by_id_must_have_its_type() {
        // FileMetaData field 5 (key_value_metadata, a list) declared as an i32: polars would read
        // the i32's byte as a list header.
        let e = check_shape(&mut Reader::new(&[0x55, 0x02, 0x00]), Shape::File).unwrap_err();
        assert_eq!(e.what, "field 5 of File of type i32; expected list");
        // A field polars does not read is skipped whatever its type.
        check_shape(&mut Reader::new(&[0xf5, 0x02, 0x00]), Shape::File).unwrap();
        // A page header whose data page header (field 5) holds statistics (5) as an i64.
        let e = check_shape(
            &mut Reader::new(&[0x5c, 0x56, 0x02, 0x00, 0x00]),
            Shape::Page,
        )
        .unwrap_err();
        assert_eq!(e.what, "field 5 of DataV1 of type i64; expected struct");
    }

    #[test]
    fn nesting_is_bounded() {
        // 100 nested structs (field 1 of type struct, each), never closed.
        let bytes = vec![0x1c; 100];
        let mut r = Reader::new(&bytes);
        let e = r.skip(Type::Struct).unwrap_err();
        assert!(e.what.contains("deeper than 64"), "{}", e.what);
    }
}
