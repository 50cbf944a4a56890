#include "recordbatch.h"

#include "crc32c.h"
#include "decompress.h"
#include "wire.h"

namespace periscope::broker {

namespace {
// Skips a varint-sized field; min is the smallest length allowed (-1 when it may be null).
void skipField(ByteReader &r, std::int64_t min)
{
    const std::int64_t n = r.varlong();
    if (n < min)
        throw WireError("bad field length");
    if (n > 0)
        r.skip(static_cast<std::size_t>(n)); // throws when it runs past the end
}
} // namespace

bool recordsFill(const std::uint8_t *p, std::size_t size, std::int32_t count)
{
    try {
        ByteReader r(p, size);
        for (std::int32_t i = 0; i < count; ++i) {
            if (r.remaining() == 0)
                return false; // fewer records than claimed
            const std::int64_t length = r.varlong();
            if (length < 1 || static_cast<std::uint64_t>(length) > r.remaining())
                return false;
            ByteReader rec(r.position(), static_cast<std::size_t>(length));
            r.skip(static_cast<std::size_t>(length));
            rec.i8();      // attributes
            rec.varlong(); // timestamp delta
            // The offsets a reader sees are the batch's base plus these deltas; anything but
            // 0, 1, 2 ... would contradict the offsets the header claims.
            if (rec.varlong() != i)
                return false;
            skipField(rec, -1); // key
            skipField(rec, -1); // value
            const std::int64_t headers = rec.varlong();
            if (headers < 0 || static_cast<std::uint64_t>(headers) > rec.remaining())
                return false;
            for (std::int64_t h = 0; h < headers; ++h) {
                skipField(rec, 0);  // header key
                skipField(rec, -1); // header value
            }
            if (rec.remaining() != 0)
                return false; // the record's length does not match its fields
        }
        return r.remaining() == 0; // and no more records than claimed
    } catch (const WireError &) {
        return false;
    }
}

std::optional<BatchInfo> peekBatch(const std::uint8_t *p, std::size_t size)
{
    if (size < batch::kHeaderSize)
        return std::nullopt;
    BatchInfo b;
    b.baseOffset = loadI64(p + batch::kBaseOffset);
    const std::int32_t length = loadI32(p + batch::kLength);
    if (length < static_cast<std::int32_t>(batch::kHeaderSize - batch::kLogOverhead) ||
        length > INT32_MAX - static_cast<std::int32_t>(batch::kLogOverhead))
        return std::nullopt;
    b.totalSize = length + static_cast<std::int32_t>(batch::kLogOverhead);
    b.magic = static_cast<std::int8_t>(p[batch::kMagic]);
    b.attributes = loadI16(p + batch::kAttributes);
    b.lastOffsetDelta = loadI32(p + batch::kLastOffsetDelta);
    b.baseTimestamp = loadI64(p + batch::kBaseTimestamp);
    b.maxTimestamp = loadI64(p + batch::kMaxTimestamp);
    b.producerId = loadI64(p + batch::kProducerId);
    b.producerEpoch = loadI16(p + batch::kProducerEpoch);
    b.baseSequence = loadI32(p + batch::kBaseSequence);
    b.recordCount = loadI32(p + batch::kRecordCount);
    return b;
}

namespace {
BatchProblem validate(const std::uint8_t *p, std::size_t size, BatchInfo *info,
                      std::vector<std::uint8_t> &scratch)
{
    // The magic byte sits at the same place in every message format; an old-format
    // message set is told apart before its (shorter) header fails the v2 size checks.
    if (size > batch::kMagic && p[batch::kMagic] != 2)
        return BatchProblem::BadMagic;
    auto b = peekBatch(p, size);
    if (!b)
        return size < batch::kHeaderSize ? BatchProblem::Truncated : BatchProblem::BadCount;
    if (static_cast<std::size_t>(b->totalSize) > size)
        return BatchProblem::Truncated;
    if (b->magic != 2)
        return BatchProblem::BadMagic;
    const std::uint32_t stored = loadU32(p + batch::kCrc);
    const std::uint32_t actual =
        crc32c(p + batch::kAttributes, static_cast<std::size_t>(b->totalSize) - batch::kAttributes);
    if (stored != actual)
        return BatchProblem::BadCrc;
    if (b->recordCount < 1 || std::int64_t(b->lastOffsetDelta) + 1 != b->recordCount)
        return BatchProblem::BadCount;
    if (b->compression() > kMaxCompressionCodec)
        return BatchProblem::BadCompression;
    // A batch must hold exactly the records it claims, or its offsets would be a lie; a
    // compressed one is checked decompressed, and stored as it came.
    const std::uint8_t *records = p + batch::kHeaderSize;
    std::size_t recordsSize = static_cast<std::size_t>(b->totalSize) - batch::kHeaderSize;
    if (b->compression() != 0) {
        switch (decompress(b->compression(), records, recordsSize, scratch)) {
        case Decompressed::Ok:
            break;
        case Decompressed::Corrupt:
            return BatchProblem::Undecodable;
        case Decompressed::TooLarge:
            return BatchProblem::TooLarge;
        }
        records = scratch.data();
        recordsSize = scratch.size();
    }
    if (!recordsFill(records, recordsSize, b->recordCount))
        return BatchProblem::BadRecords;
    if (info)
        *info = *b;
    return BatchProblem::None;
}
} // namespace

BatchProblem validateBatch(const std::uint8_t *p, std::size_t size, BatchInfo *info)
{
    std::vector<std::uint8_t> scratch;
    return validate(p, size, info, scratch);
}

BatchProblem splitBatches(std::string_view records, std::vector<BatchInfo> &out)
{
    std::vector<std::uint8_t> scratch;
    return splitBatches(records, out, scratch);
}

BatchProblem splitBatches(std::string_view records, std::vector<BatchInfo> &out,
                          std::vector<std::uint8_t> &scratch)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(records.data());
    std::size_t left = records.size();
    if (left == 0)
        return BatchProblem::Truncated;
    while (left > 0) {
        BatchInfo b;
        const BatchProblem problem = validate(p, left, &b, scratch);
        if (problem != BatchProblem::None)
            return problem;
        out.push_back(b);
        p += b.totalSize;
        left -= static_cast<std::size_t>(b.totalSize);
    }
    return BatchProblem::None;
}

void setBaseOffset(std::uint8_t *batchStart, std::int64_t baseOffset)
{
    storeI64(batchStart + batch::kBaseOffset, baseOffset);
}

void setLogAppendTime(std::uint8_t *p, std::size_t size, std::int64_t timestampMs)
{
    const auto attrs =
        static_cast<std::int16_t>(loadI16(p + batch::kAttributes) | batch::kLogAppendTimeFlag);
    storeI16(p + batch::kAttributes, attrs);
    storeI64(p + batch::kMaxTimestamp, timestampMs);
    storeU32(p + batch::kCrc, crc32c(p + batch::kAttributes, size - batch::kAttributes));
}

bool forEachRecord(const std::uint8_t *p, std::size_t size,
                   const std::function<void(const Record &)> &fn)
{
    auto b = peekBatch(p, size);
    if (!b || b->compression() != 0 || static_cast<std::size_t>(b->totalSize) > size)
        return false;
    try {
        ByteReader r(p + batch::kHeaderSize,
                     static_cast<std::size_t>(b->totalSize) - batch::kHeaderSize);
        const bool appendTime = b->attributes & batch::kLogAppendTimeFlag;
        for (std::int32_t i = 0; i < b->recordCount; ++i) {
            const std::int64_t length = r.varlong();
            if (length < 0 || static_cast<std::size_t>(length) > r.remaining())
                return false;
            ByteReader rec(r.position(), static_cast<std::size_t>(length));
            r.skip(static_cast<std::size_t>(length));
            Record out;
            rec.i8(); // record attributes, unused
            const std::int64_t tsDelta = rec.varlong();
            const std::int64_t offsetDelta = rec.varlong();
            if (offsetDelta < 0 || offsetDelta > b->lastOffsetDelta)
                return false;
            out.offset = static_cast<std::int64_t>(static_cast<std::uint64_t>(b->baseOffset) +
                                                   static_cast<std::uint64_t>(offsetDelta));
            // Wrapping, not overflowing, on a hostile delta.
            out.timestamp =
                appendTime
                    ? b->maxTimestamp
                    : static_cast<std::int64_t>(static_cast<std::uint64_t>(b->baseTimestamp) +
                                                static_cast<std::uint64_t>(tsDelta));
            auto field = [&rec]() -> std::optional<std::string_view> {
                const std::int64_t n = rec.varlong();
                if (n < 0)
                    return std::nullopt;
                const auto *start = rec.position();
                rec.skip(static_cast<std::size_t>(n));
                return std::string_view(reinterpret_cast<const char *>(start),
                                        static_cast<std::size_t>(n));
            };
            out.key = field();
            out.value = field();
            fn(out);
        }
    } catch (const WireError &) {
        return false;
    }
    return true;
}

std::string buildBatch(const std::vector<NewRecord> &records, std::int64_t timestampMs)
{
    ByteWriter body;
    std::int32_t delta = 0;
    for (const auto &rec : records) {
        ByteWriter one;
        one.i8(0);
        one.varlong(0); // timestamp delta
        one.varlong(delta++);
        if (rec.key) {
            one.varlong(static_cast<std::int64_t>(rec.key->size()));
            one.raw(rec.key->data(), rec.key->size());
        } else {
            one.varlong(-1);
        }
        if (rec.value) {
            one.varlong(static_cast<std::int64_t>(rec.value->size()));
            one.raw(rec.value->data(), rec.value->size());
        } else {
            one.varlong(-1);
        }
        one.varlong(0); // no headers
        body.varlong(static_cast<std::int64_t>(one.size()));
        body.raw(one.buffer().data(), one.size());
    }
    ByteWriter w;
    w.i64(0);
    w.i32(static_cast<std::int32_t>(batch::kHeaderSize - batch::kLogOverhead + body.size()));
    w.i32(0); // partition leader epoch
    w.i8(2);  // magic
    w.u32(0); // CRC, filled below
    w.i16(0); // attributes
    w.i32(static_cast<std::int32_t>(records.size()) - 1);
    w.i64(timestampMs);
    w.i64(timestampMs);
    w.i64(-1); // producer id
    w.i16(-1);
    w.i32(-1);
    w.i32(static_cast<std::int32_t>(records.size()));
    w.raw(body.buffer().data(), body.size());
    auto &buf = w.buffer();
    storeU32(buf.data() + batch::kCrc,
             crc32c(buf.data() + batch::kAttributes, buf.size() - batch::kAttributes));
    return std::string(buf.begin(), buf.end());
}

} // namespace periscope::broker
