//! Indented JSON for people, written as it is serialized.

use std::io;

use serde_json::ser::{Formatter, PrettyFormatter};

/// serde_json's pretty formatter, except that a block kept as JSON already
/// ([`super::wire::DocumentJson`]) is indented like the rest instead of written on one line.
#[derive(Clone)]
pub struct Indented(PrettyFormatter<'static>);

impl Indented {
    pub fn new() -> Self {
        Indented(PrettyFormatter::new())
    }
}

impl Formatter for Indented {
    fn write_raw_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // A copy of the formatter knows how deep the block sits, so the block is indented as
        // the value it is.
        let mut nested = serde_json::Serializer::with_formatter(writer, self.0.clone());
        let mut block = serde_json::Deserializer::from_str(fragment);
        serde_transcode::transcode(&mut block, &mut nested)?;
        Ok(())
    }

    // The rest is PrettyFormatter's: the methods it defines, passed on.

    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use serde_json::json;
    use serde_json::value::RawValue;

    #[derive(Serialize)]
    struct Listing<D> {
        passages: Vec<Record<D>>,
    }

    #[derive(Serialize)]
    struct Record<D> {
        rank: u32,
        document: D,
    }

    fn listing<D>(document: D) -> Listing<D> {
        Listing {
            passages: vec![Record { rank: 1, document }],
        }
    }

    fn indented(value: &impl Serialize) -> String {
        let mut out = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut out, Indented::new());
        value.serialize(&mut serializer).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_raw_block_is_indented_as_if_it_had_been_serialized_in_place() {
        let block = json!({"status": "dated", "caveats": ["old"], "references": [], "year": 2026});
        let raw = RawValue::from_string(block.to_string()).unwrap();
        assert_eq!(
            indented(&listing(&*raw)),
            serde_json::to_string_pretty(&listing(&block)).unwrap()
        );
    }
}
