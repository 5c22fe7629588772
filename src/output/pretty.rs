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

/// A writer that remembers the kind of the first error it met.
struct KeepsErrorKind<'a, W: ?Sized> {
    writer: &'a mut W,
    failed: Option<io::ErrorKind>,
}

impl<W: ?Sized + io::Write> io::Write for KeepsErrorKind<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.writer.write(buf);
        if let Err(err) = &written
            && err.kind() != io::ErrorKind::Interrupted
        {
            self.failed.get_or_insert(err.kind());
        }
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.writer.flush();
        if let Err(err) = &flushed {
            self.failed.get_or_insert(err.kind());
        }
        flushed
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
        let mut kept = KeepsErrorKind {
            writer,
            failed: None,
        };
        let mut nested = serde_json::Serializer::with_formatter(&mut kept, self.0.clone());
        let mut block = serde_json::Deserializer::from_str(fragment);
        let transcoded = serde_transcode::transcode(&mut block, &mut nested);
        // A failed write comes back from the transcoder as a data error: its kind is the
        // writer's, so that a closed pipe (`mbc approaches --format json | head`) is one.
        transcoded
            .map_err(|err| io::Error::new(kept.failed.unwrap_or(io::ErrorKind::InvalidData), err))
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

    /// A stdout whose reader has gone (`| head -c 10`), after `room` bytes.
    struct ClosedPipe {
        room: usize,
    }

    impl io::Write for ClosedPipe {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            let written = buf.len().min(self.room);
            self.room -= written;
            Ok(written)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_pipe_inside_a_raw_block_is_a_closed_pipe() {
        // It came back as invalid data ("Broken pipe … at line 1 column 690"), so `mbc
        // approaches --format json | head -c 10` failed with exit 1 where `search` exited 0.
        let raw = RawValue::from_string(json!({"caveats": ["a", "b", "c"]}).to_string()).unwrap();
        let whole = indented(&listing(&*raw));
        let inside_the_block = whole.find("\"b\"").unwrap();
        let mut pipe = ClosedPipe {
            room: inside_the_block,
        };
        let mut serializer = serde_json::Serializer::with_formatter(&mut pipe, Indented::new());
        let err = io::Error::from(listing(&*raw).serialize(&mut serializer).unwrap_err());
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{err}");
    }
}
