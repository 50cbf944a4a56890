#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::broker {

// Byte offsets inside a v2 record batch header.
namespace batch {
inline constexpr std::size_t kBaseOffset = 0;
inline constexpr std::size_t kLength = 8;
inline constexpr std::size_t kLeaderEpoch = 12;
inline constexpr std::size_t kMagic = 16;
inline constexpr std::size_t kCrc = 17;
inline constexpr std::size_t kAttributes = 21;
inline constexpr std::size_t kLastOffsetDelta = 23;
inline constexpr std::size_t kBaseTimestamp = 27;
inline constexpr std::size_t kMaxTimestamp = 35;
inline constexpr std::size_t kProducerId = 43;
inline constexpr std::size_t kProducerEpoch = 51;
inline constexpr std::size_t kBaseSequence = 53;
inline constexpr std::size_t kRecordCount = 57;
inline constexpr std::size_t kHeaderSize = 61;
// BaseOffset and Length precede the part that Length counts.
inline constexpr std::size_t kLogOverhead = 12;

inline constexpr int kCompressionMask = 0x07;
inline constexpr int kLogAppendTimeFlag = 0x08;
inline constexpr int kTransactionalFlag = 0x10;
inline constexpr int kControlFlag = 0x20;
} // namespace batch

// What the broker needs to know of one batch, read from its header.
struct BatchInfo
{
    std::int64_t baseOffset = 0;
    std::int32_t totalSize = 0; // whole batch, header included
    std::int8_t magic = 0;
    std::int16_t attributes = 0;
    std::int32_t lastOffsetDelta = 0;
    std::int64_t baseTimestamp = 0;
    std::int64_t maxTimestamp = 0;
    std::int64_t producerId = -1;
    std::int16_t producerEpoch = -1;
    std::int32_t baseSequence = -1;
    std::int32_t recordCount = 0;

    // Wraps instead of overflowing on a hostile or corrupt header; validated batches and
    // the log's own offsets never come near the limit.
    std::int64_t lastOffset() const
    {
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(baseOffset) +
                                         static_cast<std::uint64_t>(std::int64_t(lastOffsetDelta)));
    }
    int compression() const { return attributes & batch::kCompressionMask; }
};

enum class BatchProblem {
    None,
    Truncated,      // fewer bytes than the header or Length promise
    BadMagic,       // not a v2 batch
    BadCrc,         // checksum mismatch
    BadCount,       // RecordCount < 1, or LastOffsetDelta + 1 != RecordCount
    BadCompression, // a codec other than none, gzip, snappy, lz4, zstd
    BadRecords,     // the records, decompressed if need be, are not RecordCount whole records
    Undecodable,    // compressed records that do not decompress
    TooLarge,       // compressed records that expand past kMaxDecompressedBatchBytes
};

inline constexpr int kMaxCompressionCodec = 4;

// Reads the header of the batch starting at data; does not check the CRC.
std::optional<BatchInfo> peekBatch(const std::uint8_t *data, std::size_t size);

// Full check of one batch occupying exactly [data, data + size) or its prefix, as Kafka's
// log layer checks what it is given: header, CRC, offsets against the record count, codec,
// and the records themselves, one by one, decompressed first when the batch is compressed.
BatchProblem validateBatch(const std::uint8_t *data, std::size_t size, BatchInfo *info);

// Whether [data, data + size) holds exactly count well-formed records (uncompressed) with
// offset deltas 0, 1, ..., count - 1.
bool recordsFill(const std::uint8_t *data, std::size_t size, std::int32_t count);

// Splits a Produce records field into its batches, validating each one.
// Returns the problem of the first bad batch (and stops there).
BatchProblem splitBatches(std::string_view records, std::vector<BatchInfo> &out);
// The same, decompressing into scratch: a buffer the caller keeps from one request to the
// next costs no fresh pages each time.
BatchProblem splitBatches(std::string_view records, std::vector<BatchInfo> &out,
                          std::vector<std::uint8_t> &scratch);

void setBaseOffset(std::uint8_t *batchStart, std::int64_t baseOffset);
// Switches the batch to LogAppendTime with the given time; recomputes the CRC.
void setLogAppendTime(std::uint8_t *batchStart, std::size_t size, std::int64_t timestampMs);

struct Record
{
    std::int64_t offset = 0;
    std::int64_t timestamp = 0;
    std::optional<std::string_view> key;
    std::optional<std::string_view> value;
};

// Calls fn for every record of an uncompressed batch; returns false when the batch is
// compressed or malformed.
bool forEachRecord(const std::uint8_t *batchStart, std::size_t size,
                   const std::function<void(const Record &)> &fn);

// Builds an uncompressed v2 batch (used for the broker's own __consumer_offsets records).
struct NewRecord
{
    std::optional<std::string> key;
    std::optional<std::string> value;
};
std::string buildBatch(const std::vector<NewRecord> &records, std::int64_t timestampMs);

} // namespace periscope::broker
